// `npm run bench`: how the panel's streaming renderer scales. Streams a 60 KB Markdown answer in
// 1-token deltas (~4 characters) through the real renderer in headless Chromium and compares its
// total main-thread time with a naive full re-render per delta, and with ONE render of the final
// text. Prints a table; not a test (nothing here asserts a time).
//
// Usage: node test/bench/run.mjs [--kb=60] [--json]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { LONG_ANSWER, TRICKY } from '../webview-preview/scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const out = join(root, 'test-results', 'bench');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const kb = Number(arg('kb') ?? 60);
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [join(here, 'entry.ts')],
  outfile: join(out, 'bench.js'),
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  tsconfig: join(root, 'src/webview/tsconfig.json'),
  logLevel: 'warning',
});

// A realistic answer: headings, prose, lists, tables and code blocks, repeated to size.
let text = '';
for (let i = 0; text.length < kb * 1024; i++) {
  text += `${i % 2 ? TRICKY : LONG_ANSWER}\n\n`;
}
text = text.slice(0, kb * 1024);
const chunks = [];
for (let i = 0; i < text.length; i += 4) {
  chunks.push(text.slice(i, i + 4));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
});
const results = {};
try {
  const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body class="vscode-dark"></body></html>');
  await page.addStyleTag({ content: readFileSync(join(root, 'media', 'panel.css'), 'utf8') });
  await page.addScriptTag({ content: readFileSync(join(out, 'bench.js'), 'utf8') });
  const run = (fn, ...args) => page.evaluate(([fn, args]) => window.__bench[fn](...args), [fn, args]);

  // Warm up the JIT and the highlighter on a small answer first.
  await run('single', text.slice(0, 8000), 3);
  await run('ours', chunks.slice(0, 500), { perFrame: 1 });

  results.single = await run('single', text, 5);
  // A realistic model speed: 150 tokens (deltas) a second, frames at 60 Hz (about 2.5 deltas a frame).
  results.ours150 = await run('ours', chunks, { tokensPerSecond: 150 });
  // A fast stream: 8 deltas before each frame (480 tokens a second).
  results.oursFast = await run('ours', chunks, { perFrame: 8 });
  // The worst case: one delta per frame (a model exactly as slow as the frame rate, 60 tokens a second).
  results.oursPerDelta = await run('ours', chunks, { perFrame: 1 });
  // Everything arrives before the first frame (e.g. a hidden panel shown again): time slicing.
  results.oursBurst = await run('ours', chunks, { burst: true });
  // The final DOM must be the one-shot DOM.
  const html = await run('finalHtml', chunks, { tokensPerSecond: 150 });
  results.identical = html.streamed === html.oneShot;
  results.naive = await run('naive', chunks, 100);
} finally {
  await browser.close();
}

const vsix = join(root, 'lingualeap-architect.vsix');
const vsixBytes = existsSync(vsix) ? statSync(vsix).size : undefined;

const ms = (v) => `${v.toFixed(1)} ms`;
// Flat fifths: each render costs the same however long the answer is (linear total work).
const fifths = (r) => r.fifthsMs.map((v) => v.toFixed(2)).join(' / ') + ' ms';
const oursRow = (label, r) => [
  label,
  `${ms(r.totalMs)} (${(r.totalMs / results.single).toFixed(2)}× one render)`,
  `longest task ${ms(r.maxMs)} (after the last delta ${ms(r.finishMaxMs)}), ${r.over50} over 50 ms; ` +
    `${r.tasks} frames with work over ${r.streamSeconds.toFixed(0)} s simulated; ` +
    `${r.steps} tail renders (${ms(r.tailMs)}) + ${r.blocks} block renders (${ms(r.frozenMs)}); ` +
    `${r.updates} plain-text updates (frames: ${ms(r.updateMs)}); frames with the DOM untouched: ${ms(r.idleMs)}; mean per frame by fifth: ${fifths(r)}`,
];
const rows = [
  ['answer', `${(text.length / 1024).toFixed(0)} KB, ${chunks.length} deltas of 4 chars`, 'delivery: simulated 60 Hz frames through main.ts\'s flush path'],
  ['one render of the final text', ms(results.single), 'yardstick (parse + sanitize + highlight + layout, best of 5)'],
  oursRow('ours, 150 tokens/s (realistic)', results.ours150),
  oursRow('ours, 8 deltas per frame (480 t/s)', results.oursFast),
  oursRow('ours, 1 delta per frame (worst)', results.oursPerDelta),
  oursRow('ours, all deltas before 1 frame', results.oursBurst),
  ['final DOM === one-shot render', results.identical ? 'yes' : 'NO', 'streamed at 150 tokens/s, after finish()'],
  [
    'naive full re-render per delta',
    `${ms(results.naive.totalMs)} (${(results.naive.totalMs / results.single).toFixed(0)}× one render)`,
    `longest ${ms(results.naive.maxMs)}; ${results.naive.sampled} of ${results.naive.renders} deltas timed, scaled`,
  ],
  ['machine', `${cpus().length} cores, load ${loadavg()[0].toFixed(1)}`, 'timings scale with load; compare rows of one run'],
  ['.vsix size', vsixBytes === undefined ? 'not built (npm run package)' : `${(vsixBytes / 1024).toFixed(0)} KB`, vsixBytes === undefined ? '' : 'lingualeap-architect.vsix'],
];
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...results, vsixBytes, chars: text.length, deltas: chunks.length }, null, 2));
}
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['measure', 'time', 'notes'][c].length));
const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
console.log(line(['measure', 'time', 'notes']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) {
  console.log(line(row));
}
