// Dev preview of the architect panel's webview, outside VS Code.
//
// Builds src/webview (the real bundle) and src/panel/html.ts, serves the page renderPanelHtml
// produces on 127.0.0.1 with a stub `acquireVsCodeApi` (an external, nonce'd script: the real
// CSP stays on), replays scripted host messages in Chromium and checks what must hold:
// `ready` first, no CSP violation, no request leaving the page's origin, hostile Markdown inert,
// streamed rendering identical to one-shot rendering, auto-scroll that lets go when the reader
// scrolls up. Screenshots go to test-results/webview-preview/.
//
// Usage: node test/webview-preview/preview.mjs [--themes=dark,light,hc] [--only=tools] [--out=dir] [--serve]
//   --only   runs only these scenarios (conversation, tools, equivalence, scrolling, performance, narrow).
//   --serve  keeps the server running after the checks, to open the page in a browser.
import * as esbuild from 'esbuild';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CRLF, HOSTILE_ANSWER, LONG_ANSWER, PARTIAL_BEFORE_FAILURE, PARTIAL_BEFORE_STOP, TOOL_QUESTION, TOOL_REFERENCE, toolRunMessages, TRICKY } from './scenario.mjs';
import { startPreviewServer } from './server.mjs';
import { themeCss } from './themes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}`))?.split('=')[1];
const out = resolve(arg('out') ?? join(root, 'test-results', 'webview-preview'));
const themes = (arg('themes') ?? 'dark,light,hc').split(',');
const only = arg('only')?.split(',');
const runs = (scenario) => !only || only.includes(scenario);
const serveOnly = process.argv.includes('--serve');

mkdirSync(out, { recursive: true });

// ---------- build ----------

