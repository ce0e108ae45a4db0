/**
 * Streams one reply from the Messages API as `StreamEvent`s. Pure: no `vscode`.
 *
 * Cancellation is by `AbortSignal` handed to the SDK, so Stop closes the HTTP connection at
 * once instead of waiting for the next chunk.
 */
import type { Middleware } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  ToolUnion,
} from '@anthropic-ai/sdk/resources/messages';
import type { TurnUsage } from '../../shared/protocol';
import { getClient } from './client';
import { IncompleteReplyError, LlmCancelledError, LlmTimeoutError } from './errors';
import type { ArchitectRequest, ConnectionSettings, RequestMessage, StreamEvent } from './types';

export { isCancellation } from './errors';

/** The most `cache_control` breakpoints the API takes in one request; it rejects more. */
const MAX_CACHE_BREAKPOINTS = 4;

/**
 * The request body for `request`: the tools, the agent body as `system` (a text block), the
 * conversation as plain-text messages or content blocks, and the prompt-cache breakpoints.
 *
 * Breakpoints (the cache prefix is tools, then system, then messages): on the last tool and
 * on the system block unless `cacheSystemPrompt` is false; unless `cacheConversation` is
 * false, on the last block of the newest message and of the message where the previous
 * request's prefix ended (`conversationBreakpointIndexes`). At most four: the oldest
 * conversation breakpoint goes first. Any `cache_control` already in the given tools or
 * blocks is replaced by these, so a request never carries more than the API allows.
 */
export function buildMessageParams(request: ArchitectRequest<RequestMessage>): MessageCreateParamsStreaming {
  const cacheStatic = request.cacheSystemPrompt !== false;
  const tools = (request.tools ?? []).map(withoutCacheControl);
  // The API rejects an empty text block, so an empty agent body sends no system at all.
  const hasSystem = request.system.trim() !== '';
  const staticBreakpoints = (cacheStatic && tools.length > 0 ? 1 : 0) + (cacheStatic && hasSystem ? 1 : 0);
  const candidates =
    request.cacheConversation === false
      ? []
      : conversationBreakpointIndexes(request.messages).filter((index) => canCarryBreakpoint(request.messages[index]));
  const room = Math.max(0, MAX_CACHE_BREAKPOINTS - staticBreakpoints);
  const breakpoints = new Set(candidates.slice(Math.max(0, candidates.length - room)));

  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map((message, index) => toMessageParam(message, breakpoints.has(index))),
    stream: true,
  };
  if (tools.length > 0) {
    if (cacheStatic) {
      tools[tools.length - 1] = { ...(tools[tools.length - 1] as object), cache_control: EPHEMERAL };
    }
    params.tools = tools as ToolUnion[];
  }
  if (hasSystem) {
    params.system = cacheStatic ? [{ type: 'text', text: request.system, cache_control: EPHEMERAL }] : request.system;
  }
  return params;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/** One message on the wire; `breakpoint` puts `cache_control` on its last block that can take one. */
function toMessageParam(message: RequestMessage, breakpoint: boolean): MessageParam {
  if (typeof message.content === 'string') {
    return breakpoint
      ? { role: message.role, content: [{ type: 'text', text: message.content, cache_control: EPHEMERAL }] }
      : { role: message.role, content: message.content };
  }
  const content = message.content.map(withoutCacheControl);
  const at = breakpoint ? lastCacheableBlock(content) : -1;
  if (at >= 0) {
    content[at] = { ...content[at], cache_control: EPHEMERAL } as ContentBlockParam;
  }
  return { role: message.role, content };
}

/** Thinking blocks cannot carry `cache_control`; every other block can. */
function lastCacheableBlock(content: readonly ContentBlockParam[]): number {
  for (let i = content.length - 1; i >= 0; i--) {
    if (content[i].type !== 'thinking' && content[i].type !== 'redacted_thinking') {
      return i;
    }
  }
  return -1;
}

function canCarryBreakpoint(message: RequestMessage): boolean {
  return typeof message.content === 'string' ? message.content.trim() !== '' : lastCacheableBlock(message.content) >= 0;
}

/** `value` without its `cache_control`, copied only when it had one. */
function withoutCacheControl<T>(value: T): T {
  if (value !== null && typeof value === 'object' && 'cache_control' in value) {
    const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete rest.cache_control;
    return rest as T;
  }
  return value;
}

/**
 * Indexes of the messages that carry a cache breakpoint, oldest first: the newest message, so
 * the whole prefix is written; and the message where the previous request's prefix ended, so
 * this one reads it back. In a tool turn the previous request ended two messages earlier
 * (it was followed by the assistant's `tool_use` and the user's `tool_result`s), after a
 * `pause_turn` one earlier (the paused assistant message is the newest); for a new question
 * the previous answer is marked (the API also looks back from a breakpoint, about twenty
 * blocks, for an earlier prefix it wrote). Pure.
 */
export function conversationBreakpointIndexes(messages: readonly RequestMessage[]): number[] {
  const newest = messages.length - 1;
  if (newest < 0) {
    return [];
  }
  const previous = hasToolResult(messages[newest]) ? newest - 2 : newest - 1;
  return previous >= 0 ? [previous, newest] : [newest];
}

function hasToolResult(message: RequestMessage): boolean {
  return typeof message.content !== 'string' && message.content.some((block) => block.type === 'tool_result');
}

