/**
 * Turns whatever a request threw into one sentence a person can act on. The SDK's typed
 * error classes are matched with `instanceof`, never by their wording. Pure: no `vscode`.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import * as l10n from '@vscode/l10n';
import { incompleteAnswerNote, type TurnAction } from '../../shared/protocol';
import type { LlmFailure } from './types';

/** Thrown before any request when no API key is configured. */
export class MissingApiKeyError extends Error {
  constructor() {
    super('No Anthropic API key is set.');
    this.name = 'MissingApiKeyError';
  }
}

/** Thrown when no byte arrived for `idleTimeoutMs`; the request was aborted. */
export class LlmTimeoutError extends Error {
  constructor(readonly idleTimeoutMs: number) {
    super(`No data arrived for ${idleTimeoutMs} ms.`);
    this.name = 'LlmTimeoutError';
  }
}

/** Thrown when the caller's `AbortSignal` stopped the request. Not a failure. */
export class LlmCancelledError extends Error {
  constructor() {
    super('The request was cancelled.');
    this.name = 'LlmCancelledError';
  }
}

/** Thrown when the stream ended cleanly but without `message_stop`: the answer is cut. */
export class IncompleteReplyError extends Error {
  constructor() {
    super('The stream ended before the reply was complete.');
    this.name = 'IncompleteReplyError';
  }
}

/**
 * An error that already knows how to describe itself: a reply source other than the
 * Anthropic API (a chat-selected model) maps its own errors and throws this.
 */
export class DescribedError extends Error {
  constructor(readonly failure: LlmFailure) {
    super(failure.message);
    this.name = 'DescribedError';
  }
}

/**
 * True when `err` means "the user stopped it", which callers show as a stopped answer, not
 * as an error.
 */
export function isCancellation(err: unknown): boolean {
  return (
    err instanceof LlmCancelledError ||
    err instanceof APIUserAbortError ||
    (err instanceof Error && err.name === 'AbortError')
  );
}

/** What `describeFailure` needs to name the model in a "not found" message. */
export interface FailureContext {
  readonly model: string;
  /** Where the model id came from, in words, e.g. `the "lingualeap.model" setting`. */
  readonly modelSource?: string;
}

const RETRY: readonly TurnAction[] = ['retry'];
const SET_KEY: readonly TurnAction[] = ['setApiKey'];

/**
 * Maps an error from `streamArchitectReply` (or the SDK) to one sentence plus the actions
 * that can fix it. The sentence never holds the key, a stack or the code that was sent.
 */
export function describeFailure(err: unknown, context: FailureContext): LlmFailure {
  if (err instanceof DescribedError) {
    return err.failure;
  }
  if (err instanceof MissingApiKeyError) {
    return {
      kind: 'noKey',
      message: l10n.t('No Anthropic API key is set; use “Set Anthropic API Key” to add one.'),
      actions: SET_KEY,
    };
  }
  if (err instanceof LlmTimeoutError) {
    return {
      kind: 'timeout',
      message: l10n.t('The Anthropic API sent nothing for {0}, so the request was stopped; try again.', seconds(err.idleTimeoutMs / 1000)),
      actions: RETRY,
    };
  }
  if (err instanceof IncompleteReplyError) {
    return {
      kind: 'network',
      message: l10n.t('The connection to the Anthropic API closed before the answer was complete; try again.'),
      actions: RETRY,
    };
  }
  // Connection errors are APIErrors without a status: test them before the status classes.
  if (err instanceof APIConnectionTimeoutError) {
    return { kind: 'timeout', message: l10n.t('The Anthropic API did not answer in time; try again.'), actions: RETRY };
  }
  if (err instanceof APIConnectionError) {
    return {
      kind: 'network',
      message: l10n.t('Could not connect to the Anthropic API; check your network connection or the `lingualeap.baseUrl` setting.'),
      actions: [...RETRY, 'openSettings'],
    };
  }
  if (err instanceof APIError) {
    return describeApiError(err as APIError, context);
  }
  // undici's own error when the connection drops mid-body; the SDK passes it through as is.
  if (err instanceof Error && err.message === 'terminated') {
    return {
      kind: 'network',
      message: l10n.t('The connection to the Anthropic API was lost part-way through the answer; try again.'),
      actions: RETRY,
    };
  }
  return {
    kind: 'unknown',
    message: l10n.t('Something went wrong while talking to the Anthropic API; see the log for details.'),
    actions: ['openLog', ...RETRY],
  };
}

