/**
 * The price table's cache tiers and server tools: 5-minute writes at 1.25× input, 1-hour writes
 * at 2×, reads at 0.1×, web search at $10 per 1,000; a model without a price costs "unknown",
 * never 0.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { addUsage, cacheWrite1hOf, costOf, costWithoutCacheOf, priceOf, WEB_SEARCH_DOLLARS } from '../../../../src/core/llm/pricing';

const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what} ${actual} ≠ ${expected}`);

const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

void test('every model prices a 1-hour cache write at twice its input price', () => {
  for (const model of ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5']) {
    const p = priceOf(model)!;
    near(p.cacheWrite1h, p.input * 2, model);
    near(p.cacheWrite, p.input * 1.25, model);
    near(p.cacheRead, p.input * 0.1, model);
  }
});

void test('a cache write split by TTL: the 1-hour part at 2×, the rest at 1.25× (Sonnet, $3 input)', () => {
  // 1M written, 400k of them for an hour: 600k × $3.75 + 400k × $6 = $2.25 + $2.40.
  near(costOf('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 400_000 }), 4.65);
  // Without the split every write is a 5-minute one, as before.
  near(costOf('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000 }), 3.75);
  // All of it for an hour.
  near(costOf('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000 }), 6);
});

void test('a 1-hour count outside [0, cache write] is clamped, not trusted', () => {
  assert.equal(cacheWrite1hOf({ ...none, cacheWriteTokens: 100, cacheWrite1hTokens: 500 }), 100);
  assert.equal(cacheWrite1hOf({ ...none, cacheWriteTokens: 100, cacheWrite1hTokens: -5 }), 0);
  assert.equal(cacheWrite1hOf({ ...none, cacheWriteTokens: 100, cacheWrite1hTokens: Number.NaN }), 0);
  near(costOf('claude-haiku-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 9_000_000 }), 2);
});

void test('web search is $10 per 1,000 searches on top of the tokens; an unknown model is still "price unknown"', () => {
  near(WEB_SEARCH_DOLLARS * 1000, 10);
  near(costOf('claude-opus-5-5', { ...none, inputTokens: 1000 }, 3), 0.005 + 0.03);
  assert.equal(costOf('gpt-x', { ...none, inputTokens: 1000 }, 3), undefined);
  assert.equal(costOf('claude-opus-5-5', none, 0), 0, 'a known model with no tokens costs 0, not unknown');
});

void test('the price without the cache counts every cached token, read or written, as fresh input', () => {
  const usage = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 9000, cacheWriteTokens: 900, cacheWrite1hTokens: 300 };
  // Sonnet: (100 + 9000 + 900) × $3 + 10 × $15.
  near(costWithoutCacheOf('claude-sonnet-5-5', usage), (10_000 * 3 + 10 * 15) / 1e6);
  // Actual: 100 × 3 + 10 × 15 + 9000 × 0.3 + 600 × 3.75 + 300 × 6.
  near(costOf('claude-sonnet-5-5', usage), (300 + 150 + 2700 + 2250 + 1800) / 1e6);
  assert.equal(costWithoutCacheOf('mystery', usage), undefined);
});

void test('adding usages keeps the 1-hour writes when either side has them, and adds none otherwise', () => {
  const a = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 40 };
  assert.deepEqual(addUsage(a, a), { inputTokens: 2, outputTokens: 4, cacheReadTokens: 6, cacheWriteTokens: 80 });
  assert.deepEqual(addUsage(a, { ...a, cacheWrite1hTokens: 10 }), { inputTokens: 2, outputTokens: 4, cacheReadTokens: 6, cacheWriteTokens: 80, cacheWrite1hTokens: 10 });
});
