/**
 * Streams one reply from the Messages API as `StreamEvent`s. Pure: no `vscode`.
 *
 * Cancellation is by `AbortSignal` handed to the SDK, so Stop closes the HTTP connection at
 * once instead of waiting for the next chunk.
 */
import type { Middleware } from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { TurnUsage } from '../../shared/protocol';
import { getClient } from './client';
import { IncompleteReplyError, LlmCancelledError, LlmTimeoutError } from './errors';
import type { ArchitectRequest, ConnectionSettings, StreamEvent } from './types';

export { isCancellation } from './errors';

/**
 * The request body for `request`: the agent body as `system` (a cached text block unless
 * `cacheSystemPrompt` is false), the conversation as plain-text messages.
 *
 * Prompt caching of the conversation (unless `cacheConversation` is false): the last message
 * (the new question) carries a `cache_control` breakpoint so the whole prefix is written to the
 * cache, and the last message of the history (the previous answer) carries one so a follow-up
 * reads everything up to it back from the cache. With the system block that is at most three of
 * the API's four breakpoints.
 */
export function buildMessageParams(request: ArchitectRequest): MessageCreateParamsStreaming {
  const breakpoints = request.cacheConversation === false ? new Set<number>() : conversationBreakpoints(request.messages.length);
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages: request.messages.map((turn, index) =>
      breakpoints.has(index) && turn.content.trim() !== ''
        ? { role: turn.role, content: [{ type: 'text', text: turn.content, cache_control: { type: 'ephemeral' } }] }
        : { role: turn.role, content: turn.content },
    ),
    stream: true,
  };
  // The API rejects an empty text block, so an empty agent body sends no system at all.
  if (request.system.trim() !== '') {
    params.system =
      request.cacheSystemPrompt === false
        ? request.system
        : [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }];
  }
  return params;
}

/**
 * Indexes of the messages that carry a cache breakpoint: the last one, and the one before it
 * when there is history (a single question has nothing earlier worth reading back). Pure.
 */
export function conversationBreakpoints(messageCount: number): Set<number> {
  const indexes = new Set<number>();
  if (messageCount >= 1) {
    indexes.add(messageCount - 1);
  }
  if (messageCount >= 2) {
    indexes.add(messageCount - 2);
  }
  return indexes;
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
          yield { type: 'start', requestId, model: event.message.model || request.model };
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
