// The extension's activation time as the real workbench reports it: Developer: Show Running
// Extensions (`workbench.action.showRuntimeExtensions`) in code-server + headless Chromium,
// through the e2e harness (test/e2e/workbench.mjs).
//
// Each run opens a fresh window (a new browser context, so a new remote extension host that
// loads the extension from scratch; the disk cache stays warm), waits for the extension's status
// bar item (it activates on `onStartupFinished`), opens Running Extensions and reads the row of
// LinguaLeap Architect: its `.activation-time` cell, which VS Code fills with
// "Startup Activation: Nms" or "Activation: Nms", N being the extension host's own measure,
// `codeLoadingTime + activateCallTime` (loading the main module and the `activate` call). The
// cell's hover says what activated it ("Activated by … after start-up finished"). Any other text
// in the cell, or no such row, fails the run with what the view showed: no number is guessed.
//
// For comparison, the same cell of two extensions that activate on the same event in the same
// window (TARGETS below): a trivial one, installed like ours, and a small built-in.
//
// Usage: node test/bench/activation.mjs [--runs=5] [--screenshot=path] [--json]
// (about 1.5 minutes on 2 busy cores). Needs a build in dist/ (`node esbuild.mjs --production`
// measures what ships; `npm run build` a development build: the table says which),
// out/test/fake-anthropic/ and code-server in .vscode-test/; prints why and skips otherwise.
// Not a test: nothing asserts a time.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { FAKE_SERVER_JS, REPO_ROOT } from '../scripts/common.mjs';
import { CHROMIUM_PATH, CODE_SERVER_VERSION, isCodeServerInstalled } from '../scripts/vscode-server.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const RUNS = Math.max(1, Number(arg('runs') ?? 5));
const COMMAND = 'Developer: Show Running Extensions';
const MANIFEST = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const DISPLAY_NAME = JSON.parse(readFileSync(join(REPO_ROOT, 'package.nls.json'), 'utf8')).displayName;
const TRIVIAL = join(REPO_ROOT, 'test', 'fixtures', 'test-model-provider');
/**
 * The rows read, by the list row's aria-label (VS Code sets it to the manifest's `name`) and the
 * name the row shows. Ours first; then two that activate on the same event in the same window:
 * a trivial extension (installed the same way as ours) and a small built-in.
 */
const TARGETS = [
  { key: 'ours', ariaLabel: MANIFEST.name, names: [DISPLAY_NAME, `${MANIFEST.publisher}.${MANIFEST.name}`] },
  {
    key: 'trivial',
    ariaLabel: 'test-model-provider',
    names: ['LinguaLeap Test Model Provider', 'lingualeap-test.test-model-provider'],
    what: `a trivial extension: test/fixtures/test-model-provider (${statSync(join(TRIVIAL, 'extension.js')).size} B, one registerLanguageModelChatProvider call), installed like ours`,
  },
  { key: 'builtin', ariaLabel: 'merge-conflict', names: ['Merge Conflict', 'vscode.merge-conflict'], what: 'Merge Conflict, a built-in (one 183 KB bundle)' },
];
/** VS Code's text for the cell (runtimeExtensionsEditor.ts); the number is whole milliseconds. */
const CELL = /^(Startup Activation|Activation): (\d+)ms$/;
const ROWS = '.runtime-extensions-editor .monaco-list-row';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** Why this machine cannot run the bench, or undefined. */
function missing() {
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) {
    return 'dist/extension.js missing: run `node esbuild.mjs --production` first';
  }
  if (!existsSync(FAKE_SERVER_JS)) {
    return `${FAKE_SERVER_JS} missing: run \`node esbuild.mjs --tests\` first`;
  }
  if (!isCodeServerInstalled()) {
    return `code-server ${CODE_SERVER_VERSION} is not installed in .vscode-test/: run \`node test/scripts/vscode-server.mjs install\``;
  }
  if (!existsSync(CHROMIUM_PATH)) {
    return `${CHROMIUM_PATH} not found (set CHROMIUM_PATH)`;
  }
  return undefined;
}

