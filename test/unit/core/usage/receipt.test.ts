/**
 * Receipts: tokens by kind summed over every request of a turn (partial ones flagged), the
 * price, and what the prompt cache saved. Hand-computed turns, and real tool turns run against
 * the fake Anthropic API (the fake's prefix-cache accounting decides what was read and written).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runToolLoop, type ToolLoopResult } from '../../../../src/core/llm/toolLoop';
import type { ArchitectRequest } from '../../../../src/core/llm/types';
import { receiptMarkdown, receiptOf, receiptSummary, type ReceiptRequest } from '../../../../src/core/usage/receipt';
import type { FakeAnthropic, Scenario } from '../../../fake-anthropic/server';
import { logRecorders, useFakeAnthropic } from '../../support/fakeApi';

const KEY = 'fake-key-test-receipt-0123456789abcdef';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));
const recorder = logRecorders([KEY]);

const near = (actual: number | undefined, expected: number, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

const base = { model: 'claude-sonnet-5-5', outcome: 'completed' as const, partial: false, webSearches: 0, webFetches: 0, durationMs: 1000 };

/**
 * A three-request tool turn on Sonnet ($3 in, $15 out, $3.75 / $6 cache write, $0.30 read per M):
 * A writes the prefix (1,000 of it for an hour) and runs a web search; B reads it; C stopped.
 */
const TURN: ReceiptRequest[] = [
  { ...base, requestId: 'req_a', usage: { inputTokens: 1000, cacheWriteTokens: 4000, cacheWrite1hTokens: 1000, cacheReadTokens: 0, outputTokens: 200 }, webSearches: 1 },
  { ...base, requestId: 'req_b', usage: { inputTokens: 50, cacheWriteTokens: 300, cacheReadTokens: 5000, outputTokens: 400 }, webFetches: 2 },
  { ...base, requestId: 'req_c', usage: { inputTokens: 10, cacheWriteTokens: 0, cacheReadTokens: 5300, outputTokens: 30 }, partial: true, outcome: 'cancelled', durationMs: 250 },
];

void test('a multi-request turn: tokens by kind, price, the price without cache and the saving, by hand', () => {
  const r = receiptOf(TURN);
  assert.deepEqual(r.tokens, { input: 1060, cacheWrite: 4300, cacheWrite1h: 1000, cacheRead: 10300, output: 630, total: 16290 });
  // A: (1000×3 + 3000×3.75 + 1000×6 + 200×15)/1e6 + $0.01 search = 0.03325
  // B: (50×3 + 300×3.75 + 5000×0.3 + 400×15)/1e6 = 0.008775
  // C: (10×3 + 5300×0.3 + 30×15)/1e6 = 0.00207
  near(r.lines[0].cost, 0.03325, 'A');
  near(r.lines[1].cost, 0.008775, 'B');
  near(r.lines[2].cost, 0.00207, 'C');
  near(r.cost, 0.044095, 'cost');
  // Without cache: A (5000×3 + 3000)/1e6 + 0.01, B (5350×3 + 6000)/1e6, C (5310×3 + 450)/1e6.
  near(r.costWithoutCache, 0.028 + 0.02205 + 0.01638, 'without cache');
  near(r.savedByCache, 0.06643 - 0.044095, 'saved');
  assert.equal(r.partialRequests, 1);
  assert.equal(r.webSearches, 1);
  assert.equal(r.webFetches, 2);
  assert.equal(r.durationMs, 2250);
  assert.deepEqual(r.requestIds, ['req_a', 'req_b', 'req_c']);
  assert.deepEqual(r.models, ['claude-sonnet-5-5']);
});

void test('the first question of a conversation: writing the cache costs more than fresh input, the saving is negative and said so', () => {
  const r = receiptOf([TURN[0]]);
  near(r.savedByCache, 0.028 - 0.03325);
  assert.match(receiptSummary(r), /cache writes added \$0\.0053/);
  assert.match(receiptMarkdown(r, context()), /Writing the prompt cache cost \$0\.0053 more than fresh input would have/);
});

void test('a model without a price: the receipt is "price unknown", never $0, and names the model', () => {
  const r = receiptOf([TURN[1], { ...TURN[2], model: 'claude-mystery-9' }]);
  assert.equal(r.cost, undefined);
  assert.equal(r.savedByCache, undefined);
  assert.equal(r.lines[0].cost !== undefined, true, 'the priced line keeps its price');
  assert.match(receiptSummary(r), /· price unknown ·/);
  const md = receiptMarkdown(r, context({ model: 'claude-sonnet-5-5' }));
  assert.match(md, /\| \*\*Total\*\* \| \*\*11,090\*\* \| \*\*price unknown\*\* \|/);
  assert.match(md, /Price unknown: `claude-mystery-9` is not in the price table\./);
  assert.doesNotMatch(md, /\$0\.00/);
});

