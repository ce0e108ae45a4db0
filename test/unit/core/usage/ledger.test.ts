/**
 * The usage ledger in a time zone with daylight saving time (New York): local days and months,
 * the 20,000-row bound, totals, cache savings, month-to-date, CSV and storage.
 */
process.env.TZ = 'America/New_York';

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { decodeRows, encodeRows, localDay, MAX_ROWS, monthKey, UsageLedger, usageRows, type UsageRow } from '../../../../src/core/usage/ledger';
import { usageViewData } from '../../../../src/core/usage/view';

const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

/** Epoch ms of a New York wall-clock time, from its UTC offset written out (no Date parsing of local strings). */
const ny = (iso: string) => Date.parse(iso);

/** A row; an override set to undefined leaves the field out (as stored rows have it). */
function row(at: number, overrides: Partial<UsageRow> = {}): UsageRow {
  const full: UsageRow = {
    at,
    agent: 'lingualeap-backend-architect',
    model: 'claude-sonnet-5-5',
    inputTokens: 100,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    outputTokens: 10,
    cost: 0.01,
    partial: false,
    billedTo: 'key',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(full).filter(([, value]) => value !== undefined)) as unknown as UsageRow;
}

void test('the test runs in New York time: offsets change on 1 November 2026', () => {
  assert.equal(new Date(ny('2026-10-31T12:00:00-04:00')).getHours(), 12);
  assert.equal(new Date(ny('2026-11-02T12:00:00-05:00')).getHours(), 12);
  assert.equal(localDay(ny('2026-11-30T22:00:00-05:00')), '2026-11-30', 'late evening is still the 30th locally (1 December in UTC)');
  assert.equal(monthKey(ny('2026-11-30T22:00:00-05:00')), '2026-11');
});

void test('bounded: past the limit the oldest rows are dropped, in time order even when recorded out of order', () => {
  let ledger = new UsageLedger([], 5);
  for (let i = 0; i < 4; i++) {
    ledger = ledger.with([row(1000 + i, { requestId: `r${i}` })]);
  }
  ledger = ledger.with([row(2000, { requestId: 'late' }), row(999, { requestId: 'early' }), row(1500, { requestId: 'middle' })]);
  assert.deepEqual(ledger.rows.map((r) => r.requestId), ['r1', 'r2', 'r3', 'middle', 'late'], 'early (999) and r0 were the oldest');
  assert.equal(ledger.rows.length, 5);
  assert.equal(new UsageLedger().max, MAX_ROWS);
  assert.equal(MAX_ROWS, 20_000);
  const full = new UsageLedger(Array.from({ length: MAX_ROWS + 7 }, (_, i) => row(i, { requestId: `q${i}` })));
  assert.equal(full.rows.length, 20_000);
  assert.equal(full.rows[0].requestId, 'q7');
  assert.equal(full.rows.at(-1)!.requestId, `q${MAX_ROWS + 6}`);
});

const NOW = ny('2026-11-15T15:00:00-05:00');

