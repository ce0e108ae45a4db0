/**
 * What a reply cost, from its token usage and a price table per model. The one place where
 * prices live. Pure: no `vscode`.
 *
 * List prices in US dollars per million tokens. Prompt-cache writes cost 1.25× the input price
 * at the default 5-minute TTL and 2× at the 1-hour TTL; cache reads cost 0.1× of it. Web
 * search, a server tool, costs $10 per 1,000 searches on top of its tokens; web fetch costs
 * only the tokens of what it fetched.
 */
import type { TurnUsage } from '../../shared/protocol';

/** Dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** A cache write at the default 5-minute TTL. */
  readonly cacheWrite: number;
  /** A cache write at the 1-hour TTL (`cache_control: { type: 'ephemeral', ttl: '1h' }`). */
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
}

/**
 * A usage that may say how much of its cache write was at the 1-hour TTL. `cacheWrite1hTokens`
 * is a part of `cacheWriteTokens`, as on the wire (`cache_creation_input_tokens` is the sum of
 * `cache_creation.ephemeral_5m_input_tokens` and `ephemeral_1h_input_tokens`); without it
 * every write is priced at the 5-minute TTL. Every `TurnUsage` is one.
 */
export interface PricedUsage extends TurnUsage {
  readonly cacheWrite1hTokens?: number;
}

/** Dollars per web search (Anthropic's list price: $10 per 1,000 searches). */
export const WEB_SEARCH_DOLLARS = 10 / 1000;

function price(input: number, output: number): ModelPrice {
  return { input, output, cacheWrite: input * 1.25, cacheWrite1h: input * 2, cacheRead: input * 0.1 };
}

/** Current Claude models by id. Dated snapshots (`claude-sonnet-5-5-20261001`) match their base id. */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-5-5': price(5, 25),
  'claude-sonnet-5-5': price(3, 15),
  'claude-haiku-5-5': price(1, 5),
};

/** The price of `model`, or undefined when it is not in the table ("price unknown"). */
export function priceOf(model: string): ModelPrice | undefined {
  const id = model.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(PRICES, id)) {
    return PRICES[id];
  }
  const base = id.replace(/-\d{8}$/, '');
  return Object.prototype.hasOwnProperty.call(PRICES, base) ? PRICES[base] : undefined;
}

/** The 1-hour part of a usage's cache write, within `[0, cacheWriteTokens]`. */
export function cacheWrite1hOf(usage: PricedUsage): number {
  const long = usage.cacheWrite1hTokens ?? 0;
  return Number.isFinite(long) ? Math.min(Math.max(0, long), usage.cacheWriteTokens) : 0;
}

/**
 * What one reply cost in dollars, or undefined when the model's price is unknown (never 0).
 * `webSearches`: searches Anthropic ran for it (billed per search, whatever the model).
 */
export function costOf(model: string, usage: PricedUsage, webSearches = 0): number | undefined {
  const p = priceOf(model);
  if (!p) {
    return undefined;
  }
  const long = cacheWrite1hOf(usage);
  return (
    (usage.inputTokens * p.input +
      usage.outputTokens * p.output +
      (usage.cacheWriteTokens - long) * p.cacheWrite +
      long * p.cacheWrite1h +
      usage.cacheReadTokens * p.cacheRead) /
      1_000_000 +
    Math.max(0, webSearches) * WEB_SEARCH_DOLLARS
  );
}

/**
 * What the same reply would have cost with no prompt cache: every token read from or written
 * to the cache priced as fresh input. Undefined when the model's price is unknown.
 */
export function costWithoutCacheOf(model: string, usage: PricedUsage, webSearches = 0): number | undefined {
  return costOf(
    model,
    { inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens, outputTokens: usage.outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0 },
    webSearches,
  );
}

/** Adds usages field by field (a conversation's total); the 1-hour writes too when either has them. */
export function addUsage(a: PricedUsage, b: PricedUsage): PricedUsage {
  const sum: PricedUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
  return a.cacheWrite1hTokens === undefined && b.cacheWrite1hTokens === undefined
    ? sum
    : { ...sum, cacheWrite1hTokens: cacheWrite1hOf(a) + cacheWrite1hOf(b) };
}