/**
 * Streams the reply to `request`: one `start`, the `text` deltas in order, one `done`.
 *
 * Throws `LlmCancelledError` when `signal` aborts (see `isCancellation`), `LlmTimeoutError`
 * when nothing arrived for `settings.idleTimeoutMs`, `MissingApiKeyError` without a key,
 * and the SDK's typed errors otherwise; `describeFailure` turns those into a sentence.
 * Returning early from the generator aborts the request too.
 */
export async function* streamArchitectReply(
  settings: ConnectionSettings,
  request: ArchitectRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent, void, undefined> {
  let requestId: string | undefined;
  let started = false;
  let stopReason: string | null = null;
  let usage: MutableUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const events = streamMessageEvents(settings, buildMessageParams(request), signal, (id) => {
    requestId = id;
  });
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        usage = mergeUsage(usage, event.message.usage);
        if (!started) {
          started = true;
          yield { type: 'start', requestId, model: event.message.model || request.model, usage };
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta' && event.delta.text !== '') {
          if (!started) {
            started = true;
            yield { type: 'start', requestId, model: request.model };
          }
          yield { type: 'text', text: event.delta.text };
        }
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = mergeUsage(usage, event.usage);
        break;
      default:
        // content_block_start/stop carry nothing for a text-only answer.
        break;
    }
  }
  if (!started) {
    yield { type: 'start', requestId, model: request.model };
  }
  yield { type: 'done', stopReason, usage, requestId };
}

/**
 * Sends `params` and yields the API's raw stream events up to and including `message_stop`:
 * the transport that every streamed request shares (the architect's text turns and the
 * model-picker requests with tools alike). `onResponse` gets the request id once the
 * response headers are in.
 *
 * One AbortController serves the caller's `signal`, the idle timer and an early return, and
 * goes to the SDK, so each closes the HTTP connection at once. Throws `LlmCancelledError`,
 * `LlmTimeoutError`, `IncompleteReplyError` (the stream ended without `message_stop`),
 * `MissingApiKeyError` and the SDK's typed errors.
 */
export async function* streamMessageEvents(
  settings: ConnectionSettings,
  params: MessageCreateParamsStreaming,
  signal: AbortSignal,
  onResponse?: (requestId: string | undefined) => void,
): AsyncGenerator<RawMessageStreamEvent, void, undefined> {
  if (signal.aborted) {
    throw new LlmCancelledError();
  }
  const client = getClient(settings);
  // One controller for the caller's Stop, the idle timer and an early return alike.
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const idle = new IdleTimer(settings.idleTimeoutMs, abort);
  // The SDK ends a raw stream quietly when it is aborted; say why it ended instead.
  const whyStopped = (): Error | undefined =>
    signal.aborted ? new LlmCancelledError() : idle.fired ? new LlmTimeoutError(idle.ms ?? 0) : undefined;

  try {
    const { data: stream, response } = await client.messages
      .create(params, {
        signal: controller.signal,
        maxRetries: settings.maxRetries ?? 2,
        ...(idle.enabled ? { middleware: [watchActivity(idle)] } : {}),
      })
      .withResponse();
    onResponse?.(response.headers.get('request-id') ?? undefined);

    let finished = false;
    for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
      if (event.type === 'message_stop') {
        finished = true;
      }
      yield event;
    }
    const stopped = whyStopped();
    if (stopped) {
      throw stopped;
    }
    if (!finished) {
      throw new IncompleteReplyError();
    }
  } catch (err) {
    // After an abort the SDK may throw its own abort error: report the reason instead.
    const stopped = whyStopped();
    if (stopped) {
      throw stopped;
    }
    throw err;
  } finally {
    idle.stop();
    signal.removeEventListener('abort', abort);
    // Closes the connection when the consumer returned early; a no-op after a clean end.
    controller.abort();
  }
}

/** `TurnUsage` while it is being added up. */
export type MutableUsage = { -readonly [K in keyof TurnUsage]: TurnUsage[K] };

/** Wire usage: `message_start` has all fields, `message_delta` cumulative ones (some null). */
interface WireUsage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
}

/** Adds a wire usage object (from `message_start` or `message_delta`) to `usage`. */
export function mergeUsage(usage: TurnUsage, wire: WireUsage): MutableUsage {
  return {
    inputTokens: wire.input_tokens ?? usage.inputTokens,
    outputTokens: wire.output_tokens ?? usage.outputTokens,
    cacheReadTokens: wire.cache_read_input_tokens ?? usage.cacheReadTokens,
    cacheWriteTokens: wire.cache_creation_input_tokens ?? usage.cacheWriteTokens,
  };
}

/**
 * Fires when no byte arrived for `ms` while an HTTP attempt is in flight. Paused between the
 * SDK's retries, which wait as long as `retry-after` says.
 */
class IdleTimer {
  fired = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ms: number | undefined,
    private readonly onIdle: () => void,
  ) {}

  get enabled(): boolean {
    return this.ms !== undefined && this.ms > 0;
  }

  /** Something arrived (or an attempt started): start counting again. */
  touch(): void {
    if (!this.enabled || this.fired) {
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.onIdle();
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Counts every byte of the response, pings included, as activity. The SDK drops `ping`
 * events before we see them, so watching parsed events alone would time out a slow but
 * healthy stream.
 */
function watchActivity(idle: IdleTimer): Middleware {
  return async (request, next) => {
    idle.touch();
    let response: Response;
    try {
      response = await next(request);
    } catch (err) {
      idle.stop();
      throw err;
    }
    if (!response.ok || !response.body) {
      // The SDK reads the small error body, then retries after a wait or throws.
      idle.stop();
      return response;
    }
    idle.touch();
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        idle.touch();
        out.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(tap), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
