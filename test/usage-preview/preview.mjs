// Dev preview of the usage view (Show Usage) outside VS Code, and its screenshots.
//
// Builds the real view bundle (src/usageView) and the real HTML with its CSP (src/usage/html.ts),
// computes the view's data with the real core (src/core/usage) from three answers' requests,
// serves it on 127.0.0.1 with a stub `acquireVsCodeApi` (an external, nonce'd script) and the
// theme variables of VS Code's default themes, and checks in Chromium: `ready` first, the view
// says it drew 30 days and the expected table rows, no CSP violation, no page error, nothing
// requested from another origin, then the empty state. Screenshots go to
// test-results/usage-preview/ (or --out).
//
// Usage: node test/usage-preview/preview.mjs [--themes=dark,light] [--out=dir] [--docs]
//   --docs  also writes docs/images/usage-view.png (the dark screenshot).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startPreviewServer } from '../webview-preview/server.mjs';
import { themeCss } from '../webview-preview/themes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const out = resolve(arg('out') ?? join(root, 'test-results', 'usage-preview'));
const themes = (arg('themes') ?? 'dark,light').split(',');
mkdirSync(out, { recursive: true });

// ---------- build ----------

await esbuild.build({
  entryPoints: [join(root, 'src/usageView/main.ts')],
  outfile: join(out, 'usage.js'),
  bundle: true,
  minify: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  tsconfig: join(root, 'src/usageView/tsconfig.json'),
  legalComments: 'none',
  logLevel: 'warning',
});
await esbuild.build({
  stdin: {
    contents: [
      "export { usageViewData } from './src/core/usage/view';",
      "export { UsageLedger, usageRows } from './src/core/usage/ledger';",
      "export { renderUsageHtml } from './src/usage/html';",
      "export { makeNonce } from './src/host/webviewCsp';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: join(out, 'core.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // @vscode/l10n's Node build loads fs with require(), which an ES module cannot; the browser
  // build is the same API (what the extension's host bundles use too, see esbuild.mjs).
  alias: { '@vscode/l10n': '@vscode/l10n/dist/browser.js' },
  target: 'node20',
  logLevel: 'warning',
});
const core = await import(`${pathToFileURL(join(out, 'core.mjs')).href}?t=${Date.now()}`);

// ---------- data: three answers ----------

const DAY = 86_400_000;
const NOW = new Date(2026, 11, 3, 16, 30).getTime();
const usage = (inputTokens, cacheWriteTokens, cacheReadTokens, outputTokens) => ({ inputTokens, cacheWriteTokens, cacheReadTokens, outputTokens });
const request = (model, u, extra = {}) => ({ model, usage: u, partial: false, outcome: 'completed', durationMs: 4000, webSearches: 0, webFetches: 0, requestId: `req_${Math.random().toString(36).slice(2, 12)}`, ...extra });
/** A tool turn of `steps` requests: the first writes the prefix, the next ones read it back. */
function toolTurn(model, steps, prefix, grow, output) {
  return Array.from({ length: steps }, (_, k) => request(model, usage(12, grow, k === 0 ? 0 : prefix + (k - 1) * grow, output), { ...(k === 0 ? { usage: usage(12, prefix, 0, output) } : {}) }));
}
const answers = [
  { at: NOW - 2 * DAY - 3 * 3_600_000, agent: 'lingualeap-backend-architect', billedTo: 'key', requests: toolTurn('claude-opus-5-5', 6, 18_400, 2_900, 1_100) },
  { at: NOW - DAY + 2 * 3_600_000, agent: 'api-contract-reviewer', billedTo: 'key', requests: [request('claude-sonnet-5-5', usage(40, 9_800, 0, 2_300))] },
  {
    at: NOW - 2 * 3_600_000,
    agent: 'lingualeap-backend-architect',
    billedTo: 'key',
    requests: [...toolTurn('claude-sonnet-5-5', 4, 21_000, 4_200, 1_600), request('claude-sonnet-5-5', usage(30, 1_200, 33_600, 700), { webSearches: 2, partial: true, outcome: 'cancelled' })],
  },
];
const rows = answers.flatMap((a) => core.usageRows(a.requests, a));
const data = core.usageViewData(new core.UsageLedger(rows), NOW, 25);
const emptyData = core.usageViewData(new core.UsageLedger([]), NOW);

// ---------- server ----------

const CHART_COLOURS = {
  dark: { 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c', 'charts-lines': 'rgba(204, 204, 204, 0.2)' },
  light: { 'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'charts-red': '#e51400', 'charts-lines': 'rgba(97, 97, 97, 0.2)' },
};
const themeWithCharts = (name) =>
  `${themeCss(name)}\n:root {\n${Object.entries(CHART_COLOURS[name] ?? CHART_COLOURS.dark).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;

const server = await startPreviewServer({
  page: (theme) => pageHtml(theme),
  files: {
    '/usage.js': ['text/javascript', join(out, 'usage.js')],
    '/usage.css': ['text/css', join(out, 'usage.css')],
    '/stub.js': ['text/javascript', join(here, 'stub.js')],
  },
  themeCss: themeWithCharts,
});
const { origin } = server;

/** The real view HTML, plus the theme stylesheet and the stub VS Code's host would provide. */
function pageHtml(theme) {
  const nonce = core.makeNonce();
  const html = core.renderUsageHtml({ cspSource: origin, nonce, scriptUri: `${origin}/usage.js`, styleUri: `${origin}/usage.css` });
  const script = `<script nonce="${nonce}" src="${origin}/usage.js">`;
  const withStub = html
    .replace('  <link rel="stylesheet"', `  <link rel="stylesheet" href="${origin}/theme.css?name=${theme}">\n  <link rel="stylesheet"`)
    .replace(script, `<script nonce="${nonce}" src="${origin}/stub.js" data-theme="${theme}"></script>\n  ${script}`);
  if (!withStub.includes('/stub.js') || !withStub.includes('/theme.css')) {
    throw new Error('The preview could not insert its stub into the usage view HTML.');
  }
  return withStub;
}

// ---------- checks ----------

const failures = [];
const check = (ok, what, detail) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  if (!ok) {
    failures.push(what);
  }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--font-render-hinting=none'],
});
try {
  for (const theme of themes) {
    const context = await browser.newContext({ viewport: { width: 1080, height: 700 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors = [];
    const external = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('request', (r) => !r.url().startsWith(origin) && external.push(r.url()));
    await page.goto(`${origin}/?theme=${theme}`);
    await page.waitForFunction(() => window.__preview.posted.length > 0);
    check((await page.evaluate(() => window.__preview.posted[0]))?.type === 'ready', `[${theme}] ready first`);

    await page.evaluate((d) => window.postMessage({ type: 'usage', data: d }, '*'), data);
    await page.waitForFunction(() => window.__preview.posted.some((m) => m.type === 'rendered'));
    const rendered = await page.evaluate(() => window.__preview.posted.find((m) => m.type === 'rendered'));
    check(rendered.days === 30 && rendered.models === 2 && rendered.tableRows === 3 && !rendered.empty, `[${theme}] drew 30 days, 2 models, 3 table rows`, rendered);
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('chart');
      return { width: c.width, height: c.height, painted: c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0) };
    });
    check(canvas.width > 300 && canvas.height > 200 && canvas.painted, `[${theme}] the chart is painted`, canvas);
    const summary = await page.textContent('#chart-summary');
    check(/over the last 30 days on 3 days, 2 models/.test(summary ?? ''), `[${theme}] the chart's text summary`, summary);
    await page.screenshot({ path: join(out, `usage-${theme}.png`) });

    await page.click('summary');
    await page.screenshot({ path: join(out, `usage-${theme}-table.png`), fullPage: true });
    await page.click('#export');
    check((await page.evaluate(() => window.__preview.posted.at(-1)))?.type === 'exportCsv', `[${theme}] Export CSV posts exportCsv`);

    await page.evaluate((d) => window.postMessage({ type: 'usage', data: d }, '*'), emptyData);
    check((await page.isVisible('#empty')) && (await page.isHidden('#content')), `[${theme}] the empty state, and nothing else`);
    check(await page.isDisabled('#export'), `[${theme}] nothing to export when empty`);
    await page.screenshot({ path: join(out, `usage-${theme}-empty.png`) });

    check((await page.evaluate(() => window.__preview.violations)).length === 0, `[${theme}] no CSP violation`, await page.evaluate(() => window.__preview.violations));
    check(errors.length === 0, `[${theme}] no page error`, errors);
    check(external.length === 0, `[${theme}] nothing requested from another origin`, external);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

if (process.argv.includes('--docs') && themes.includes('dark')) {
  const target = join(root, 'docs', 'images', 'usage-view.png');
  copyFileSync(join(out, 'usage-dark.png'), target);
  console.log(`docs: ${target} (${statSync(target).size} bytes)`);
}
console.log(`screenshots in ${out}`);
if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
