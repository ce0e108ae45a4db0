// What a 4-step tool turn costs with the prompt cache (`npm run bench` prints it after the
// renderer's table; `node test/bench/toolTurn.mjs [--json]` alone). The shipped agent, the real
// tool definitions and tools, the real SDK path against the fake Anthropic server, whose cache
// accounting is the API's (by prefix, at breakpoints). Prints, per request: input tokens fresh /
// cache write / cache read, the share read from the cache, the price at the model's list price,
// and PASS/FAIL for "every step after the first reads >= 80% of its input from the cache"; then
// the same turn with caching off. A table, not a test: the exit code is 0 either way.
import { loadTsModule, printTable } from './tsModule.mjs';

/** Each step after the first must read at least this share of its input from the cache. */
const READ_SHARE_GOAL = 0.8;

const { toolTurnBench } = await loadTsModule('toolTurn');
const bench = await toolTurnBench();

const int = (n) => n.toLocaleString('en-US');
const pct = (share) => `${(share * 100).toFixed(1)}%`;
const usd = (dollars) => `$${dollars.toFixed(5)}`;

const rows = bench.cached.steps.map((step, k) => {
  const off = bench.uncached.steps[k];
  const check = k === 0 ? (step.usage.cacheWriteTokens > 0 ? 'writes' : 'FAIL: no write') : step.readShare >= READ_SHARE_GOAL ? 'PASS' : 'FAIL';
  return [
    `${k + 1}`,
    k === 0 ? `question → ${step.reply}` : `+ ${bench.cached.steps[k - 1].reply} result → ${step.reply}`,
    int(step.inputTokens),
    int(step.usage.inputTokens),
    int(step.usage.cacheWriteTokens),
    int(step.usage.cacheReadTokens),
    pct(step.readShare),
    int(step.usage.outputTokens),
    usd(step.dollars),
    usd(off.dollars),
    check,
  ];
});
const total = bench.cached.total;
const totalInput = total.inputTokens + total.cacheWriteTokens + total.cacheReadTokens;
const offTotal = bench.uncached.total;
rows.push([
  'turn',
  '',
  int(totalInput),
  int(total.inputTokens),
  int(total.cacheWriteTokens),
  int(total.cacheReadTokens),
  pct(total.cacheReadTokens / totalInput),
  int(total.outputTokens),
  usd(bench.cached.dollars),
  usd(bench.uncached.dollars),
  `${pct(1 - bench.cached.dollars / bench.uncached.dollars)} saved`,
]);

// Caching off must mean no cache at all, and the same tokens in: a check on the comparison itself.
const offClean = bench.uncached.steps.every((s) => s.usage.cacheReadTokens === 0 && s.usage.cacheWriteTokens === 0);
const sameInput = bench.uncached.steps.every((s, k) => s.inputTokens === bench.cached.steps[k].inputTokens);
const wireAgrees = [...bench.cached.steps, ...bench.uncached.steps].every(
  (s) =>
    s.usage.inputTokens === s.wire.input_tokens &&
    s.usage.cacheReadTokens === s.wire.cache_read_input_tokens &&
    s.usage.cacheWriteTokens === s.wire.cache_creation_input_tokens &&
    s.usage.outputTokens === s.wire.output_tokens,
);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(bench, null, 2));
}
console.log(
  `Tool turn: ${bench.agent} (${bench.model}), ${bench.tools.length} tools declared (${bench.tools.join(', ')}): ` +
    `~${int(bench.toolTokens)} tokens of tool definitions + ~${int(bench.systemTokens)} of system prompt; ` +
    `the fake's tokens are characters / 4, its smallest cacheable prefix ${int(bench.minCacheableTokens)} tokens.`,
);
const HEAD = ['step', 'request → reply', 'input', 'fresh', 'cache write', 'cache read', 'read share', 'output', 'price', 'price, no cache', `read ≥ ${pct(READ_SHARE_GOAL)}`];
printTable(HEAD, rows);
console.log(
  `Prices: list price of ${bench.model} per million tokens from src/core/llm/pricing.ts (input, output, cache write 1.25×, cache read 0.1× of input). ` +
    `No cache: the same turn sent without cache_control (${offClean ? 'nothing read or written' : 'UNEXPECTED: the fake still cached'}; ` +
    `${sameInput ? 'the same input tokens per step' : 'UNEXPECTED: the input differs'}). ` +
    `Receipts ${wireAgrees ? 'match' : 'DO NOT match'} the usage the fake sent on the wire. ` +
    `Tool results (real tools on a copy of test/fixtures/workspace): ${bench.cached.toolResults.map((text) => `${int(text.length)} chars`).join(', ')}.`,
);