void test('spend per local day for 30 days, stacked by model, across the end of daylight saving time', () => {
  const ledger = new UsageLedger([
    // 16 October: one day too old for a 30-day window ending 15 November.
    row(ny('2026-10-16T23:59:00-04:00'), { cost: 5 }),
    row(ny('2026-10-17T00:00:00-04:00'), { cost: 0.5, model: 'claude-opus-5-5' }),
    // 1 November is 25 hours long in New York: 23:30 is 04:30 UTC on the 2nd.
    row(ny('2026-11-01T23:30:00-05:00'), { cost: 0.25 }),
    row(ny('2026-11-02T00:10:00-05:00'), { cost: 0.125 }),
    row(ny('2026-11-15T08:00:00-05:00'), { cost: 1, model: 'claude-opus-5-5' }),
    row(ny('2026-11-15T09:00:00-05:00'), { cost: 0.5 }),
    row(ny('2026-11-15T10:00:00-05:00'), { cost: undefined, model: 'claude-mystery' }),
    row(ny('2026-11-15T11:00:00-05:00'), { cost: undefined, billedTo: 'chat', model: 'copilot-gpt' }),
    // Tomorrow (a clock that ran ahead) is not today.
    row(ny('2026-11-16T00:00:00-05:00'), { cost: 7 }),
  ]);
  const d = ledger.dailySpend(NOW);
  assert.equal(d.days.length, 30);
  assert.equal(d.days[0], '2026-10-17');
  assert.equal(d.days.at(-1), '2026-11-15');
  assert.equal(new Set(d.days).size, 30, 'no day twice, none skipped, across the 25-hour day');
  assert.deepEqual(d.models, ['claude-opus-5-5', 'claude-sonnet-5-5']);
  const at = (day: string) => d.days.indexOf(day);
  const opus = d.byModel[0];
  const sonnet = d.byModel[1];
  near(opus[at('2026-10-17')], 0.5, 'first day');
  near(sonnet[at('2026-11-01')], 0.25, '23:30 on the 25-hour day');
  near(sonnet[at('2026-11-02')], 0.125, 'just after midnight');
  near(opus[at('2026-11-15')], 1);
  near(sonnet[at('2026-11-15')], 0.5);
  near(d.totals[at('2026-11-15')], 1.5);
  near(d.total, 0.5 + 0.25 + 0.125 + 1.5);
  assert.equal(d.unpriced, 1, 'the unknown-price request billed to the key; the chat one is not spend');
});

void test('totals by agent and by model: tokens of every row, dollars of priced rows billed to the key, the rest counted', () => {
  const ledger = new UsageLedger([
    row(1, { agent: 'architect', cost: 0.5, inputTokens: 10, cacheWriteTokens: 20, cacheReadTokens: 30, outputTokens: 40 }),
    row(2, { agent: 'architect', cost: 0.25, model: 'claude-opus-5-5', inputTokens: 1, cacheWriteTokens: 2, cacheReadTokens: 3, outputTokens: 4 }),
    row(3, { agent: 'reviewer', cost: undefined, model: 'claude-mystery' }),
    row(4, { agent: 'reviewer', cost: undefined, billedTo: 'chat', model: 'copilot-gpt' }),
    row(5, { agent: 'reviewer', cost: 1 }),
  ]);
  const agents = ledger.totalsBy('agent');
  assert.deepEqual(agents.map((t) => [t.key, t.requests, t.cost, t.unpriced, t.chat]), [
    ['reviewer', 3, 1, 1, 1],
    ['architect', 2, 0.75, 0, 0],
  ]);
  assert.deepEqual(
    [agents[1].inputTokens, agents[1].cacheWriteTokens, agents[1].cacheReadTokens, agents[1].outputTokens],
    [11, 22, 33, 44],
  );
  const models = ledger.totalsBy('model');
  assert.deepEqual(models.map((t) => [t.key, t.requests, t.cost]), [
    ['claude-sonnet-5-5', 2, 1.5],
    ['claude-opus-5-5', 1, 0.25],
    ['claude-mystery', 1, 0],
    ['copilot-gpt', 1, 0],
  ]);
});

void test('cache savings over the priced rows billed to the key: every cached token as fresh input, minus the actual price', () => {
  const ledger = new UsageLedger([
    // Sonnet: reads 10,000 (saved 10,000 × $2.70/M), writes 2,000 at 5 min (cost 2,000 × $0.75/M more), 1,000 of them for an hour (another 1,000 × $2.25/M).
    row(1, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 10_000, cacheWriteTokens: 2_000, cacheWrite1hTokens: 1_000 }),
    // Unknown price and chat rows saved nothing that can be priced.
    row(2, { model: 'claude-mystery', cacheReadTokens: 50_000, cost: undefined }),
    row(3, { billedTo: 'chat', cacheReadTokens: 50_000, cost: undefined }),
  ]);
  const s = ledger.cacheSavings();
  near(s.withoutCache, (12_000 * 3) / 1e6);
  near(s.actual, (10_000 * 0.3 + 1_000 * 3.75 + 1_000 * 6) / 1e6);
  near(s.saved, (36_000 - 3_000 - 3_750 - 6_000) / 1e6);
  assert.equal(s.cacheReadTokens, 10_000);
  assert.equal(s.cacheWriteTokens, 2_000);
});