/** The rows now in the DOM: the list is virtual, so only those in (or near) view. */
function visibleRows(page) {
  return page.locator(ROWS).evaluateAll((els) =>
    els.map((el) => ({
      index: Number(el.dataset.index),
      size: Number(el.getAttribute('aria-setsize')),
      ariaLabel: el.getAttribute('aria-label') ?? '',
      name: el.querySelector('.name')?.textContent ?? '',
      time: el.querySelector('.activation-time')?.textContent ?? '',
    })),
  );
}

/** Scrolls the Running Extensions list to its top (the mouse over it). */
async function scrollToTop(page) {
  await page.locator('.runtime-extensions-editor .monaco-list').first().hover({ position: { x: 40, y: 40 } });
  await page.mouse.wheel(0, -100_000);
  await sleep(200);
}

/**
 * Every row of the Running Extensions list, top to bottom, scrolling through it (each row
 * carries `aria-setsize`, so the scroll stops once every index has been seen).
 */
async function allRows(page) {
  await scrollToTop(page);
  const rows = new Map();
  for (let step = 0; step < 100; step++) {
    const seen = await visibleRows(page);
    for (const row of seen) {
      rows.set(row.index, row);
    }
    const size = seen[0]?.size ?? 0;
    if (size > 0 && rows.size >= size) {
      return [...rows.values()].sort((a, b) => a.index - b.index);
    }
    await page.mouse.wheel(0, 280);
    await sleep(150);
  }
  throw new Error(`the Running Extensions list did not scroll through: ${rows.size} rows seen`);
}

/** The row of `target` among `rows`; throws with what the view showed if it is not one row with its name. */
function rowOf(rows, target) {
  const matches = rows.filter((row) => row.ariaLabel === target.ariaLabel);
  if (matches.length !== 1 || !target.names.includes(matches[0].name)) {
    const shown = rows.map((row) => `${row.name} [${row.ariaLabel}]: ${row.time}`).join('; ');
    throw new Error(`Running Extensions has ${matches.length} row(s) labelled "${target.ariaLabel}"${matches[0] ? ` named "${matches[0].name}"` : ''}; it shows: ${shown}`);
  }
  return matches[0];
}

/**
 * Opens Running Extensions and reads the targets' cells, once none of them is still activating.
 * @returns {Promise<{ cells: Record<string, { label: string, ms: number, text: string }>, rows: object[] }>}
 */
async function readRunningExtensions(wb) {
  await wb.runCommand(COMMAND);
  await wb.page.locator(ROWS).first().waitFor({ state: 'visible' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await allRows(wb.page);
    const found = TARGETS.map((target) => [target.key, rowOf(rows, target)]);
    // "Activating..." until the activate call returns; the view refreshes itself 200 ms later.
    const pending = found.filter(([, row]) => row.time === 'Activating...');
    if (pending.length === 0) {
      const cells = {};
      for (const [key, row] of found) {
        const match = CELL.exec(row.time.trim());
        if (!match) {
          throw new Error(`the activation cell of "${row.name}" reads "${row.time}", not "Activation: <n>ms" or "Startup Activation: <n>ms"`);
        }
        cells[key] = { label: match[1], ms: Number(match[2]), text: row.time.trim() };
      }
      return { cells, rows };
    }
    if (Date.now() > deadline) {
      throw new Error(`still activating after 30 s: ${pending.map(([, row]) => row.name).join(', ')}`);
    }
    await sleep(500);
  }
}

/**
 * Scrolls until the row labelled `ariaLabel` is wholly in view; resolves with its locator.
 * The list moves by wheel (its rows are positioned by the list, not by the page's scrolling).
 */
async function showRow(page, ariaLabel) {
  await scrollToTop(page);
  const list = page.locator('.runtime-extensions-editor .monaco-list').first();
  const row = page.locator(`${ROWS}[aria-label="${ariaLabel}"]`);
  for (let step = 0; step < 100; step++) {
    if ((await row.count()) === 1) {
      const [box, view] = [await row.boundingBox(), await list.boundingBox()];
      if (box && view && box.y >= view.y && box.y + box.height <= view.y + view.height) {
        return row;
      }
      if (box && view && box.y + box.height > view.y + view.height) {
        await page.mouse.wheel(0, box.y + box.height - (view.y + view.height) + 4);
        await sleep(150);
        continue;
      }
    }
    await page.mouse.wheel(0, 280);
    await sleep(150);
  }
  throw new Error(`no row "${ariaLabel}" could be scrolled into view`);
}

/**
 * The hover of a row's activation cell: what activated it ("Activated by <id> after start-up
 * finished"), only a hover naming `id` (not one left over from another row). A hover can fail to
 * show (the pointer arrived before the row settled): tried 3 times.
 */
async function activationReason(page, row, id) {
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: id }).first();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.mouse.move(5, 5);
      await sleep(300);
      await row.locator('.activation-time').hover();
      try {
        await hover.waitFor({ state: 'visible', timeout: 4000 });
        return ((await hover.textContent()) ?? '').trim();
      } catch {
        // not shown this time
      }
    }
    return '(no hover shown)';
  } finally {
    await page.mouse.move(5, 5);
    await page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Activated by' }).first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
  }
}

