// Startup cost of the production bundle: `require('dist/extension.js')` plus `activate()`, with a
// stand-in `vscode` module (every API a no-op that returns a disposable stand-in), in a fresh
// Node process each time; median of 7, next to an empty module loaded the same way.
// Usage: node test/bench/startup.mjs [bundle]   (prints a table; `npm run bench` runs it)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const bundle = resolve(process.argv[2] ?? join(ROOT, 'dist', 'extension.js'));
if (!existsSync(bundle)) {
  console.error(`No ${bundle}: build it with \`node esbuild.mjs --production\` (or \`npm run build\`) first.`);
  process.exit(1);
}
const RUNS = 7;
const VSCODE_TYPES = join(ROOT, 'node_modules', '@types', 'vscode', 'index.d.ts');

const dir = mkdtempSync(join(tmpdir(), 'lingualeap-startup-'));
const empty = join(dir, 'empty.js');
writeFileSync(empty, 'exports.activate = () => {};\n');
// The child measures itself: the stand-in vscode is installed first (not measured), then the
// clock runs from `require` to the end of `activate`.
const child = join(dir, 'child.cjs');
writeFileSync(
  child,
  `const Module = require('node:module');
const stub = () => new Proxy(function () {}, {
  get: (target, key) => (key === Symbol.toPrimitive ? () => '' : stub()),
  apply: () => stub(),
  construct: () => stub(),
  set: () => true,
});
// A real object with every name @types/vscode declares at the top level: esbuild's ESM interop
// copies the module's own properties, so the names must be there.
const names = [...require('node:fs').readFileSync(process.argv[3], 'utf8').matchAll(/^\\s+export (?:namespace|class|enum|const|function|let) (\\w+)/gm)].map((m) => m[1]);
const vscode = Object.fromEntries(names.map((name) => [name, stub()]));
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const context = { subscriptions: [], extensionUri: vscode.Uri, secrets: stub(), workspaceState: stub(), globalState: stub(), extensionMode: 1, logUri: stub() };
const started = process.hrtime.bigint();
const extension = require(process.argv[2]);
const loaded = process.hrtime.bigint();
extension.activate(context);
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ load: Number(loaded - started) / 1e6, activate: Number(done - loaded) / 1e6 }));
`,
);

function measure(file) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [child, file, VSCODE_TYPES], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    load: median(runs.map((r) => r.load)),
    activate: median(runs.map((r) => r.activate)),
    total: median(runs.map((r) => r.load + r.activate)),
  };
}

const ours = measure(bundle);
const baseline = measure(empty);
const { size } = await import('node:fs').then((fs) => fs.statSync(bundle));
const ms = (value) => `${value.toFixed(2)} ms`;
const kind = readFileSync(bundle, 'utf8').includes('sourceMappingURL') ? 'development build' : 'production build';
console.log(`\nStartup: load + activate() of dist/extension.js (${kind}), stand-in vscode, median of 7 fresh processes; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores\n`);
console.log('| module | size | load | activate() | load + activate |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| dist/extension.js | ${(size / 1024).toFixed(0)} KB | ${ms(ours.load)} | ${ms(ours.activate)} | **${ms(ours.total)}** |`);
console.log(`| an empty module | 0 KB | ${ms(baseline.load)} | ${ms(baseline.activate)} | ${ms(baseline.total)} |`);
console.log(`\nGoal: load + activate <= 10 ms: ${ours.total <= 10 ? 'met' : 'NOT met'}.`);