void test('the one-line summary: tokens, price, saving, requests with the partial ones', () => {
  assert.equal(receiptSummary(receiptOf(TURN)), '16,290 tokens · $0.04 · saved $0.02 by cache · 1 web search · 3 requests (1 partial)');
  assert.equal(receiptSummary(receiptOf([TURN[1]])), '5,750 tokens · $0.0088 · saved $0.01 by cache · 1 request');
  assert.equal(receiptSummary(receiptOf([TURN[1]]), 'chat'), '5,750 tokens · not billed to your Anthropic key · 1 request');
  assert.equal(receiptSummary(receiptOf([])), '0 tokens · $0.00 · 0 requests');
});

function context(overrides: Partial<Parameters<typeof receiptMarkdown>[1]> = {}): Parameters<typeof receiptMarkdown>[1] {
  return {
    agent: 'LinguaLeap Backend Architect',
    model: 'claude-sonnet-5-5',
    code: ['src/lessons/service.ts:12-40'],
    files: ['src/lessons/service.ts', 'prisma/schema.prisma'],
    omitted: ['the 2 oldest questions and answers'],
    billedTo: 'key',
    ...overrides,
  };
}

void test('the Markdown receipt: a table by kind with the 1-hour writes on their own line, the saving, the context, whose bill', () => {
  const md = receiptMarkdown(receiptOf(TURN), context({ durationMs: 14_200 }));
  const expected = [
    '**Receipt** · LinguaLeap Backend Architect · `claude-sonnet-5-5`',
    '',
    '| | tokens | price |',
    '| --- | ---: | ---: |',
    '| Fresh input | 1,060 | $0.0032 |',
    '| Cache write (5 minutes) | 3,300 | $0.01 |',
    '| Cache write (1 hour) | 1,000 | $0.0060 |',
    '| Cache read | 10,300 | $0.0031 |',
    '| Output | 630 | $0.0095 |',
    '| Web searches | 1 | $0.01 |',
    '| **Total** | **16,290** | **$0.04** |',
    '',
    'The prompt cache saved $0.02 ($0.07 without it).',
    '',
    '- Code sent: `src/lessons/service.ts:12-40`',
    '- Files the tools touched: `src/lessons/service.ts`, `prisma/schema.prisma`',
    '- Left out to fit the budget: the 2 oldest questions and answers',
    '- Web pages fetched: 2',
    '- 3 requests in 14.2 s (1 partial: stopped or failed before the end; input as the API reported it, output as far as it streamed): `req_a`, `req_b`, `req_c`',
    '- Billed to your Anthropic API key.',
    '',
  ].join('\n');
  assert.equal(md, expected);
});

void test('the Markdown receipt of a chat-model turn shows tokens, no prices, and says it was not billed to the key', () => {
  const md = receiptMarkdown(receiptOf([TURN[1]]), context({ billedTo: 'chat', code: [], files: [], omitted: [] }));
  assert.match(md, /\| Fresh input \| 50 \| — \|/);
  assert.match(md, /\| \*\*Total\*\* \| \*\*5,750\*\* \| \*\*—\*\* \|/);
  assert.match(md, /Answered by the model selected in the Chat view: not billed to your Anthropic key\./);
  assert.doesNotMatch(md, /\$/);
  assert.doesNotMatch(md, /Code sent|Files the tools|Left out/);
  assert.match(md, /- 1 request in 1\.0 s: `req_b`/);
});

