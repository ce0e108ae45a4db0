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
  await run('ours', chunks.slice(0, 500), 1);

  results.single = await run('single', text, 5);
  // One render per delta: the worst case (a model as slow as the frame rate).
  results.oursPerDelta = await run('ours', chunks, 1);
  // What the panel does at a fast stream: deltas batched per animation frame, 8 per frame.
  results.oursPerFrame = await run('ours', chunks, 8);
  results.naive = await run('naive', chunks, 100);
} finally {
  await browser.close();
}

const vsix = join(root, 'lingualeap-architect.vsix');
const vsixBytes = existsSync(vsix) ? statSync(vsix).size : undefined;

const ms = (v) => `${v.toFixed(1)} ms`;
// Flat fifths: each render costs the same however long the answer is (linear total work).
const fifths = (r) => r.fifthsMs.map((v) => v.toFixed(2)).join(' / ') + ' ms';
const rows = [
  ['answer', `${(text.length / 1024).toFixed(0)} KB, ${chunks.length} deltas of 4 chars`, ''],
  ['one render of the final text', ms(results.single), 'yardstick'],
  [
    'our renderer, a render per delta',
    `${ms(results.oursPerDelta.totalMs)} (${(results.oursPerDelta.totalMs / results.single).toFixed(2)}× one render)`,
    `longest ${ms(results.oursPerDelta.maxMs)}, ${results.oursPerDelta.renders} renders; mean per render by fifth of the stream: ${fifths(results.oursPerDelta)}`,
  ],
  [
    'our renderer, 8 deltas per frame',
    `${ms(results.oursPerFrame.totalMs)} (${(results.oursPerFrame.totalMs / results.single).toFixed(2)}× one render)`,
    `longest ${ms(results.oursPerFrame.maxMs)}, ${results.oursPerFrame.renders} renders; by fifth: ${fifths(results.oursPerFrame)}`,
  ],
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