await esbuild.build({
  entryPoints: [join(root, 'src/webview/main.ts')],
  outfile: join(out, 'webview.js'),
  bundle: true,
  minify: !process.argv.includes('--no-minify'),
  sourcemap: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  tsconfig: join(root, 'src/webview/tsconfig.json'),
  legalComments: 'none',
  logLevel: 'warning',
});
await esbuild.build({
  stdin: {
    contents: ["export { renderPanelHtml } from './src/panel/html';", "export { makeNonce } from './src/host/webviewCsp';"].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: join(out, 'html.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // @vscode/l10n's Node build loads fs with require(), which an ES module cannot; the browser
  // build is the same API (what the extension's host bundles use too, see esbuild.mjs).
  alias: { '@vscode/l10n': '@vscode/l10n/dist/browser.js' },
  target: 'node20',
  logLevel: 'warning',
});
const { makeNonce, renderPanelHtml } = await import(`${pathToFileURL(join(out, 'html.mjs')).href}?t=${Date.now()}`);

// ---------- server ----------

const server = await startPreviewServer({
  page: (theme) => pageHtml(theme),
  files: {
    '/webview.js': ['text/javascript', join(out, 'webview.js')],
    '/webview.js.map': ['application/json', join(out, 'webview.js.map')],
    '/media/panel.css': ['text/css', join(root, 'media/panel.css')],
    '/stub.js': ['text/javascript', join(here, 'stub.js')],
  },
  themeCss: themeCss,
});
const { origin } = server;

/** The real panel HTML, plus the theme stylesheet and the stub script VS Code's host would provide. */
function pageHtml(theme) {
  const nonce = makeNonce();
  const panelHtml = renderPanelHtml({
    cspSource: origin,
    nonce,
    scriptUri: `${origin}/webview.js`,
    styleUri: `${origin}/media/panel.css`,
    title: 'LinguaLeap Architect',
  });
  const withTheme = panelHtml.replace('  <link rel="stylesheet"', `  <link rel="stylesheet" href="${origin}/theme.css?name=${theme}">\n  <link rel="stylesheet"`);
  const script = `<script nonce="${nonce}" src="${origin}/webview.js">`;
  const html = withTheme.replace(script, `<script nonce="${nonce}" src="${origin}/stub.js" data-theme="${theme}"></script>\n  ${script}`);
  if (html === withTheme || withTheme === panelHtml) {
    throw new Error('The preview could not insert its stub into the panel HTML.');
  }
  return html;
}

if (serveOnly) {
  console.log(`Serving the panel at ${origin}/?theme=dark (light, hc). Ctrl+C to stop.`);
  await new Promise(() => {});
}

// ---------- checks ----------

const failures = [];
const report = { origin, checks: [], screenshots: [], metrics: {} };
function check(ok, what, detail) {
  report.checks.push({ ok: Boolean(ok), what, ...(detail === undefined ? {} : { detail }) });
  if (!ok) {
    failures.push(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  }
}

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunk(text, min, max, seed = 7) {
  const random = rng(seed);
  const chunks = [];
  for (let i = 0; i < text.length; ) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

const byLine = (text) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--font-render-hinting=none'],
});

async function openPanel(theme, viewport = { width: 760, height: 900 }) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const events = { dialogs: [], errors: [], console: [], external: [] };
  page.on('dialog', (dialog) => {
    events.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => events.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      events.console.push(message.text());
    }
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) {
      events.external.push(request.url());
    }
  });
  await page.goto(`${origin}/?theme=${theme}`);
  await page.waitForFunction(() => window.__preview.posted.length > 0);
  const first = await page.evaluate(() => window.__preview.posted[0]);
  check(first?.type === 'ready', `[${theme}] the webview posts ready first`, first);

  const panel = {
    page,
    events,
    post: (...messages) => page.evaluate((ms) => ms.forEach((m) => window.postMessage(m, '*')), messages),
    /** Posts the chunks as deltas, `perFrame` of them per animation frame. */
    stream: (turnId, chunks, perFrame = 3) =>
      page.evaluate(
        async ({ turnId, chunks, perFrame }) => {
          for (let i = 0; i < chunks.length; i++) {
            window.postMessage({ type: 'delta', turnId, text: chunks[i] }, '*');
            if ((i + 1) % perFrame === 0) {
              await new Promise((resolve) => requestAnimationFrame(() => resolve()));
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 0));
          await new Promise((resolve) => requestAnimationFrame(() => resolve()));
        },
        { turnId, chunks, perFrame },
      ),
    posted: () => page.evaluate(() => window.__preview.posted),
    async finish(label) {
      const violations = await page.evaluate(() => window.__preview.violations);
      check(violations.length === 0, `[${label}] no CSP violation`, violations);
      check(events.dialogs.length === 0, `[${label}] no dialog opened (no script ran)`, events.dialogs);
      check(events.errors.length === 0, `[${label}] no page error`, events.errors);
      check(events.console.length === 0, `[${label}] no console error or warning`, events.console);
      check(events.external.length === 0, `[${label}] no request left the panel's origin`, events.external);
      await context.close();
    },
  };
  return panel;
}