void test('hostile names stay inside their code spans and table cells', () => {
  const md = receiptMarkdown(receiptOf([TURN[1]]), context({ agent: 'evil | agent\n# heading', code: ['we`ird.ts:1-2'], files: ['``x``'], omitted: ['a | b'] }));
  assert.match(md, /^\*\*Receipt\*\* · evil \\\| agent # heading ·/);
  assert.match(md, /Code sent: ``we`ird.ts:1-2``/);
  assert.match(md, /Files the tools touched: ``` ``x`` ```/);
  assert.match(md, /Left out to fit the budget: a \\\| b/);
});

// ---------- on the wire ----------

const TOOLS = [
  { name: 'Glob', description: 'Finds files.', input_schema: { type: 'object', properties: { pattern: { type: 'string' } } } },
  { name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
];

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: `You are the LinguaLeap backend architect. ${'Review services for scale, data integrity and cost. '.repeat(120)}`,
  messages: [{ role: 'user', content: 'Where are lesson scores computed and is it safe under load?' }],
  maxTokens: 2048,
  tools: TOOLS,
};

async function runTurn(...scenarios: Scenario[]): Promise<ToolLoopResult> {
  fake.script(...scenarios);
  return runToolLoop({
    settings: { apiKey: KEY, baseUrl: fake.url, maxRetries: 0 },
    request,
    signal: new AbortController().signal,
    maxSteps: 8,
    executeTool: (call) => Promise.resolve({ content: `${call.name} output: ${'src/lessons/service.ts line\n'.repeat(40)}`, isError: false }),
    onText: () => undefined,
    logger: recorder(),
  });
}

/** The price of the wire usages the fake reported, computed here from the list prices, not from pricing.ts. */
function wirePrices() {
  const M = 1e6;
  return fake.requests.map((r) => {
    const u = r.usage!;
    const paid = (u.input_tokens * 3 + u.cache_creation_input_tokens * 3.75 + u.cache_read_input_tokens * 0.3 + u.output_tokens * 15) / M;
    const fresh = ((u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens) * 3 + u.output_tokens * 15) / M;
    return { paid, fresh };
  });
}

void test('a real Glob → Read → web search → answer turn: the receipt adds up what the fake reported, and the cache saved money', async () => {
  const result = await runTurn(
    { text: 'Finding the services.', toolCalls: [{ name: 'Glob', input: { pattern: 'src/**/*.ts' } }] },
    { toolCalls: [{ name: 'Read', input: { file_path: 'src/lessons/service.ts' } }] },
    { text: 'Checking the driver docs.', serverToolCalls: [{ name: 'web_search' }], textAfter: 'Scores are computed per request.' },
  );
  assert.equal(result.status, 'completed');
  assert.equal(fake.requests.length, 3);
  const r = receiptOf(result.requests);
  const wire = fake.requests.map((q) => q.usage!);
  const sum = (f: (u: (typeof wire)[number]) => number) => wire.reduce((n, u) => n + f(u), 0);
  assert.deepEqual(r.tokens, {
    input: sum((u) => u.input_tokens),
    cacheWrite: sum((u) => u.cache_creation_input_tokens),
    cacheWrite1h: 0,
    cacheRead: sum((u) => u.cache_read_input_tokens),
    output: sum((u) => u.output_tokens),
    total: sum((u) => u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens + u.output_tokens),
  });
  assert.ok(r.tokens.cacheRead > 0, 'the later requests read the prefix back');
  assert.equal(r.webSearches, 1, 'the fake billed one search in server_tool_use');
  const prices = wirePrices();
  near(r.cost, prices.reduce((n, p) => n + p.paid, 0) + 0.01, 'cost');
  near(r.costWithoutCache, prices.reduce((n, p) => n + p.fresh, 0) + 0.01, 'without cache');
  assert.ok((r.savedByCache ?? 0) > 0, `a 3-request turn re-reads its prefix twice: saved ${r.savedByCache}`);
  assert.deepEqual(r.requestIds, fake.requests.map((q) => q.requestId));
  assert.equal(r.partialRequests, 0);
});

void test('a real turn that fails in its second request: the partial request is counted and flagged', async () => {
  const result = await runTurn(
    { text: 'Looking.', toolCalls: [{ name: 'Glob', input: { pattern: '*.ts' } }] },
    { text: 'abcdefgh', chunkSize: 2, interrupt: { action: 'error', afterDeltas: 1, errorType: 'overloaded_error' } },
  );
  assert.equal(result.status, 'failed');
  const r = receiptOf(result.requests);
  assert.equal(r.lines.length, 2);
  assert.equal(r.partialRequests, 1);
  assert.equal(r.lines[1].partial, true);
  assert.equal(r.lines[1].outcome, 'failed');
  assert.equal(r.tokens.cacheRead, fake.requests[1].usage!.cache_read_input_tokens, 'its cache read, from message_start');
  assert.ok(r.tokens.cacheRead > 0);
  near(r.cost, wirePrices()[0].paid + r.lines[1].cost!, 'the partial request is priced too');
  assert.match(receiptSummary(r), /2 requests \(1 partial\)$/);
});