async function main() {
  const why = missing();
  if (why) {
    console.log(`\nActivation in the real workbench: skipped (${why}).`);
    return;
  }
  const { Workbench } = await import('../e2e/workbench.mjs');
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const runs = [];
  const reasons = {};
  let shot;
  // The trivial extension is installed next to ours, so the same window reports both.
  const wb = await Workbench.start({ testModelProvider: true });
  try {
    for (let i = 0; i < RUNS; i++) {
      await wb.openWindow();
      // The status bar item appears when the extension has activated (onStartupFinished).
      await wb.page.locator('.statusbar-item[id$="lingualeap.agent"]').waitFor({ state: 'visible' });
      const run = await readRunningExtensions(wb);
      runs.push(run);
      if (i === 0) {
        for (const target of TARGETS) {
          reasons[target.key] = await activationReason(wb.page, await showRow(wb.page, target.ariaLabel), target.names[1]);
        }
        await showRow(wb.page, TARGETS[0].ariaLabel);
        shot = arg('screenshot') ?? (await wb.screenshot('activation-running-extensions'));
        if (arg('screenshot')) {
          await wb.page.screenshot({ path: shot });
        }
      }
    }
  } finally {
    await wb.close();
  }
  const loadAfter = loadavg()[0];

  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ runs, reasons }, null, 2));
  }
  const bundle = join(REPO_ROOT, 'dist', 'extension.js');
  const kind = readFileSync(bundle, 'utf8').includes('sourceMappingURL') ? 'development build' : 'production build';
  const kb = (path) => `${(statSync(path).size / 1024).toFixed(0)} KB`;
  const labels = (key) => [...new Set(runs.map((run) => `"${run.cells[key].label}: <n>ms"`))].join(' / ');
  console.log(
    `\nActivation in the real workbench: the time VS Code itself reports for the extension (code loading + the activate call, ` +
      `measured by the extension host), read from Developer: Show Running Extensions in code-server ${CODE_SERVER_VERSION} + headless Chromium; ` +
      `${kind} (dist/extension.js ${kb(bundle)}, dist/app.js ${kb(join(REPO_ROOT, 'dist', 'app.js'))}, loaded later); ${RUNS} fresh windows, ` +
      `each a new extension host (the disk cache warm). Load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, ` +
      `on ${cpus().length} cores (other work shares them: a busy machine inflates every figure); ${((Date.now() - started) / 1000).toFixed(0)} s in all.\n`,
  );
  console.log('| measure | median | min–max | runs | read from |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const target of TARGETS) {
    const values = runs.map((run) => run.cells[target.key].ms);
    const label =
      target.key === 'ours'
        ? `Activation in the real workbench (VS Code's Running Extensions): ${DISPLAY_NAME}, ${kind}`
        : `for comparison, same window: ${target.what}`;
    const value = `${median(values)} ms`;
    console.log(
      `| ${label} | ${target.key === 'ours' ? `**${value}**` : value} | ${Math.min(...values)}–${Math.max(...values)} ms | ${values.join(', ')} | ` +
        `the row's \`.activation-time\` cell, ${labels(target.key)}; its hover: "${reasons[target.key]}" |`,
    );
  }
  console.log(`\nThe view in the first window: ${shot}`);
}

await main().catch((error) => {
  console.log(`\nActivation in the real workbench: failed: ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
