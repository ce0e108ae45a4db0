/**
 * What a question will cost at most, before it is sent: its input (the part the prompt cache
 * should hold at the cache-read price) and its longest possible answer. Pure: no `vscode`.
 */
import { priceOf } from '../llm/pricing';

export interface EstimateInput {
  readonly model: string;
  /** The whole prompt: system, tools, conversation, code and question. */
  readonly inputTokens: number;
  /** The part of `inputTokens` expected to be read from the prompt cache (see `cachedPrefixTokens`). */
  readonly cachedTokens: number;
  /** The request's `max_tokens`: the answer cannot be longer. */
  readonly maxOutputTokens: number;
  /**
   * The rest of the prompt is written to the cache (the architect's requests put a breakpoint
   * on the newest message), at 1.25× input. Default true, so the total stays an upper bound;
   * false prices it as plain input.
   */
  readonly writesCache?: boolean;
}

/** Dollars. `total` is an upper bound: the answer is rarely as long as `max_tokens` allows. */
export interface CostEstimate {
  readonly input: number;
  /** The price of `maxOutputTokens` of output. */
  readonly maxOutput: number;
  readonly total: number;
}

/** The estimate, or undefined when the model's price is unknown (never 0). */
export function estimateCost(input: EstimateInput): CostEstimate | undefined {
  const price = priceOf(input.model);
  if (!price) {
    return undefined;
  }
  const tokens = Math.max(0, input.inputTokens);
  const cached = Math.min(Math.max(0, input.cachedTokens), tokens);
  const fresh = tokens - cached;
  const inputDollars = (cached * price.cacheRead + fresh * (input.writesCache === false ? price.input : price.cacheWrite)) / 1_000_000;
  const maxOutput = (Math.max(0, input.maxOutputTokens) * price.output) / 1_000_000;
  return { input: inputDollars, maxOutput, total: inputDollars + maxOutput };
}

/** The previous request of the conversation, as far as the prompt cache is concerned. */
export interface PreviousRequest {
  readonly model: string;
  /** Its whole prompt in tokens (fresh input + cache read + cache write): what it left in the cache. */
  readonly promptTokens: number;
  /** When it ended, epoch milliseconds. */
  readonly at: number;
}

/** The default cache lifetime: 5 minutes, refreshed by each read. */
const CACHE_TTL_MS = 5 * 60_000;

/**
 * A guess at how many of a new prompt's tokens the cache will hold: the previous request's
 * prompt, when it went to the same model within the cache's lifetime and the new prompt
 * starts with it (the conversation only grew). 0 otherwise: a guess that errs on the high side
 * of the price.
 */
export function cachedPrefixTokens(options: {
  readonly previous: PreviousRequest | undefined;
  readonly model: string;
  readonly inputTokens: number;
  readonly now: number;
  readonly ttlMs?: number;
}): number {
  const { previous, model, inputTokens, now } = options;
  if (!previous || previous.model !== model || previous.promptTokens > inputTokens) {
    return 0;
  }
  const age = now - previous.at;
  return age >= 0 && age < (options.ttlMs ?? CACHE_TTL_MS) ? previous.promptTokens : 0;
}
