/**
 * The one turn pipeline that both the webview panel and the chat participant call: stream,
 * forward text, log one line, and settle on a result. Pure: no `vscode`.
 */
import type { TurnUsage } from '../../shared/protocol';
import { streamArchitectReply } from './stream';
import { partialUsage, type RequestReceipt } from './toolLoop';
import { runTurn, type LlmLogger, type TurnEnd, type TurnFields, type TurnOutcome } from './turn';
import type { ArchitectRequest, ConnectionSettings, StreamEvent } from './types';

export type { LlmLogger } from './turn';

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
interface TurnResultFields extends TurnFields {
  readonly text: string;
  /**
   * The turn's request as a receipt line, when it was billed: it completed, or it stopped or
   * failed after its `message_start` (then `partial`, with the usage reported there and the
   * output that streamed). Empty when it failed before (or the source reports no usage).
   */
  readonly requests?: readonly RequestReceipt[];
}

/** How a turn ended. Never an exception: API errors and Stop are outcomes too. */
export type TurnResult = TurnOutcome<TurnResultFields>;

/**
 * Runs one question to completion, cancellation or failure. Resolves, never rejects (an
 * exception thrown by `onText` itself is reported as a failure too).
 */
export async function runArchitectTurn(input: TurnInput): Promise<TurnResult> {
  const { source, request, signal, onText } = input;
  let text = '';
  let model = request.model;
  let requestId: string | undefined;
  /** What `message_start` reported; undefined until it arrived (or when the source has none). */
  let started: TurnUsage | undefined;
  let completed: TurnEnd | undefined;
  const receipt = (outcome: TurnResult['status'], durationMs: number): RequestReceipt[] => {
    const usage = completed?.usage ?? (started && partialUsage(started, text));
    if (!usage) {
      return [];
    }
    const partial = outcome !== 'completed';
    return [
      {
        ...(requestId === undefined ? {} : { requestId }),
        model,
        usage,
        partial,
        outcome,
        stopReason: partial ? null : (completed?.stopReason ?? null),
        durationMs,
        webSearches: 0,
        webFetches: 0,
      },
    ];
  };
  const result = await runTurn<TurnResultFields>({
    read: async () => {
      let end: TurnEnd | undefined;
      for await (const event of source.stream(request, signal)) {
        switch (event.type) {
          case 'start':
            model = event.model;
            requestId = event.requestId;
            started = event.usage;
            break;
          case 'text':
            text += event.text;
            onText(event.text);
            break;
          case 'done':
            requestId = event.requestId ?? requestId;
            end = { usage: event.usage, stopReason: event.stopReason };
            break;
        }
      }
      completed = end;
      return end;
    },
    fields: (durationMs) => ({ text, model, requestId, durationMs }),
    failureContext: { model: request.model, modelSource: input.modelSource },
    logger: input.logger,
    logFields: (result) => {
      const messageChars = request.messages.reduce((sum, m) => sum + m.content.length, 0);
      return {
        asked: [
          `model=${result.model}`,
          `request=${request.system.length + messageChars} chars (system ${request.system.length}, ${request.messages.length} message${request.messages.length === 1 ? '' : 's'} ${messageChars})`,
        ],
        received: `received=${result.text.length} chars`,
        receivedIn: 'unfinished',
      };
    },
    secret: source.secret ?? '',
  });
  return { ...result, requests: receipt(result.status, result.durationMs) };
}