async function shot(page, name, options = {}) {
  const path = join(out, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', ...options });
  report.screenshots.push(path);
}

const REF_SELECTION = { path: 'src/services/lessonService.ts', languageId: 'typescript', startLine: 42, endLine: 118, kind: 'selection', truncated: false };
const REF_FILE_CUT = { path: 'docs/architecture/README.md', languageId: 'markdown', startLine: 1, endLine: 1480, kind: 'file', truncated: true };

/** The full conversation: a long answer, a hostile one, a failure, a stop and a failure with no text. */
async function conversation(theme) {
  const panel = await openPanel(theme);
  const { page } = panel;
  await panel.post({ type: 'init', agentName: 'LinguaLeap Architect', model: 'claude-sonnet-4-5' });
  await shot(page, `${theme}-empty`);

  await panel.post({
    type: 'turnStarted',
    turnId: 't1',
    question: 'Why does recordAttempt() get slow under load, and how should I restructure it?',
    reference: REF_SELECTION,
  });
  const chunks = chunk(LONG_ANSWER, 2, 14, 1);
  const half = Math.floor(chunks.length * 0.55);
  await panel.stream('t1', chunks.slice(0, half));
  const mid = await page.evaluate(() => ({
    frozen: document.querySelector('.turn .md-frozen').children.length,
    tail: Boolean(document.querySelector('.turn .md-tail')),
    stop: Boolean(document.querySelector('.turn .stop-button:not([disabled])')),
    busy: document.querySelector('.turn .answer').getAttribute('aria-busy'),
    codeBlocks: document.querySelectorAll('.turn .code-block').length,
    announcer: document.getElementById('announcer').textContent,
    atBottom: Math.abs(scrollY + innerHeight - document.documentElement.scrollHeight) < 30,
  }));
  check(mid.frozen > 3 && mid.tail, `[${theme}] mid-stream: finished blocks are frozen, only the tail is live`, mid);
  check(mid.stop && mid.busy === 'true', `[${theme}] mid-stream: Stop is shown and the answer is aria-busy`, mid);
  check(mid.codeBlocks >= 1, `[${theme}] mid-stream: Markdown (a code block) is rendered while streaming`, mid);
  check(mid.announcer === '', `[${theme}] nothing is announced while tokens stream`, mid.announcer);
  check(mid.atBottom, `[${theme}] the view follows the stream`, mid);
  await shot(page, `${theme}-streaming`);
  await panel.stream('t1', chunks.slice(half));
  await panel.post({
    type: 'turnCompleted',
    turnId: 't1',
    usage: { inputTokens: 3412, outputTokens: 987, cacheReadTokens: 2900, cacheWriteTokens: 0 },
    stopReason: 'end_turn',
  });
  await page.waitForTimeout(200);
  const done = await page.evaluate(() => ({
    stop: document.querySelectorAll('.turn .stop-button').length,
    busy: document.querySelector('.turn .answer').getAttribute('aria-busy'),
    announcer: document.getElementById('announcer').textContent,
    footer: document.querySelector('.turn .turn-footer')?.textContent,
    langs: Array.from(document.querySelectorAll('.turn .code-lang')).map((el) => el.textContent),
  }));
  check(JSON.stringify(done.langs) === JSON.stringify(['ts', 'sql', 'yaml', 'diff', 'bash', 'prisma']), `[${theme}] code blocks are labelled with their language`, done.langs);
  check(done.footer === '3,412 input · 987 output · 2,900 cache read · 0 cache write tokens', `[${theme}] completed: usage shown`, done.footer);
  check(done.stop === 0 && done.busy === null, `[${theme}] completed: Stop is gone, not busy`, done);
  check(done.announcer.startsWith('LinguaLeap Architect answered. Short answer'), `[${theme}] the completed answer is announced once`, done.announcer.slice(0, 80));

  // Hostile output.
  await panel.post({ type: 'turnStarted', turnId: 't2', question: 'Render this exactly as the model wrote it.', reference: REF_FILE_CUT });
  await panel.stream('t2', chunk(HOSTILE_ANSWER, 1, 9, 2));
  await panel.post({ type: 'turnCompleted', turnId: 't2', stopReason: 'end_turn' });
  const hostile = await page.evaluate(() => {
    const answer = document.querySelectorAll('.turn')[1].querySelector('.markdown');
    const all = Array.from(document.querySelectorAll('.markdown *'));
    return {
      dangerous: all.filter((el) => !el.closest('.code-header') && /^(IMG|SCRIPT|IFRAME|SVG|STYLE|OBJECT|EMBED|FORM|INPUT|B)$/i.test(el.tagName)).map((el) => el.outerHTML),
      handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || a.name === 'style').map((a) => `${el.tagName} ${a.name}`)),
      hrefs: Array.from(document.querySelectorAll('.markdown a')).map((a) => a.getAttribute('href')),
      text: answer.textContent,
      preClasses: Array.from(answer.querySelectorAll('pre, code')).map((el) => `${el.tagName}.${el.className}|${el.getAttribute('data-lang') ?? ''}`),
    };
  });
  check(hostile.dangerous.length === 0, `[${theme}] hostile: no active element was created`, hostile.dangerous);
  check(hostile.handlers.length === 0, `[${theme}] hostile: no event handler or style attribute`, hostile.handlers);
  check(
    hostile.hrefs.every((href) => /^https?:\/\//.test(href) || href?.startsWith('#')),
    `[${theme}] hostile: every link is http(s)`,
    hostile.hrefs,
  );
  check(
    ['<img src=x onerror', '<script>alert', "[javascript link](javascript:alert('md'))", '<javascript:alert', "<script>alert('entity')"].every((s) => hostile.text.includes(s)),
    `[${theme}] hostile: raw HTML and unsafe links are shown as text`,
  );
  check(!hostile.hrefs.some((h) => /README|setup|app\.py/.test(h)), `[${theme}] file names are not linkified`, hostile.hrefs);
  check(hostile.text.includes('Image: tracking pixel') && !hostile.hrefs.some((h) => h.startsWith('data:')), `[${theme}] hostile: images are links, never loaded`);
  check(hostile.preClasses.every((c) => !/img|onerror|onmouseover|"/.test(c)), `[${theme}] hostile: a fence's info string cannot break out`, hostile.preClasses);

  // Link clicks go to the host and never navigate.
  const before = page.url();
  await page.click('.turn:nth-of-type(2) a[href="https://docs.anthropic.com"]');
  await page.click('.turn:nth-of-type(2) a[href="https://www.postgresql.org/docs/"]', { button: 'middle' });
  await page.waitForTimeout(100);
  const linkPosts = (await panel.posted()).filter((m) => m.type === 'openLink');
  check(
    linkPosts.length === 1 && linkPosts[0].href === 'https://docs.anthropic.com' && page.url() === before,
    `[${theme}] a click posts openLink and does not navigate (middle click does nothing)`,
    linkPosts,
  );

  // Failure after partial text.
  await panel.post({ type: 'turnStarted', turnId: 't3', question: 'Should the scoring call move out of the transaction?', reference: REF_SELECTION });
  // What the token budget left out is said with the question; the chip shows the code actually sent.
  const BUDGET_NOTE =
    "2 earlier questions and their answers were left out and only the first 40 of 77 lines of src/services/lessonService.ts were sent, to fit the model's context window.";
  await panel.post({ type: 'turnNotice', turnId: 't3', text: BUDGET_NOTE, reference: { ...REF_SELECTION, endLine: 81, truncated: true } });
  await page.waitForTimeout(150);
  const budget = await page.evaluate(() => {
    const question = document.querySelectorAll('.turn')[2].querySelector('.question');
    return {
      note: question.querySelector('.turn-note-budget')?.textContent,
      chips: question.querySelectorAll('.code-ref').length,
      lines: question.querySelector('.code-ref-lines')?.textContent,
      cut: question.querySelector('.code-ref-cut')?.textContent,
      announced: document.getElementById('announcer')?.textContent,
    };
  });
  check(
    budget.note === BUDGET_NOTE && budget.chips === 1 && budget.lines === ':42–81' && budget.cut === '(cut to fit)' && budget.announced === BUDGET_NOTE,
    `[${theme}] budget: the note is shown with the question and announced, the chip shows the lines sent`,
    budget,
  );
  await panel.stream('t3', chunk(PARTIAL_BEFORE_FAILURE, 3, 12, 3));
  await panel.post({
    type: 'turnFailed',
    turnId: 't3',
    message: 'Anthropic rejected the API key (401 Unauthorized); set a valid key to continue.',
    actions: ['setApiKey', 'openLog'],
  });

  // Stop by keyboard.
  await panel.post({ type: 'turnStarted', turnId: 't4', question: 'Plan the timezone migration for learners.' });
  await panel.stream('t4', chunk(PARTIAL_BEFORE_STOP, 3, 12, 4));
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('stop-button') ?? false);
  }
  const ring = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return { outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`, label: document.activeElement.getAttribute('aria-label') };
  });
  check(reached, `[${theme}] the Stop button is reachable with Tab`);
  check(/^solid 1px rgb/.test(ring.outline) && ring.label === 'Stop answering', `[${theme}] the focused Stop button shows a focus ring and has an aria-label`, ring);
  await shot(page, `${theme}-focus-stop`);
  await page.keyboard.press('Enter');
  const stopPosts = (await panel.posted()).filter((m) => m.type === 'stop');
  check(stopPosts.length === 1 && stopPosts[0].turnId === 't4', `[${theme}] Enter on Stop posts stop for its turn`, stopPosts);
  await panel.post({ type: 'delta', turnId: 't4', text: 'that has arrived before the abort' }, { type: 'turnCancelled', turnId: 't4' });
  await page.waitForTimeout(50);
  const stopped = await page.evaluate(() => {
    const turn = document.querySelectorAll('.turn')[3];
    return { note: turn.querySelector('.turn-note-stopped')?.textContent, text: turn.querySelector('.markdown').textContent, focus: document.activeElement?.className };
  });
  check(stopped.note === 'Stopped.' && stopped.text.includes('Backfill in batches') && stopped.text.includes('before the abort'), `[${theme}] cancelled: "Stopped", partial text kept`, stopped);
  check(stopped.focus === 'answer', `[${theme}] focus stays in the turn when Stop disappears`, stopped.focus);

  // Failure before any text.
  await panel.post(
    { type: 'turnStarted', turnId: 't5', question: 'And how much Redis memory will the streak keys need?' },
    { type: 'turnFailed', turnId: 't5', message: 'Claude is overloaded right now; try again in a minute.', actions: ['retry', 'openLog', 'openSettings'] },
  );
  await page.click('.turn:nth-of-type(3) .turn-error-actions button:first-child');
  await page.click('.turn:nth-of-type(5) .turn-error-actions button:first-child');
  const actions = (await panel.posted()).filter((m) => m.type === 'action');
  check(
    JSON.stringify(actions) === JSON.stringify([{ type: 'action', turnId: 't3', action: 'setApiKey' }, { type: 'action', turnId: 't5', action: 'retry' }]),
    `[${theme}] action buttons post their action`,
    actions,
  );
  const failed = await page.evaluate(() => {
    const turn = document.querySelectorAll('.turn')[2];
    return {
      labels: Array.from(document.querySelectorAll('.turn-error-actions')).map((el) => el.textContent),
      incomplete: turn.querySelector('.answer-body').classList.contains('is-incomplete'),
      partial: turn.querySelector('.markdown').textContent.includes('requests queue behind the pool'),
    };
  });
  check(
    failed.labels[0] === 'Set API KeyOpen Log' && failed.labels[1] === 'RetryOpen LogOpen Settings' && failed.incomplete && failed.partial,
    `[${theme}] failed: actions labelled, partial text kept and marked incomplete`,
    failed,
  );
  // A message for an unknown turn or after the end changes nothing and throws nothing.
  await panel.post({ type: 'delta', turnId: 'nope', text: 'x' }, { type: 'delta', turnId: 't1', text: 'late' }, { type: 'turnCompleted', turnId: 't1' });

  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, `${theme}-top`);
  await shot(page, `${theme}-full`, { fullPage: true });
  // The full page in viewport-sized parts, readable at 1:1.
  const { width, height, total } = await page.evaluate(() => ({ width: innerWidth, height: innerHeight, total: document.documentElement.scrollHeight }));
  for (let y = 0, part = 1; y < total; y += height, part++) {
    await shot(page, `${theme}-full-${part}`, { fullPage: true, clip: { x: 0, y, width, height: Math.min(height, total - y) } });
  }
  await panel.finish(theme);
}

/** Streamed rendering must end exactly like rendering the whole answer at once. */
async function equivalence() {
  const panel = await openPanel('dark', { width: 900, height: 700 });
  const trickyNoRef = TRICKY.replace(/^\[ref\]:.*$/m, 'No definition here.');
  const corpora = { long: LONG_ANSWER, hostile: HOSTILE_ANSWER, tricky: TRICKY, trickyNoRef, crlf: CRLF };
  let n = 0;
  for (const [name, text] of Object.entries(corpora)) {
    const plans = {
      oneShot: [text],
      random: chunk(text, 1, 20, 11),
      byLine: byLine(text),
      ...(text.length < 2000 ? { byChar: [...text] } : {}),
      ...(name === 'crlf' ? { splitCRLF: text.split(/(?<=\r)/) } : {}),
    };
    const html = {};
    for (const [plan, chunks] of Object.entries(plans)) {
      const turnId = `${name}-${plan}`;
      await panel.post({ type: 'turnStarted', turnId, question: turnId });
      await panel.stream(turnId, chunks, 1);
      await panel.post({ type: 'turnCompleted', turnId });
      html[plan] = await panel.page.evaluate((i) => document.querySelectorAll('.turn .markdown')[i].innerHTML, n++);
    }
    for (const [plan, value] of Object.entries(html)) {
      if (plan !== 'oneShot') {
        check(value === html.oneShot, `[equivalence] ${name}: streamed ${plan} === one-shot`, value === html.oneShot ? undefined : firstDifference(value, html.oneShot));
      }
    }
  }
  await panel.finish('equivalence');
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) {
    i++;
  }
  return { streamed: a.slice(Math.max(0, i - 80), i + 80), oneShot: b.slice(Math.max(0, i - 80), i + 80) };
}

/** Follows the stream at the bottom; stops following when the reader scrolls up; resumes at the bottom. */
async function scrolling() {
  const panel = await openPanel('dark', { width: 700, height: 500 });
  const { page } = panel;
  await panel.post({ type: 'turnStarted', turnId: 's1', question: 'Scroll test' });
  const chunks = chunk(LONG_ANSWER + LONG_ANSWER, 4, 10, 5);
  const third = Math.floor(chunks.length / 3);
  const bottomGap = () => page.evaluate(() => document.documentElement.scrollHeight - scrollY - innerHeight);
  await panel.stream('s1', chunks.slice(0, third));
  check((await bottomGap()) < 30, '[scroll] follows the stream while at the bottom');
  await page.mouse.move(300, 250);
  await page.mouse.wheel(0, -400);
  await page.waitForTimeout(100);
  const heldAt = await page.evaluate(() => scrollY);
  await panel.stream('s1', chunks.slice(third, 2 * third));
  const after = await page.evaluate(() => scrollY);
  check(Math.abs(after - heldAt) < 2 && (await bottomGap()) > 100, '[scroll] stays put after the reader scrolls up', { heldAt, after });
  await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(100);
  await panel.stream('s1', chunks.slice(2 * third));
  check((await bottomGap()) < 30, '[scroll] follows again once back at the bottom');
  await panel.post({ type: 'turnCompleted', turnId: 's1' });
  await panel.finish('scroll');
}

/** A long answer in small, fast deltas: the cost per frame must stay flat. */
async function performance() {
  const panel = await openPanel('dark', { width: 760, height: 900 });
  const { page } = panel;
  const text = Array.from({ length: 12 }, () => LONG_ANSWER).join('\n');
  const chunks = chunk(text, 2, 6, 9);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => Math.round(e.duration)))).observe({ type: 'longtask' });
  });
  await panel.post({ type: 'turnStarted', turnId: 'p1', question: 'Performance' });
  const before = await metric();
  const started = Date.now();
  await page.evaluate(async (chunks) => {
    // About 1,600 deltas a second, faster than Claude streams.
    for (let i = 0; i < chunks.length; i += 8) {
      for (const text of chunks.slice(i, i + 8)) {
        window.postMessage({ type: 'delta', turnId: 'p1', text }, '*');
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  }, chunks);
  await panel.post({ type: 'turnCompleted', turnId: 'p1' });
  const after = await metric();
  const longTasks = await page.evaluate(() => window.__long);
  report.metrics.performance = {
    answerChars: text.length,
    deltas: chunks.length,
    wallMs: Date.now() - started,
    scriptMs: Math.round((after.ScriptDuration - before.ScriptDuration) * 1000),
    layoutMs: Math.round((after.LayoutDuration - before.LayoutDuration) * 1000),
    longTasksOver50ms: longTasks,
  };
  // Long tasks here mostly measure how busy the machine is; fail only on a stall a user would notice.
  check(longTasks.filter((d) => d > 1000).length === 0, '[performance] no task over a second while streaming', report.metrics.performance);
  await panel.finish('performance');
}

/**
 * A realistic architect run with tools: a plan, Glob -> Read -> Grep -> Bash between the text,
 * the answer, the details; then the same turn restored from its snapshot.
 */
async function tools(theme) {
  const panel = await openPanel(theme, { width: 760, height: 1000 });
  const { page } = panel;
  const { messages, snapshot, summary } = toolRunMessages('t1');
  await panel.post(
    { type: 'init', agentName: 'LinguaLeap Architect', model: 'claude-sonnet-4-5' },
    { type: 'turnStarted', turnId: 't1', question: TOOL_QUESTION, reference: TOOL_REFERENCE },
  );
  const frame = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
  let sawRunning = false;
  for (const message of messages) {
    if (message.type === 'delta') {
      await panel.stream('t1', chunk(message.text, 2, 12, 5));
    } else {
      await panel.post(message);
      await frame();
    }
    if (message.type === 'toolStep' && message.step.stepId === 's3' && message.step.status === 'running') {
      sawRunning = await page.evaluate(() => document.querySelector('.tool-step.is-running .tool-step-spinner') !== null);
      await shot(page, `${theme}-tools-running`);
    }
  }
  check(sawRunning, `[${theme}] tools: a running step shows a spinner`);
  await panel.post({ type: 'turnCompleted', turnId: 't1', usage: summary.usage, stopReason: 'end_turn', summary, total: summary });
  await page.waitForTimeout(150);
  const structure = () =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll('.turn .answer-body > *')).map((el) =>
        el.classList.contains('tool-steps') ? `steps:${Array.from(el.children).map((li) => `${li.dataset.tool}/${li.className.replace('tool-step ', '')}`).join(',')}` : 'text',
      ),
    );
  const live = await structure();
  check(
    JSON.stringify(live) === JSON.stringify(['text', 'steps:Glob/is-done,Read/is-done', 'text', 'steps:Grep/is-done,Bash/is-done', 'text']),
    `[${theme}] tools: text, steps and text in the order they happened, consecutive steps grouped`,
    live,
  );
  const plan = await page.evaluate(() => ({
    items: Array.from(document.querySelectorAll('.plan-item')).map((li) => li.className),
    progress: document.querySelector('.plan-progress')?.textContent,
    first: document.querySelector('.answer-meta').nextElementSibling?.className,
  }));
  check(plan.items.length === 4 && plan.items.every((c) => c.includes('is-completed')) && plan.progress === '4 of 4 done' && plan.first === 'plan', `[${theme}] tools: the plan is at the top, all done`, plan);

  // Expand the Grep step and the details, click a link: what the docs screenshot shows.
  await page.click('.tool-step[data-step-id="s3"] .tool-step-header');
  await page.click('.turn-details-button');
  await page.click('.tool-step[data-step-id="s3"] .tool-step-link >> nth=1');
  const linkPosts = (await panel.posted()).filter((m) => m.type === 'openStepLink');
  check(JSON.stringify(linkPosts) === JSON.stringify([{ type: 'openStepLink', turnId: 't1', stepId: 's3', index: 1 }]), `[${theme}] tools: a step's link posts openStepLink with its index`, linkPosts);
  // Keyboard: Tab reaches the steps, the focused one shows a ring.
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('tool-step-header') ?? false);
  }
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(reached && ring === 'solid', `[${theme}] tools: Tab reaches a step, which shows a focus ring`, { reached, ring });
  await shot(page, `${theme}-tools-focus`);
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, `${theme}-tools`);
  await shot(page, `${theme}-tools-full`, { fullPage: true });

  // The same turn restored from its snapshot: the same structure, the same text per segment.
  const liveHtml = await page.evaluate(() => Array.from(document.querySelectorAll('.turn .markdown')).map((m) => m.innerHTML));
  await panel.post({ type: 'conversation', conversationId: 'c-tools', turns: [snapshot], total: summary });
  await page.waitForTimeout(150);
  const restored = await structure();
  const restoredHtml = await page.evaluate(() => Array.from(document.querySelectorAll('.turn .markdown')).map((m) => m.innerHTML));
  check(JSON.stringify(restored) === JSON.stringify(live), `[${theme}] tools: a restored turn has the same structure`, restored);
  check(JSON.stringify(restoredHtml) === JSON.stringify(liveHtml), `[${theme}] tools: a restored turn renders each text segment the same`);
  // Narrow: long titles end in an ellipsis, the row stays one line.
  await page.setViewportSize({ width: 380, height: 900 });
  await page.click('.tool-step[data-step-id="s2"] .tool-step-header');
  await page.evaluate(() => scrollTo(0, 0));
  const rows = await page.evaluate(() => Array.from(document.querySelectorAll('.tool-step-header')).map((el) => Math.round(el.getBoundingClientRect().height)));
  check(rows.every((height) => height <= 26), `[${theme}] tools: each step is one line in a narrow panel`, rows);
  await shot(page, `${theme}-tools-narrow`);
  await panel.finish(`${theme} tools`);
}