function describeApiError(err: APIError, context: FailureContext): LlmFailure {
  const ids = { status: err.status, requestId: err.requestID ?? undefined };
  if (err instanceof AuthenticationError) {
    return {
      ...ids,
      kind: 'auth',
      message: l10n.t('The Anthropic API rejected the API key (401); set a valid key.'),
      actions: SET_KEY,
    };
  }
  if (err instanceof PermissionDeniedError) {
    return {
      ...ids,
      kind: 'permission',
      message: l10n.t('The API key is not allowed to use “{0}” (403); set a key with access to it.', context.model),
      actions: SET_KEY,
    };
  }
  if (err instanceof NotFoundError) {
    const where = context.modelSource ?? l10n.t("the `lingualeap.model` setting or the agent file's model");
    return {
      ...ids,
      kind: 'notFound',
      message: l10n.t('The model “{0}” was not found; check {1}.', context.model, where),
      actions: ['openSettings'],
    };
  }
  if (err instanceof RateLimitError) {
    const retryAfterSeconds = retryAfter(err.headers);
    return {
      ...ids,
      kind: 'rateLimit',
      message:
        retryAfterSeconds !== undefined
          ? l10n.t('The Anthropic API rate limit was reached (429); try again in {0}.', seconds(retryAfterSeconds))
          : l10n.t('The Anthropic API rate limit was reached (429); try again in a minute.'),
      actions: RETRY,
      retryAfterSeconds,
    };
  }
  // OverloadedError extends InternalServerError, so it comes first.
  if (err instanceof OverloadedError) {
    return {
      ...ids,
      kind: 'overloaded',
      message: l10n.t('Claude is overloaded right now (529); try again in a moment.'),
      actions: RETRY,
      retryAfterSeconds: retryAfter(err.headers),
    };
  }
  if (err instanceof InternalServerError) {
    return {
      ...ids,
      kind: 'server',
      message: l10n.t('The Anthropic API had a server error ({0}); try again.', err.status),
      actions: RETRY,
    };
  }
  if (err instanceof ContentTooLargeError) {
    return {
      ...ids,
      kind: 'badRequest',
      message: l10n.t('The request is too large for the API (413); select less code, start a new conversation or lower `lingualeap.maxContextChars`.'),
      actions: ['openSettings'],
    };
  }
  if (err instanceof BadRequestError && PROMPT_TOO_LONG.test(err.apiMessage ?? '')) {
    return {
      ...ids,
      kind: 'badRequest',
      message: tooLongMessage(err.apiMessage ?? ''),
      actions: ['openSettings'],
    };
  }
  if (err instanceof BadRequestError) {
    return {
      ...ids,
      kind: 'badRequest',
      message: l10n.t('The Anthropic API refused the request (400): {0}', apiReason(err)),
      actions: ['openLog'],
    };
  }
  if (err.status === undefined) {
    // An `event: error` frame in an otherwise good stream: the SDK raises a status-less APIError.
    const message =
      err.type === 'overloaded_error'
        ? l10n.t('Claude became overloaded part-way through the answer; try again in a moment.')
        : l10n.t('The Anthropic API reported an error part-way through the answer ({0}); try again.', err.type ?? l10n.t('unknown error'));
    return { ...ids, kind: 'streamError', message, actions: RETRY };
  }
  return {
    ...ids,
    kind: 'unknown',
    message: l10n.t('The Anthropic API answered with an error ({0}): {1}', err.status, apiReason(err)),
    actions: ['openLog', ...RETRY],
  };
}

