/**
 * The monthly budget (warn once a month past 80 %, refuse at 100 %, a new month starts over),
 * the confirmation threshold, and the cost estimate with its cached share. Sydney time: months
 * turn over there while it is still the previous month in UTC.
 */
process.env.TZ = 'Australia/Sydney';

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { budgetDecision, shouldConfirm, type BudgetDecision, type BudgetInput } from '../../../../src/core/usage/budget';
import { cachedPrefixTokens, estimateCost } from '../../../../src/core/usage/estimate';
import { UsageLedger, type UsageRow } from '../../../../src/core/usage/ledger';

const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

/** 15 November 2026, 10:00 in Sydney (UTC+11). */
const NOV = Date.parse('2026-11-15T10:00:00+11:00');
/** 1 December 2026, 00:30 in Sydney: still 30 November in UTC. */
const DEC = Date.parse('2026-12-01T00:30:00+11:00');

const decide = (overrides: Partial<BudgetInput>): BudgetDecision =>
  budgetDecision({ monthlyDollars: 10, spentThisMonth: 0, estimate: 0, warnedMonth: undefined, now: NOV, ...overrides });

void test('no budget (0, negative, not a number): always send, never warn', () => {
  for (const monthlyDollars of [0, -5, Number.NaN]) {
    assert.deepEqual(decide({ monthlyDollars, spentThisMonth: 1e6, estimate: 1e6 }), { action: 'send', warn: false, warnedMonth: undefined });
  }
});

void test('under 80 %: send quietly', () => {
  assert.deepEqual(decide({ spentThisMonth: 7.5, estimate: 0.49 }), { action: 'send', warn: false, warnedMonth: undefined });
});

void test('crossing 80 % warns once a month, with the marker to store; the next question of the month does not warn', () => {
  const first = decide({ spentThisMonth: 7.9, estimate: 0.2 });
  assert.equal(first.action, 'send');
  assert.ok(first.action === 'send' && first.warn);
  assert.equal(first.warnedMonth, '2026-11');
  assert.equal(first.action === 'send' ? first.warning : '', "This month's spend with this question is $8.10, 81% of your monthly budget of $10.00.");
  const second = decide({ spentThisMonth: 8.5, estimate: 0.2, warnedMonth: first.warnedMonth });
  assert.deepEqual(second, { action: 'send', warn: false, warnedMonth: '2026-11' });
});

void test('at 100 % refuse with one sentence naming the spend and the budget; the warned month is kept', () => {
  const reached = decide({ spentThisMonth: 10, estimate: 0, warnedMonth: '2026-11' });
  assert.deepEqual(reached, { action: 'refuse', message: "This month's spend, $10.00, has reached your monthly budget of $10.00.", warnedMonth: '2026-11' });
  const wouldCross = decide({ spentThisMonth: 9.7, estimate: 0.45 });
  assert.equal(wouldCross.action, 'refuse');
  assert.equal(
    wouldCross.action === 'refuse' ? wouldCross.message : '',
    "This question could cost up to $0.45, which would take this month's spend of $9.70 past your monthly budget of $10.00.",
  );
  for (const d of [reached, wouldCross]) {
    assert.ok(d.action === 'refuse' && /^[^.]*\.$/.test(d.message.replace(/\$\d+\.\d+/g, '$')), 'one sentence');
  }
});

