/**
 * A close, deliberately high estimate of how many tokens Claude reads, without a tokenizer
 * (Claude's is not published). Pure.
 *
 * Anthropic gives about 3.5 characters per token for English prose; code, numbers, other
 * scripts and random strings (base64, hashes) take more tokens per character. Counting by
 * runs of one kind of character follows that:
 *
 * - letters (A–Z, a–z): a run is split where camelCase starts a new word, and each piece of up
 *   to 4 letters costs a token, so short words cost one and long or rare words more;
 * - digits: a token per 2 digits;
 * - ASCII punctuation and symbols: a token each;
 * - whitespace: one space joins the word after it and costs nothing; a longer run of spaces
 *   costs a token per 4; each tab and line break costs one;
 * - other characters: a token each (accented letters, Cyrillic, CJK, symbols), 4 for one
 *   outside the Basic Multilingual Plane (emoji are several byte-level tokens);
 * - a run of 64 or more characters without whitespace (base64, hashes, minified code) costs
 *   at least a token per 1.3 characters: tokenizers find few merges in such text.
 *
 * Measured against Claude's earlier published tokenizer (`@anthropic-ai/tokenizer`), this
 * counts 0–80% more tokens than it: about 30–60% more on English prose and code, 0–20% more
 * on minified code, base64, CJK and emoji (samples in test/unit/tokens.test.ts). A budget built
 * on it errs on the safe side, and the API's own count (`count_tokens`) is asked when a request
 * comes near the limit.
 */
import type { ArchitectRequest } from '../llm/types';

/** Tokens the API adds to every request (the turn markers around the conversation). */
export const REQUEST_OVERHEAD_TOKENS = 16;
/** Tokens the API adds around each message (its role marker), and around the system prompt. */
export const MESSAGE_OVERHEAD_TOKENS = 8;

const LETTERS_PER_TOKEN = 4;
const DIGITS_PER_TOKEN = 2;
const SPACES_PER_TOKEN = 4;
const ASTRAL_TOKENS = 4;
const DENSE_RUN_CHARS = 64;
const DENSE_CHARS_PER_TOKEN = 1.3;

/** Estimated tokens of `text`; 0 for an empty text. */
export function estimateTokens(text: string): number {
  let total = 0;
  // The current run of non-whitespace characters: where it started and what it costs so far.
  let runStart = -1;
  let runTokens = 0;
  const n = text.length;
  let i = 0;
  const endRun = (): void => {
    if (runStart >= 0) {
      const length = i - runStart;
      total += length >= DENSE_RUN_CHARS ? Math.max(runTokens, Math.ceil(length / DENSE_CHARS_PER_TOKEN)) : runTokens;
      runStart = -1;
      runTokens = 0;
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE) {
      endRun();
      const start = i;
      while (i < n && text.charCodeAt(i) === SPACE) {
        i++;
      }
      if (i - start > 1) {
        total += Math.ceil((i - start) / SPACES_PER_TOKEN);
      }
      continue;
    }
    if (c === TAB || c === LF || c === CR) {
      endRun();
      total += 1;
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      continue;
    }
    if (runStart < 0) {
      runStart = i;
    }
    if (isLetter(c)) {
      let piece = 0;
      let previousLower = false;
      while (i < n && isLetter(text.charCodeAt(i))) {
        const upper = text.charCodeAt(i) <= 0x5a;
        if (upper && previousLower) {
          runTokens += Math.ceil(piece / LETTERS_PER_TOKEN);
          piece = 0;
        }
        previousLower = !upper;
        piece++;
        i++;
      }
      runTokens += Math.ceil(piece / LETTERS_PER_TOKEN);
    } else if (isDigit(c)) {
      const start = i;
      while (i < n && isDigit(text.charCodeAt(i))) {
        i++;
      }
      runTokens += Math.ceil((i - start) / DIGITS_PER_TOKEN);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      runTokens += ASTRAL_TOKENS;
      i += 2;
    } else {
      // ASCII punctuation, symbols and controls; any other character of the BMP.
      runTokens += 1;
      i++;
    }
  }
  endRun();
  return total;
}

/**
 * Estimated input tokens of a whole request: the system prompt, every message, and what the
 * API adds around them.
 */
export function estimateRequestTokens(request: Pick<ArchitectRequest, 'system' | 'messages'>): number {
  let total = REQUEST_OVERHEAD_TOKENS + systemTokens(request.system);
  for (const message of request.messages) {
    total += messageTokens(message.content);
  }
  return total;
}

/** Estimated tokens of one message, with its role marker. */
export function messageTokens(content: string): number {
  return estimateTokens(content) + MESSAGE_OVERHEAD_TOKENS;
}

/** Estimated tokens of the system prompt; nothing when there is none (an empty one is not sent). */
export function systemTokens(system: string): number {
  return system.trim() === '' ? 0 : estimateTokens(system) + MESSAGE_OVERHEAD_TOKENS;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