void test('month to date: the local calendar month, rows billed to the key only, and a new month starts at 0', () => {
  const ledger = new UsageLedger([
    row(ny('2026-10-31T23:59:00-04:00'), { cost: 100 }),
    row(ny('2026-11-01T00:00:00-04:00'), { cost: 1 }),
    row(ny('2026-11-20T12:00:00-05:00'), { cost: 2, billedTo: 'chat' }),
    row(ny('2026-11-30T22:00:00-05:00'), { cost: 4 }),
    row(ny('2026-12-01T00:00:00-05:00'), { cost: 8 }),
  ]);
  near(ledger.monthToDate(NOW), 5, 'November: 1 + 4 (the 22:00 row is 1 December in UTC, November here)');
  near(ledger.monthToDate(ny('2026-12-01T00:30:00-05:00')), 8, 'December so far');
  near(ledger.monthToDate(ny('2027-01-01T00:00:00-05:00')), 0, 'a month with nothing yet');
});

void test('rows of a turn: one per request, priced, never anything but numbers and names', () => {
  const requests = [
    { requestId: 'req_1', model: 'claude-sonnet-5-5', usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 }, partial: false, outcome: 'completed' as const, durationMs: 5, webSearches: 2, webFetches: 0 },
    { model: 'claude-sonnet-5-5', usage: { inputTokens: 10, outputTokens: 0, cacheReadTokens: 500, cacheWriteTokens: 40, cacheWrite1hTokens: 40 }, partial: true, outcome: 'cancelled' as const, durationMs: 5, webSearches: 0, webFetches: 0 },
  ];
  const rows = usageRows(requests, { at: 42, agent: 'architect', billedTo: 'key' });
  assert.deepEqual(rows[1], { at: 42, agent: 'architect', model: 'claude-sonnet-5-5', inputTokens: 10, cacheWriteTokens: 40, cacheReadTokens: 500, outputTokens: 0, cacheWrite1hTokens: 40, cost: (30 + 150 + 240) / 1e6, partial: true, billedTo: 'key' });
  near(rows[0].cost, (3000 + 1500) / 1e6 + 0.02, 'tokens and two searches');
  assert.equal(rows[0].requestId, 'req_1');
  const chat = usageRows(requests, { at: 42, agent: 'architect', billedTo: 'chat' });
  assert.ok(chat.every((r) => r.cost === undefined && r.billedTo === 'chat'), 'a chat-model turn is never priced as spend');
});

void test('CSV: a header, one CRLF line per request, RFC 4180 quoting, formula-injection safe', () => {
  const ledger = new UsageLedger([
    row(Date.UTC(2026, 10, 15, 20, 0, 0), { agent: 'plain', requestId: 'req_1', cost: 0.043185, cacheWriteTokens: 30, cacheWrite1hTokens: 10 }),
    row(Date.UTC(2026, 10, 15, 20, 1, 0), { agent: 'has, comma and "quotes"', model: 'line\nbreak', cost: undefined, partial: true }),
    row(Date.UTC(2026, 10, 15, 20, 2, 0), { agent: '=HYPERLINK("http://x")', model: '+cmd', requestId: '-2+3', billedTo: 'chat', cost: undefined }),
    row(Date.UTC(2026, 10, 15, 20, 3, 0), { agent: '@SUM(A1)', model: '\tTAB', requestId: 'a=b' }),
  ]);
  const csv = ledger.toCsv();
  const lines = csv.split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(lines[0], 'date,agent,model,input_tokens,cache_write_tokens,cache_write_1h_tokens,cache_read_tokens,output_tokens,price_usd,request_id,partial,billed_to');
  assert.equal(lines[1], '2026-11-15T20:00:00.000Z,plain,claude-sonnet-5-5,100,30,10,0,10,0.043185,req_1,false,key');
  assert.equal(lines[2], '2026-11-15T20:01:00.000Z,"has, comma and ""quotes""","line\nbreak",100,0,0,0,10,,,true,key');
  assert.equal(lines[3], `2026-11-15T20:02:00.000Z,"'=HYPERLINK(""http://x"")",'+cmd,100,0,0,0,10,,'-2+3,false,chat`);
  assert.equal(lines[4], `2026-11-15T20:03:00.000Z,'@SUM(A1),'\tTAB,100,0,0,0,10,0.01,a=b,false,key`);
  assert.equal(parseCsv(csv).length, 5, 'a strict RFC 4180 reader sees 5 records of 12 fields');
});

