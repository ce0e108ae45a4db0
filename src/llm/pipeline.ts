/**
 * The one turn pipeline that both the webview panel and the chat participant call: stream,
 * forward text, log one line, and settle on a result. Pure: no `vscode`.
 */
import type { TurnUsage } from '../protocol';
import { describeFailure, isCancellation } from './errors';
import { streamArchitectReply } from './stream';
import type { ArchitectRequest, ConnectionSettings, LlmFailure, StreamEvent } from './types';

/** Where the pipeline writes its one line per request (the extension's output channel). */
export interface LlmLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Where a reply comes from: the Anthropic API with the user's key, or a model the chat
 * selected. Everything else about a turn (logging, results, errors) is the same for both.
 */
export interface ReplySource {
  stream(request: ArchitectRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  /** A secret that must never appear in a log line or a message (the API key). */
  readonly secret?: string;
}

/** Replies from the Anthropic Messages API. */
export function anthropicReplies(settings: ConnectionSettings): ReplySource {
  return { stream: (request, signal) => streamArchitectReply(settings, request, signal), secret: settings.apiKey };
}

export interface TurnInput {
  readonly source: ReplySource;
  readonly request: ArchitectRequest;
  /** Aborting it closes the HTTP connection and settles the turn as `cancelled`. */
  readonly signal: AbortSignal;
  /** Each text delta, in arrival order. */
  readonly onText: (text: string) => void;
  readonly logger: LlmLogger;
  /** Where the model id came from, in words, for a "model not found" message. */
  readonly modelSource?: string;
}

/** Fields every outcome has. `text` is whatever arrived, complete or partial. */
interface TurnResultBase {
  readonly text: string;
  readonly model: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

/** How a turn ended. Never an exception: API errors and Stop are outcomes too. */
export type TurnResult =
  | (TurnResultBase & { readonly status: 'completed'; readonly usage: TurnUsage; readonly stopReason: string | null })
  | (TurnResultBase & { readonly status: 'cancelled' })
  | (TurnResultBase & { readonly status: 'failed'; readonly failure: LlmFailure });

/**
 * Runs one question to completion, cancellation or failure. Resolves, never rejects (an
 * exception thrown by `onText` itself is reported as a failure too).
 */
export async function runArchitectTurn(input: TurnInput): Promise<TurnResult> {
  const { source, request, signal, onText, logger } = input;
  const secret = source.secret ?? '';
  const startedAt = Date.now();
  let text = '';
  let model = request.model;
  let requestId: string | undefined;
  let result: TurnResult;
  try {
    let done: { usage: TurnUsage; stopReason: string | null } | undefined;
    for await (const event of source.stream(request, signal)) {
      switch (event.type) {
        case 'start':
          model = event.model;
          requestId = event.requestId;
          break;
        case 'text':
          text += event.text;
          onText(event.text);
          break;
        case 'done':
          requestId = event.requestId ?? requestId;
          done = { usage: event.usage, stopReason: event.stopReason };
          break;
      }
    }
    const base = { text, model, requestId, durationMs: Date.now() - startedAt };
    result = done
      ? { ...base, status: 'completed', usage: done.usage, stopReason: done.stopReason }
      : { ...base, status: 'failed', failure: describeFailure(undefined, { model: request.model }) };
  } catch (err) {
    const base = { text, model, durationMs: Date.now() - startedAt };
    if (isCancellation(err)) {
      result = { ...base, requestId, status: 'cancelled' };
    } else {
      const described = describeFailure(err, { model: request.model, modelSource: input.modelSource });
      // A failure mid-stream (reset, timeout) has no request id of its own; the stream's applies.
      const failure: LlmFailure = {
        ...described,
        message: redact(described.message, secret),
        requestId: described.requestId ?? requestId,
      };
      result = { ...base, requestId: failure.requestId, status: 'failed', failure };
      if (failure.kind === 'unknown') {
        // Unknown errors are logged in full (minus the key) so they can be diagnosed.
        logger.error(redact(`Unexpected error: ${errorSummary(err)}`, secret));
      }
    }
  }
  logTurn(logger, request, result, secret);
  return result;
}

/** One line per request: what was asked of which model, and how it ended. No code, no key. */
function logTurn(logger: LlmLogger, request: ArchitectRequest, result: TurnResult, apiKey: string): void {
  const messageChars = request.messages.reduce((sum, m) => sum + m.content.length, 0);
  const parts = [
    `model=${result.model}`,
    `request=${request.system.length + messageChars} chars (system ${request.system.length}, ${request.messages.length} message${request.messages.length === 1 ? '' : 's'} ${messageChars})`,
    `id=${result.requestId ?? '-'}`,
    `duration=${result.durationMs} ms`,
    `outcome=${result.status}`,
  ];
  switch (result.status) {
    case 'completed': {
      const u = result.usage;
      parts.push(
        `stop=${result.stopReason ?? '-'}`,
        `usage in=${u.inputTokens} out=${u.outputTokens} cacheRead=${u.cacheReadTokens} cacheWrite=${u.cacheWriteTokens}`,
      );
      logger.info(redact(parts.join(' '), apiKey));
      return;
    }
    case 'cancelled':
      parts.push(`received=${result.text.length} chars`);
      logger.info(redact(parts.join(' '), apiKey));
      return;
    case 'failed': {
      const f = result.failure;
      parts.push(`kind=${f.kind}`, `status=${f.status ?? '-'}`, `received=${result.text.length} chars`, `— ${f.message}`);
      // Worth a retry: a warning; needs the user to change something: an error.
      const line = redact(parts.join(' '), apiKey);
      if (f.actions.includes('retry')) {
        logger.warn(line);
      } else {
        logger.error(line);
      }
      return;
    }
  }
}

/** Name and message only: a stack would add nothing the user can act on. */
export function errorSummary(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (cause: ${err.cause.name}: ${err.cause.message})` : '';
    return `${err.name}: ${err.message}${cause}`;
  }
  return String(err);
}

/** Belt and braces: no line or message leaves this module with the key in it. */
export function redact(text: string, apiKey: string): string {
  const key = apiKey.trim();
  return key.length >= 8 ? text.split(key).join('[REDACTED]') : text;
}