void test('refused, the caller may still send (Send Anyway): the spend is recorded and the next question is refused again', () => {
  let ledger = new UsageLedger([row(Date.parse('2026-11-03T09:00:00+11:00'), 9.9)]);
  const estimate = estimateCost({ model: 'claude-sonnet-5-5', inputTokens: 20_000, cachedTokens: 0, maxOutputTokens: 8192 })!.total;
  const decision = decide({ spentThisMonth: ledger.monthToDate(NOV), estimate });
  assert.equal(decision.action, 'refuse');
  // The user chose "Send Anyway": nothing in the decision stops the caller, which records the answer.
  ledger = ledger.with([row(NOV, 0.12)]);
  near(ledger.monthToDate(NOV), 10.02);
  const next = decide({ spentThisMonth: ledger.monthToDate(NOV), estimate: 0 });
  assert.equal(next.action, 'refuse');
  assert.match(next.action === 'refuse' ? next.message : '', /^This month's spend, \$10\.02, has reached your monthly budget of \$10\.00\.$/);
});

void test('an unknown estimate counts as 0: the spend alone decides', () => {
  assert.equal(decide({ spentThisMonth: 9.99, estimate: undefined }).action, 'send');
  assert.equal(decide({ spentThisMonth: 10, estimate: undefined }).action, 'refuse');
});

function row(at: number, cost: number): UsageRow {
  return { at, agent: 'a', model: 'claude-sonnet-5-5', inputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 1, cost, partial: false, billedTo: 'key' };
}

void test('month rollover (local time): November spend no longer counts and the user is warned again in December', () => {
  const ledger = new UsageLedger([row(NOV, 9.5), row(Date.parse('2026-12-01T00:10:00+11:00'), 8.2)]);
  near(ledger.monthToDate(NOV), 9.5);
  near(ledger.monthToDate(DEC), 8.2, 'December in Sydney, though still November in UTC');
  const november = decide({ spentThisMonth: ledger.monthToDate(NOV), estimate: 0 });
  assert.equal(november.warnedMonth, '2026-11');
  const december = decide({ spentThisMonth: ledger.monthToDate(DEC), estimate: 0, warnedMonth: november.warnedMonth, now: DEC });
  assert.ok(december.action === 'send' && december.warn, 'a new month warns again');
  assert.equal(december.warnedMonth, '2026-12');
  assert.deepEqual(decide({ spentThisMonth: 1, warnedMonth: '2026-11', now: DEC }), { action: 'send', warn: false, warnedMonth: '2026-11' });
});

void test('confirm above the threshold (lingualeap.confirmAboveDollars): 0 never asks, an unknown price never asks', () => {
  assert.equal(shouldConfirm(0.26, 0.25), true);
  assert.equal(shouldConfirm(0.25, 0.25), false, 'at the threshold: no');
  assert.equal(shouldConfirm(0.01, 0.25), false);
  assert.equal(shouldConfirm(100, 0), false);
  assert.equal(shouldConfirm(undefined, 0.25), false);
  assert.equal(shouldConfirm(Number.NaN, 0.25), false);
});

void test('estimate: the cached part at the read price, the rest at the cache-write price, the longest answer at the output price', () => {
  // Opus ($5 in, $25 out): 100k prompt, 80k cached → 80k × $0.50 + 20k × $6.25; 8k out × $25.
  const e = estimateCost({ model: 'claude-opus-5-5', inputTokens: 100_000, cachedTokens: 80_000, maxOutputTokens: 8_000 })!;
  near(e.input, (80_000 * 0.5 + 20_000 * 6.25) / 1e6);
  near(e.maxOutput, 0.2);
  near(e.total, e.input + e.maxOutput);
  const plain = estimateCost({ model: 'claude-opus-5-5', inputTokens: 100_000, cachedTokens: 0, maxOutputTokens: 0, writesCache: false })!;
  near(plain.total, 0.5);
  // A cached share larger than the prompt is clamped; a negative one is 0.
  near(estimateCost({ model: 'claude-haiku-5-5', inputTokens: 1000, cachedTokens: 5000, maxOutputTokens: 0 })!.input, (1000 * 0.1) / 1e6);
  near(estimateCost({ model: 'claude-haiku-5-5', inputTokens: 1000, cachedTokens: -5, maxOutputTokens: 0 })!.input, (1000 * 1.25) / 1e6);
  assert.equal(estimateCost({ model: 'gpt-x', inputTokens: 1000, cachedTokens: 0, maxOutputTokens: 100 }), undefined, 'price unknown, never 0');
});

void test('the cached share guess: the previous prompt of the same model, within 5 minutes, when the new prompt is no shorter', () => {
  const previous = { model: 'claude-sonnet-5-5', promptTokens: 12_000, at: NOV };
  const guess = (overrides: Partial<Parameters<typeof cachedPrefixTokens>[0]>) =>
    cachedPrefixTokens({ previous, model: 'claude-sonnet-5-5', inputTokens: 15_000, now: NOV + 60_000, ...overrides });
  assert.equal(guess({}), 12_000);
  assert.equal(guess({ now: NOV + 5 * 60_000 }), 0, 'expired');
  assert.equal(guess({ model: 'claude-opus-5-5' }), 0, 'caches are per model');
  assert.equal(guess({ inputTokens: 11_000 }), 0, 'the prompt shrank (history left out): the prefix changed');
  assert.equal(guess({ previous: undefined }), 0);
  assert.equal(guess({ now: NOV + 30 * 60_000, ttlMs: 60 * 60_000 }), 12_000, 'a 1-hour cache');
});
