/**
 * What a reply cost, from its token usage and a price table per model. The one place where
 * prices live. Pure: no `vscode`.
 *
 * List prices in US dollars per million tokens. Cache writes (5-minute TTL) cost 1.25× the
 * input price, cache reads 0.1× of it.
 */
import type { TurnUsage } from '../../shared/protocol';

/** Dollars per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite: number;
  readonly cacheRead: number;
}

function price(input: number, output: number): ModelPrice {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
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

/** What one reply cost in dollars, or undefined when the model's price is unknown. */
export function costOf(model: string, usage: TurnUsage): number | undefined {
  const p = priceOf(model);
  if (!p) {
    return undefined;
  }
  return (
    (usage.inputTokens * p.input +
      usage.outputTokens * p.output +
      usage.cacheWriteTokens * p.cacheWrite +
      usage.cacheReadTokens * p.cacheRead) /
    1_000_000
  );
}

/** Adds usages field by field (a conversation's total). */
export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}
