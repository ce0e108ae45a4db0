/**
 * What every streamed request has in common, whatever it streams (the architect's text in
 * `pipeline.ts`, the model picker's text and tool calls in `lmStream.ts`): the clock, the
 * outcome (completed, cancelled or failed, never an exception), the failure as one sentence
 * without the key, and one log line. Pure: no `vscode`.
 */
import type { TurnUsage } from '../../shared/protocol';
import { describeFailure, isCancellation, type FailureContext } from './errors';
import type { LlmFailure } from './types';

/** Where a turn writes its one line per request (the extension's output channel). */
export interface LlmLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Fields every outcome has. */
export interface TurnFields {
  /** The model that answered (the one asked for, until the API names it). */
  readonly model: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

/** How a turn ended, with the fields `F` of its kind of turn. API errors and Stop are outcomes too. */
export type TurnOutcome<F extends TurnFields> =
  | (F & { readonly status: 'completed'; readonly usage: TurnUsage; readonly stopReason: string | null })
  | (F & { readonly status: 'cancelled' })
  | (F & { readonly status: 'failed'; readonly failure: LlmFailure });

/** What the API said at the end of a complete reply. */
export interface TurnEnd {
  readonly usage: TurnUsage;
  readonly stopReason: string | null;
}

/** The parts of the log line that depend on the kind of turn. */
interface TurnLogFields {
  /** What was asked, first in the line: the model and sizes, never the content. */
  readonly asked: readonly string[];
  /** What had arrived when the turn ended, e.g. `received=120 chars`. */
  readonly received: string;
  /**
   * `always`: `received` follows the outcome in every line. `unfinished`: only the line of a
   * turn that did not complete has it (after the failure's kind and status).
   */
  readonly receivedIn: 'always' | 'unfinished';
}

export interface TurnRun<F extends TurnFields> {
  /**
   * Reads the whole reply, handing it on as it arrives. Resolves with how it ended, or
   * undefined when the stream ended without saying (a failure); throws what stopped it.
   */
  readonly read: () => Promise<TurnEnd | undefined>;
  /** The outcome's fields as they stand: what arrived so far, the model, the request id. */
  readonly fields: (durationMs: number) => F;
  /** The model asked for and where its id came from, for the failure sentence. */
  readonly failureContext: FailureContext;
  /** An error to a failure: `describeFailure` unless the turn has errors of its own. */
  readonly describe?: (err: unknown, context: FailureContext) => LlmFailure;
  readonly logger: LlmLogger;
  /** This kind of turn's part of the log line, for `result`. */
  readonly logFields: (result: TurnOutcome<F>) => TurnLogFields;
  /** Never in a log line or a failure message: the API key ('' for none). */
  readonly secret: string;
}

/**
 * Runs `run.read` to completion, cancellation or failure and logs one line. Resolves, never
 * rejects: an exception thrown while handing the reply on is reported as a failure too.
 */
export async function runTurn<F extends TurnFields>(run: TurnRun<F>): Promise<TurnOutcome<F>> {
  const { logger, secret } = run;
  const describe = run.describe ?? describeFailure;
  const startedAt = Date.now();
  let result: TurnOutcome<F>;
  try {
    const end = await run.read();
    const fields = run.fields(Date.now() - startedAt);
    result = end
      ? { ...fields, status: 'completed', usage: end.usage, stopReason: end.stopReason }
      : { ...fields, status: 'failed', failure: describe(undefined, run.failureContext) };
  } catch (err) {
    const fields = run.fields(Date.now() - startedAt);
    if (isCancellation(err)) {
      result = { ...fields, status: 'cancelled' };
    } else {
      const described = describe(err, run.failureContext);
      // A failure mid-stream (reset, timeout) has no request id of its own; the stream's applies.
      const failure: LlmFailure = {
        ...described,
        message: redact(described.message, secret),
        requestId: described.requestId ?? fields.requestId,
      };
      result = { ...fields, requestId: failure.requestId, status: 'failed', failure };
      if (failure.kind === 'unknown') {
        // Unknown errors are logged in full (minus the key) so they can be diagnosed.
        logger.error(redact(`Unexpected error: ${errorSummary(err)}`, secret));
      }
    }
  }
  logTurn(logger, result, run.logFields(result), secret);
  return result;
}

/** One line per request: what was asked, how it ended, usage. No content, no key. */
function logTurn<F extends TurnFields>(logger: LlmLogger, result: TurnOutcome<F>, fields: TurnLogFields, secret: string): void {
  const always = fields.receivedIn === 'always';
  const parts = [
    ...fields.asked,
    `id=${result.requestId ?? '-'}`,
    `duration=${result.durationMs} ms`,
    `outcome=${result.status}`,
    ...(always ? [fields.received] : []),
  ];
  switch (result.status) {
    case 'completed': {
      const u = result.usage;
      parts.push(
        `stop=${result.stopReason ?? '-'}`,
        `usage in=${u.inputTokens} out=${u.outputTokens} cacheRead=${u.cacheReadTokens} cacheWrite=${u.cacheWriteTokens}`,
      );
      logger.info(redact(parts.join(' '), secret));
      return;
    }
    case 'cancelled':
      if (!always) {
        parts.push(fields.received);
      }
      logger.info(redact(parts.join(' '), secret));
      return;
    case 'failed': {
      const f = result.failure;
      parts.push(`kind=${f.kind}`, `status=${f.status ?? '-'}`, ...(always ? [] : [fields.received]), `— ${f.message}`);
      // Worth a retry: a warning; needs the user to change something: an error.
      const line = redact(parts.join(' '), secret);
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

/** Belt and braces: no line or message leaves a turn with the key in it. */
export function redact(text: string, apiKey: string): string {
  const key = apiKey.trim();
  return key.length >= 8 ? text.split(key).join('[REDACTED]') : text;
}
