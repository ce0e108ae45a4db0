import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addUsage, costOf, priceOf, PRICES } from '../../../../src/core/llm/pricing';

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

void test('the three current models have list prices; cache write is 1.25× and cache read 0.1× input', () => {
  assert.deepEqual(Object.keys(PRICES).sort(), ['claude-haiku-5-5', 'claude-opus-5-5', 'claude-sonnet-5-5']);
  const near = (actual: number | undefined, expected: number) => assert.ok(Math.abs((actual ?? NaN) - expected) < 1e-12, `${actual} ≠ ${expected}`);
  const expected = { 'claude-opus-5-5': [5, 25], 'claude-sonnet-5-5': [3, 15], 'claude-haiku-5-5': [1, 5] } as const;
  for (const [model, [input, output]] of Object.entries(expected)) {
    const p = priceOf(model);
    near(p?.input, input);
    near(p?.output, output);
    near(p?.cacheWrite, input * 1.25);
    near(p?.cacheRead, input / 10);
  }
});

void test('a dated snapshot is priced like its model; an unknown model has no price', () => {
  assert.deepEqual(priceOf('claude-sonnet-5-5-20261001'), priceOf('claude-sonnet-5-5'));
  assert.equal(priceOf('claude-instant-1'), undefined);
  assert.equal(priceOf('toString'), undefined, 'no prototype lookups');
  assert.equal(costOf('gpt-x', usage(1000, 1000)), undefined);
});

void test('cost adds the four kinds of tokens at their prices', () => {
  // Sonnet: 1M input $3, 1M output $15, 1M cache read $0.30, 1M cache write $3.75.
  const cost = costOf('claude-sonnet-5-5', usage(1_000_000, 1_000_000, 1_000_000, 1_000_000));
  assert.ok(Math.abs((cost ?? 0) - 22.05) < 1e-9, String(cost));
  const small = costOf('claude-opus-5-5', usage(3412, 987, 2900, 0));
  // 3412×5 + 987×25 + 2900×0.5 = 17060 + 24675 + 1450 = 43185 → $0.043185
  assert.ok(Math.abs((small ?? 0) - 0.043185) < 1e-12, String(small));
});

void test('usage adds field by field', () => {
  assert.deepEqual(addUsage(usage(1, 2, 3, 4), usage(10, 20, 30, 40)), usage(11, 22, 33, 44));
});

