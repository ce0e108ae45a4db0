/**
 * The contract of the pure LLM layer: what goes to Claude, what comes back, and how
 * failures are described to a person. No `vscode` import here or anywhere in `src/llm`.
 */
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { TurnAction, TurnUsage } from '../../shared/protocol';

/** One prior or current message of the conversation. */
export interface ChatTurn {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/**
 * A message made of Messages API content blocks: what a tool turn adds to the conversation.
 * The assistant's `text`, `tool_use`, `server_tool_use` and `web_search_tool_result` /
 * `web_fetch_tool_result` blocks exactly as they came back, the user's `tool_result` blocks.
 */
export interface BlockTurn {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentBlockParam[];
}

/** Any message a request can carry: plain text, or content blocks. */
export type RequestMessage = ChatTurn | BlockTurn;

/**
 * A fully built request: the agent's body goes in `system`, never in a user message.
 * `M` is `ChatTurn` (plain text) wherever a request is built from the chat's history; the
 * tool loop (`toolLoop.ts`) takes `ArchitectRequest<RequestMessage>`, so a tool turn's
 * block messages can follow.
 */
export interface ArchitectRequest<M extends RequestMessage = ChatTurn> {
  readonly model: string;
  readonly system: string;
  readonly messages: readonly M[];
  readonly maxTokens: number;
  /**
   * Messages API tool definitions, already built (client tools with an `input_schema`, and
   * server tools such as `{ type: 'web_search_20250305', name: 'web_search' }`). Sent as they
   * are, except for `cache_control`, which `buildMessageParams` owns.
   */
  readonly tools?: readonly unknown[];
  /**
   * Marks the system prompt (and the last tool definition, when there are tools) as a
   * prompt-cache breakpoint (`cache_control: ephemeral`), so follow-up questions with the same
   * agent re-read it at a fraction of the price. Default true.
   */
  readonly cacheSystemPrompt?: boolean;
  /**
   * Marks the conversation prefix with prompt-cache breakpoints (the previous answer and the
   * new question), so each follow-up reads the earlier turns back from the cache. Default true.
   */
  readonly cacheConversation?: boolean;
}

/** Where and how to reach the API. The key is never logged or echoed. */
export interface ConnectionSettings {
  readonly apiKey: string;
  /** `lingualeap.baseUrl`, else `ANTHROPIC_BASE_URL`, else undefined (the SDK's default). */
  readonly baseUrl?: string;
  /** Retries the SDK makes for 408/409/429/5xx before giving up. */
  readonly maxRetries?: number;
  /** Gives up when no byte arrives for this long. */
  readonly idleTimeoutMs?: number;
}

/** What the stream yields, in order: one `start`, any number of `text`, one `done`. */
export type StreamEvent =
  /**
   * The reply began. `usage` is what its `message_start` reported (input and cache tokens, the
   * output so far): billed from then on, whether or not the reply completes.
   */
  | { readonly type: 'start'; readonly requestId?: string; readonly model: string; readonly usage?: TurnUsage }
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'done';
      readonly stopReason: string | null;
      readonly usage: TurnUsage;
      readonly requestId?: string;
    };

/** Why a request did not complete, as the user will read it. */
type FailureKind =
  | 'noKey'
  | 'auth'
  | 'permission'
  | 'notFound'
  | 'badRequest'
  | 'rateLimit'
  | 'overloaded'
  | 'server'
  | 'network'
  | 'timeout'
  | 'streamError'
  /** Not sent: the monthly budget (`lingualeap.budget.monthlyDollars`) would be exceeded. */
  | 'budget'
  | 'unknown';

/** A failure mapped to one clear sentence with the action that can fix it. */
export interface LlmFailure {
  readonly kind: FailureKind;
  /** One sentence, no stack, no key. */
  readonly message: string;
  readonly actions: readonly TurnAction[];
  readonly status?: number;
  readonly requestId?: string;
  /** When the server said how long to wait (retry-after). */
  readonly retryAfterSeconds?: number;
}
