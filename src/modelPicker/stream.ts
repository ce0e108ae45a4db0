/**
 * Requests from VS Code's model picker: stream a reply (text and tool calls) as editor parts,
 * and count tokens. Pure: no `vscode`. Shares the transport (`streamMessageEvents`) and the
 * run of a turn (`runTurn`: outcome, error sentences, key redaction, the log line) with the
 * architect's own pipeline, and the offline token estimate with the token budget
 * (`src/prompt/tokens.ts`); only the translation (`lmMessages.ts`) is its own.
 */
import { createHash } from 'node:crypto';
import { estimateTokens } from '../core/prompt/tokens';
import { getClient } from '../core/llm/client';
import { describeFailure, isCancellation, type FailureContext } from '../core/llm/errors';
import {
  buildLmParams,
  imageCount,
  IncompleteToolCallError,
  LmReplyAssembler,
  partText,
  type LmMessage,
  type LmRequest,
  type LmResponsePart,
} from './messages';
import { mergeUsage, streamMessageEvents, type MutableUsage } from '../core/llm/stream';
import { runTurn, type LlmLogger, type TurnFields, type TurnOutcome } from '../core/llm/turn';
import type { ConnectionSettings, LlmFailure } from '../core/llm/types';

export interface LmTurnInput {
  readonly settings: ConnectionSettings;
  readonly request: LmRequest;
  /** Aborting it closes the HTTP connection and settles the turn as `cancelled`. */
  readonly signal: AbortSignal;
  /** Each text delta and each complete tool call, in arrival order. */
  readonly onPart: (part: LmResponsePart) => void;
  readonly logger: LlmLogger;
  /** Where the model id came from, in words, for a "model not found" message. */
  readonly modelSource?: string;
}

interface LmTurnResultFields extends TurnFields {
  /** Characters of text reported, and tool calls reported, before the turn ended. */
  readonly textChars: number;
  readonly toolCalls: number;
}

/** How a model-picker request ended. Never an exception: API errors and Stop are outcomes. */
export type LmTurnResult = TurnOutcome<LmTurnResultFields>;

/**
 * Streams the reply to `request`, reporting parts as they complete, and logs one line.
 * Resolves, never rejects (an exception thrown by `onPart` is reported as a failure).
 */
export function runLmTurn(input: LmTurnInput): Promise<LmTurnResult> {
  const { settings, request, signal, onPart } = input;
  const assembler = new LmReplyAssembler();
  let model = request.model;
  let requestId: string | undefined;
  let textChars = 0;
  return runTurn<LmTurnResultFields>({
    read: async () => {
      let stopReason: string | null = null;
      let usage: MutableUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      const events = streamMessageEvents(settings, buildLmParams(request), signal, (id) => {
        requestId = id;
      });
      for await (const event of events) {
        if (event.type === 'message_start') {
          model = event.message.model || model;
          usage = mergeUsage(usage, event.message.usage);
        } else if (event.type === 'message_delta') {
          stopReason = event.delta.stop_reason ?? stopReason;
          usage = mergeUsage(usage, event.usage);
        }
        for (const part of assembler.accept(event)) {
          if (part.kind === 'text') {
            textChars += part.text.length;
          }
          onPart(part);
        }
      }
      return { usage, stopReason };
    },
    fields: (durationMs) => ({ model, requestId, durationMs, textChars, toolCalls: assembler.toolCalls }),
    failureContext: { model: request.model, modelSource: input.modelSource },
    describe: describeLmFailure,
    logger: input.logger,
    logFields: (result) => {
      const chars = request.messages.reduce((sum, m) => sum + m.content.reduce((n, p) => n + partText(p).length, 0), 0);
      const images = request.messages.reduce((sum, m) => sum + imageCount(m), 0);
      return {
        asked: [
          'Model picker request:',
          `model=${result.model}`,
          `request=${chars} chars in ${request.messages.length} message${request.messages.length === 1 ? '' : 's'}`,
          `images=${images}`,
          `tools=${request.tools?.length ?? 0}${request.toolMode === 'required' ? ' (required)' : ''}`,
        ],
        received: `received=${result.textChars} chars, ${result.toolCalls} tool call${result.toolCalls === 1 ? '' : 's'}`,
        receivedIn: 'always',
      };
    },
    secret: settings.apiKey,
  });
}

