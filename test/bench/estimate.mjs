// How long the estimate under the question box takes (`npm run bench` prints it after the
// tool-turn table; `node test/bench/estimate.mjs [--json]` alone, in a second or two): the
// product's `Architect.estimate` over the shipped agent and its tool definitions, for a
// 60,000-character selection in a 20-turn conversation. PASS when the median and the 95th
// percentile are under 20 ms. A table, not a test: the exit code is 0 either way.
import { cpus, loadavg } from 'node:os';
import { loadTsModule, printTable } from './tsModule.mjs';

/** The estimate must never hold up typing: under this, per keystroke pause. */
const GOAL_MS = 20;

const { estimateBench } = await loadTsModule('estimate');
const bench = await estimateBench();

const int = (n) => n.toLocaleString('en-US');
const ms = (n) => `${n.toFixed(2)} ms`;
const at = (share) => bench.times[Math.min(bench.times.length - 1, Math.floor(share * bench.times.length))];
const median = at(0.5);
const p95 = at(0.95);
const e = bench.estimate;
const rows = [
  ['median', ms(median), median < GOAL_MS ? 'PASS' : 'FAIL'],
  ['95th percentile', ms(p95), p95 < GOAL_MS ? 'PASS' : 'FAIL'],
  ['fastest / slowest', `${ms(bench.times[0])} / ${ms(bench.times.at(-1))}`, ''],
];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(bench, null, 2));
}
console.log(
  `Estimate: Architect.estimate for a ${int(bench.selectionChars)}-character selection in a ${bench.turns}-turn conversation ` +
    `(${int(bench.conversationChars)} characters), the shipped agent and its tool definitions, ${bench.runs} runs after a warm-up, ` +
    `${cpus().length} cores, load ${loadavg()[0].toFixed(1)}. It came to ≈ ${int(e.inputTokens)} tokens in (instructions ${int(e.instructions)}, ` +
    `conversation ${int(e.conversation)}, code ${int(e.code)}, question ${int(e.question)}), ${int(e.cachedTokens)} cached, ` +
    `up to $${e.cost?.total.toFixed(4) ?? '?'}${e.omitted.length > 0 ? `; left out: ${e.omitted.join(', ')}` : ''}.`,
);
const HEAD = ['estimate', 'wall time', `< ${GOAL_MS} ms`];
printTable(HEAD, rows);
