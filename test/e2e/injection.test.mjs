// Model output is hostile: every payload of test/fixtures/injection-corpus.json streams into the
// REAL panel webview, and nothing may run, load or navigate. Executed script would set
// window.__pwned, post to the workbench and fetch the fake server's /__pwned tripwire; remote
// resources point at the tripwire too, so any load is recorded by the fake server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/common.mjs';
import { workbenchSuite } from './workbench.mjs';

const ASK = 'LinguaLeap: Ask LinguaLeap Architect';
const corpus = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'injection-corpus.json'), 'utf8'));

/** The whole corpus as one answer, each payload in its own section so one cannot hide another. */
function hostileAnswer(fakeUrl) {
  return corpus.payloads
    .map((p) => `MARK-${p.id}\n\n${p.markdown.replaceAll('{{PWN}}', `${fakeUrl}/__pwned/${p.id}`)}\n\n`)
    .join('\n');
}

const hasTurn = () => !!document.querySelector('article.turn');

/** Everything in the rendered answers that could run, load or navigate. Runs in the webview. */
function auditWebview() {
  const problems = [];
  const answers = [...document.querySelectorAll('article.turn .answer .markdown')];
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const root of answers) {
    for (const el of root.querySelectorAll('*')) {
      // The code block toolbar (Copy etc.) is built by the renderer after sanitizing, not from the answer.
      if (el.closest('.code-header')) {
        continue;
      }
      const tag = el.tagName.toLowerCase();
      if (['script', 'style', 'link', 'meta', 'base', 'img', 'picture', 'source', 'video', 'audio', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'form', 'input', 'textarea', 'select', 'template', 'noscript', 'details'].includes(tag)) {
        problems.push(`element <${tag}>: ${describe(el)}`);
      }
      if (tag === 'button') {
        problems.push(`a button from the answer: ${describe(el)}`);
      }
      for (const attr of el.getAttributeNames()) {
        const value = el.getAttribute(attr) ?? '';
        if (/^on/i.test(attr) || ['style', 'src', 'srcset', 'action', 'formaction', 'target', 'xlink:href', 'background', 'poster', 'data'].includes(attr)) {
          problems.push(`attribute ${attr}="${value.slice(0, 80)}" on <${tag}>`);
        }
        if (attr === 'href' && !/^(https?:\/\/|#)/i.test(value)) {
          problems.push(`href with a non-http(s) scheme: ${describe(el)}`);
        }
      }
    }
  }
  return {
    problems,
    pwned: window.__pwned ?? null,
    scripts: [...document.querySelectorAll('script')].map((s) => s.outerHTML.slice(0, 200)),
    answerChars: answers.reduce((n, a) => n + (a.textContent?.length ?? 0), 0),
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
  };
}