try {
  for (const theme of themes) {
    if (runs('conversation')) {
      await conversation(theme);
    }
    if (runs('tools')) {
      await tools(theme);
    }
  }
  if (runs('equivalence')) {
    await equivalence();
  }
  if (runs('scrolling')) {
    await scrolling();
  }
  if (runs('performance')) {
    await performance();
  }
  if (runs('narrow')) {
    // A narrow panel.
    const narrow = await openPanel('dark', { width: 380, height: 760 });
    await narrow.post(
      { type: 'init', agentName: 'LinguaLeap Architect', model: 'claude-sonnet-4-5' },
      { type: 'turnStarted', turnId: 'n1', question: 'Why does recordAttempt() get slow under load?', reference: REF_FILE_CUT },
    );
    await narrow.stream('n1', chunk(LONG_ANSWER.slice(0, 2600), 5, 20, 3));
    await narrow.post({ type: 'turnFailed', turnId: 'n1', message: 'The connection to Anthropic dropped; check your network or proxy settings.', actions: ['retry', 'openLog', 'openSettings'] });
    await narrow.page.evaluate(() => scrollTo(0, 0));
    await shot(narrow.page, 'dark-narrow', { fullPage: true });
    await narrow.finish('narrow');
  }
} finally {
  await browser.close();
  server.close();
}

report.metrics.bundleBytes = statSync(join(out, 'webview.js')).size;
writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2));
for (const c of report.checks) {
  console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.what}`);
}
if (report.metrics.performance) {
  console.log(`\nperformance: ${JSON.stringify(report.metrics.performance)}`);
}
console.log(`bundle (minified): ${report.metrics.bundleBytes} bytes`);
console.log(`screenshots: ${out}`);
if (failures.length > 0) {
  console.error(`\n${failures.length} check(s) failed:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