/** A strict RFC 4180 reader: records of fields, quotes doubled inside quoted fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"') {
      assert.equal(field, '', 'a quote only opens a field');
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      assert.equal(record.length, 12, `12 fields: ${JSON.stringify(record)}`);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      assert.ok(c !== '\r' && c !== '\n', 'a bare line break outside quotes');
      field += c;
      i++;
    }
  }
  assert.equal(field, '');
  return records;
}

void test('storage: rows survive encode → JSON → decode; anything malformed is dropped, never thrown', () => {
  const rows = [
    row(1, { requestId: 'r1', cacheWriteTokens: 30, cacheWrite1hTokens: 10 }),
    row(2, { cost: undefined, billedTo: 'chat', partial: true }),
  ];
  const stored: unknown = JSON.parse(JSON.stringify(encodeRows(rows)));
  assert.deepEqual(decodeRows(stored), { rows, dropped: 0 });
  const bad: unknown[] = [
    ...(stored as unknown[]),
    null,
    'text',
    [1, 'a', 'm', 1, 1, 1, 1, null, null, 0, 'someone-else', 0],
    [-5, 'a', 'm', 1, 1, 1, 1, null, null, 0, 'key', 0],
    [1, 'a', 'm', 1.5, 1, 1, 1, null, null, 0, 'key', 0],
    [1, 'a', 'm', 1, 1, 1, 1, -1, null, 0, 'key', 0],
    [1, 'a', 'm', 1, 1, 1, 1, null, 7, 0, 'key', 0],
    { at: 1 },
  ];
  assert.deepEqual(decodeRows(bad), { rows, dropped: 8 });
  assert.deepEqual(decodeRows(undefined), { rows: [], dropped: 0 });
  assert.deepEqual(decodeRows({ not: 'a list' }), { rows: [], dropped: 1 });
  const json = JSON.stringify(encodeRows(Array.from({ length: MAX_ROWS }, (_, i) => row(1_790_000_000_000 + i * 60_000, { requestId: `req_011CUz${String(i).padStart(16, '0')}`, cacheReadTokens: 123_456, cacheWriteTokens: 2_345 }))));
  assert.ok(json.length < 3_000_000, `20,000 stored rows take ${json.length} bytes`);
});

void test('the view data: 30 days, totals, savings, the month so far and its name', () => {
  const ledger = new UsageLedger([row(ny('2026-11-15T09:00:00-05:00'), { cost: 0.5 }), row(ny('2026-10-01T09:00:00-04:00'), { cost: 2 })]);
  const data = usageViewData(ledger, NOW, 10);
  assert.equal(data.requests, 2);
  assert.equal(data.since, ny('2026-10-01T09:00:00-04:00'));
  assert.equal(data.monthLabel, 'November 2026');
  near(data.monthToDate, 0.5);
  assert.equal(data.budget, 10);
  near(data.daily.total, 0.5, 'October 1 is outside the 30 days');
  assert.equal(data.byAgent[0].requests, 2);
  assert.equal(usageViewData(ledger, NOW, 0).budget, undefined, 'no budget');
  assert.equal(usageViewData(new UsageLedger(), NOW).requests, 0);
});