workbenchSuite('injection', {}, (test) => {
  test(`${corpus.payloads.length} hostile payloads render inert in the real webview`, async (wb) => {
    assert.ok(corpus.payloads.length >= 100, 'the corpus has at least 100 payloads');
    // A payload that escaped could postMessage the workbench: listen there before asking.
    await wb.page.evaluate(() => {
      window.__pwnedMessages = [];
      window.addEventListener('message', (event) => {
        if (event.data === 'pwned') {
          window.__pwnedMessages.push(String(event.origin));
        }
      });
    });
    const text = hostileAnswer(wb.fake.url);
    // Small chunks so every partial state of the streaming renderer is exercised too.
    await wb.fake.script({ text, chunkSize: 23, delayMs: 1 });
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('Render hostile output');

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the hostile answer to complete', timeout: 120_000 });
    // Give anything that was going to fire (onerror, meta refresh, timers) a moment.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const audit = await frame.evaluate(auditWebview);
    assert.deepEqual(audit.problems, [], `dangerous markup in the rendered answer:\n${audit.problems.join('\n')}`);
    assert.equal(audit.pwned, null, 'a payload ran script in the webview');
    const shown = await frame.evaluate(() => document.querySelector('article.turn .answer .markdown')?.textContent ?? '');
    for (const { id } of corpus.payloads) {
      assert.ok(shown.includes(`MARK-${id}`), `payload ${id} (or everything after it) is missing from the answer: nothing may be silently dropped`);
    }
    assert.ok(shown.includes('<script>'), 'raw HTML is shown as text');

    // The live CSP: no inline or eval script, nothing remote.
    const csp = audit.csp;
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|data:|blob:/, csp);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=_-]+'(;|$)/, csp);
    // Every source is the webview's own resource origin (webview.cspSource: 'self' and VS Code's
    // resource CDN), a nonce, or 'none': nothing the answer could point at.
    for (const directive of csp.split(';').map((d) => d.trim()).filter(Boolean)) {
      const [name, ...sources] = directive.split(/\s+/);
      for (const source of sources) {
        assert.match(source, /^('none'|'self'|'nonce-[A-Za-z0-9+/=_-]+'|https:\/\/\*\.vscode-cdn\.net)$/, `${name} allows ${source}`);
      }
    }
    // VS Code injects `acquireVsCodeApi` itself (`#_vscodeApiScript`); every other script is the extension's, nonced.
    assert.deepEqual(audit.scripts.filter((s) => !/^<script[^>]* nonce=/.test(s) && !s.startsWith('<script id="_vscodeApiScript">')), [], 'every script in the webview is nonced');

    // Click the dangerous links as a user would: they must be text, and clicking does nothing.
    const settingsTabsBefore = await wb.page.locator('.tab .label-name:text-is("Settings")').count();
    for (const label of ['command link', 'js link', 'ref command', 'data link', 'vbscript link']) {
      const target = frame.locator('article.turn .answer .markdown').getByText(label, { exact: false }).first();
      assert.equal(await target.evaluate((el) => el.closest('a')?.getAttribute('href') ?? null), null, `"${label}" became a link`);
      await target.click();
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await wb.page.locator('.tab .label-name:text-is("Settings")').count(), settingsTabsBefore, 'a command: link opened the Settings editor');
    assert.equal((await frame.evaluate(auditWebview)).pwned, null, 'clicking a link ran script');

    // The workbench saw no postMessage and no script ran in it.
    const top = await wb.page.evaluate(() => ({ messages: window.__pwnedMessages, pwned: window.__pwned ?? null }));
    assert.deepEqual(top, { messages: [], pwned: null }, 'a payload reached the workbench');

    // The fake server saw the one API request and nothing else: no tripwire hit, no loads.
    const requests = await wb.fake.requests();
    const other = requests.filter((r) => r.path !== '/v1/messages');
    assert.deepEqual(other.map((r) => `${r.method} ${r.path}`), [], 'the webview reached the network');
    assert.equal(requests.length, 1);
  });

  test('an http(s) link opens only through VS Code\'s external-link confirmation', async (wb) => {
    await wb.fake.script({ text: 'See [the docs](https://example.com/lingualeap-docs) and [settings](command:workbench.action.openSettings).' });
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('Link please');
    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the answer' });
    const href = await frame.evaluate(() => document.querySelector('article.turn .answer .markdown a')?.getAttribute('href'));
    assert.equal(href, 'https://example.com/lingualeap-docs');
    const pagesBefore = wb.context.pages().length;
    await frame.locator('article.turn .answer .markdown a').first().click();
    // VS Code asks before opening an untrusted domain.
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.equal(wb.context.pages().length, pagesBefore, 'the link opened before it was confirmed');
    assert.match(await dialog.innerText(), /example\.com/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(wb.context.pages().length, pagesBefore, 'the link opened although the confirmation was cancelled');
    assert.equal(await wb.page.locator('.tab .label-name:text-is("Settings")').count(), 0, 'the command: link ran');
  });
});