/** The API's wording when the input exceeds the context window: "prompt is too long: 210000 tokens > 200000 maximum". */
const PROMPT_TOO_LONG = /prompt is too long/i;

/** The "too long" sentence, with ": 210,000 tokens, at most 200,000" when the API's message gives the numbers. */
function tooLongMessage(apiMessage: string): string {
  const match = /(\d+)\s*tokens?\s*>\s*(\d+)/.exec(apiMessage);
  if (!match) {
    return l10n.t("The request is too long for the model's context window (400); start a new conversation, select less code or set `lingualeap.maxInputTokens` lower.");
  }
  const format = (digits: string): string => Number(digits).toLocaleString('en-US');
  return l10n.t(
    "The request is too long for the model's context window (400: {0} tokens, at most {1}); start a new conversation, select less code or set `lingualeap.maxInputTokens` lower.",
    format(match[1]),
    format(match[2]),
  );
}

/** The API's own explanation, on one line, short, ending with a full stop. */
function apiReason(err: APIError): string {
  const reason = (err.apiMessage ?? l10n.t('no reason given')).replace(/\s+/g, ' ').trim();
  const short = reason.length > 200 ? `${reason.slice(0, 199)}…` : reason;
  return /[.!?…]$/.test(short) ? short : `${short}.`;
}

/** Seconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms > 0) {
    return Math.ceil(ms / 1000);
  }
  const value = headers?.get('retry-after');
  if (!value) {
    return undefined;
  }
  const secs = Number.parseFloat(value);
  if (Number.isFinite(secs)) {
    return secs >= 0 ? Math.ceil(secs) : undefined;
  }
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function seconds(value: number): string {
  const n = Math.max(1, Math.round(value));
  if (n >= 120) {
    return l10n.t('{0} minutes', Math.round(n / 60));
  }
  return n === 1 ? l10n.t('1 second') : l10n.t('{0} seconds', n);
}

/** The note `incompleteAnswerMarkdown` ends with; made on each use, in the display language. */
function incompleteNoteMarkdown(): string {
  return `\n\n*${incompleteAnswerNote()}*`;
}

/**
 * Markdown to append to an answer a failure cut off, where the error is shown after it (the
 * Chat view): closes a code block left open, so the note is not read as code, then the note.
 */
export function incompleteAnswerMarkdown(partial: string): string {
  return `${closingFence(partial)}${incompleteNoteMarkdown()}`;
}

/**
 * Markdown that ends `partial` with `note` in italics on a paragraph of its own, closing a
 * code block left open first so the note is not read as code.
 */
export function noteMarkdown(partial: string, note: string): string {
  return `${closingFence(partial)}${partial.trim() === '' ? '' : '\n\n'}*${note}*`;
}

/** A line closing the fenced code block still open at the end of `markdown`, or ''. */
export function closingFence(markdown: string): string {
  const fence = openFence(markdown);
  return fence === undefined ? '' : `\n${fence}`;
}

/** An answer without the note `incompleteAnswerMarkdown` added, to send it back as history. */
export function withoutIncompleteNote(answer: string): string {
  const note = incompleteNoteMarkdown();
  return answer.endsWith(note) ? answer.slice(0, -note.length) : answer;
}

/** The fence that would close a fenced code block still open at the end of `markdown`. */
function openFence(markdown: string): string | undefined {
  let open: string | undefined;
  for (const line of markdown.split('\n')) {
    const match = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(line);
    if (!match) {
      continue;
    }
    const [, fence, rest] = match;
    if (open === undefined) {
      // A backtick fence's info string cannot hold a backtick: such a line is inline code.
      if (!(fence.startsWith('`') && rest.includes('`'))) {
        open = fence;
      }
    } else if (fence[0] === open[0] && fence.length >= open.length && rest.trim() === '') {
      open = undefined;
    }
  }
  return open;
}