/** `describeFailure`, plus the one failure only tool calls have. */
function describeLmFailure(err: unknown, context: FailureContext): LlmFailure {
  if (err instanceof IncompleteToolCallError) {
    return { kind: 'streamError', message: err.message, actions: ['retry'] };
  }
  return describeFailure(err, context);
}

/** What one image costs, roughly: the API scales images to about 1.15 megapixels (~1,600 tokens). */
export const IMAGE_TOKEN_ESTIMATE = 1600;

export interface TokenCounterOptions {
  /** Distinct texts remembered (default 2000). */
  readonly maxEntries?: number;
  /** After a failed count, estimate without asking the API for this long (default 60 s). */
  readonly backoffMs?: number;
  /** Called once each time counting falls back to the estimate after a failure. */
  readonly onFallback?: (err: unknown, model: string) => void;
  readonly now?: () => number;
}

/**
 * Counts tokens with the API's `count_tokens` endpoint, remembering each text's count (by
 * hash, so long texts are not kept twice) and sharing one request between concurrent callers.
 * Without settings (no key), offline, or after a failure it answers with the estimate the
 * token budget uses (`estimateTokens` of `src/prompt/tokens.ts`, which errs high, as a
 * budget should), so the editor's prompt budgeting never waits on a dead network twice in a
 * row.
 */
export class TokenCounter {
  private readonly cache = new Map<string, Promise<number>>();
  private readonly maxEntries: number;
  private readonly backoffMs: number;
  private readonly now: () => number;
  private offlineUntil = 0;

  constructor(private readonly options: TokenCounterOptions = {}) {
    this.maxEntries = options.maxEntries ?? 2000;
    this.backoffMs = options.backoffMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Tokens in `input`: a text, or a whole message (tool calls, results and images included). */
  async count(
    settings: ConnectionSettings | undefined,
    model: string,
    input: string | LmMessage,
    signal: AbortSignal,
  ): Promise<number> {
    if (typeof input === 'string') {
      return this.countText(settings, model, input, signal);
    }
    const text = input.content.map(partText).join('\n');
    return imageCount(input) * IMAGE_TOKEN_ESTIMATE + (await this.countText(settings, model, text, signal));
  }

  private async countText(settings: ConnectionSettings | undefined, model: string, text: string, signal: AbortSignal): Promise<number> {
    // The API rejects empty text, and whitespace is not worth a request.
    if (!settings || text.trim() === '' || signal.aborted || this.now() < this.offlineUntil) {
      return estimateTokens(text);
    }
    const key = createHash('sha256').update(model).update('\0').update(text).digest('base64');
    const known = this.cache.get(key);
    if (known) {
      // Most recently used last, so the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, known);
      return known;
    }
    const counting = this.request(settings, model, text, signal).catch((err: unknown) => {
      this.cache.delete(key);
      if (!isCancellation(err) && this.now() >= this.offlineUntil) {
        this.offlineUntil = this.now() + this.backoffMs;
        this.options.onFallback?.(err, model);
      }
      return estimateTokens(text);
    });
    this.cache.set(key, counting);
    if (this.cache.size > this.maxEntries) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
    return counting;
  }

  private async request(settings: ConnectionSettings, model: string, text: string, signal: AbortSignal): Promise<number> {
    const { input_tokens } = await getClient(settings).messages.countTokens(
      { model, messages: [{ role: 'user', content: text }] },
      // Budgeting must not wait on retries: one try, a short timeout, the estimate otherwise.
      { signal, maxRetries: 0, timeout: 10_000 },
    );
    return input_tokens;
  }
}
