// The e2e harness: a real VS Code workbench (code-server) in headless Chromium, driven like a
// user would, with the extension installed and the fake Anthropic server as its API.
//
//   const wb = await Workbench.start();        // fake server + code-server + browser (once per file)
//   await wb.openWindow();                     // a fresh window (per test)
//   await wb.openFile('src/routes/lessons.ts');
//   await wb.selectLines(14, 21);
//   await wb.rightClickEditorAndChoose('Ask LinguaLeap Architect');
//   await wb.typeInQuickInput('Is this safe?');
//   const frame = await wb.findWebviewFrame(() => !!document.querySelector('h2'));
//   await wb.screenshot('ask-from-context-menu');
//   await wb.close();
//
// The extension is installed (symlinked into the extensions dir as
// `lingualeap.lingualeap-architect-<version>`) rather than loaded through the smoke-test
// payload, so notification toasts show as they would for a user.
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dirname, join, resolve } from 'node:path';
import { copySampleWorkspace, formatConsoleArgs, isWorkbenchNoise, REPO_ROOT, startFakeServer, testEnv } from '../scripts/common.mjs';
import { launchBrowser, startCodeServer } from '../scripts/vscode-server.mjs';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');

/**
 * Every regular file under `dir` whose name `accept`s, depth first. Symlinks are not followed
 * (the extension is linked from the repository into the extensions folder); a missing or
 * unreadable folder yields nothing.
 */
export function filesUnder(dir, accept = () => true) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    return stat.isDirectory() ? filesUnder(path, accept) : stat.isFile() && accept(name) ? [path] : [];
  });
}
export const SCREENSHOTS_DIR = join(RESULTS_DIR, 'screenshots');
const TEST_MODEL_PROVIDER = join(REPO_ROOT, 'test', 'fixtures', 'test-model-provider');

/** Generous: the machines have two cores and the workbench is heavy. */
export const STEP_TIMEOUT = Number(process.env.LINGUALEAP_E2E_STEP_TIMEOUT_MS ?? 60_000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isMac = process.platform === 'darwin';

/** The fake Anthropic server, driven over its HTTP control endpoints (see test/fake-anthropic). */
export class FakeAnthropicClient {
  constructor(url, handle) {
    this.url = url;
    this.handle = handle;
  }

  /** Queues scenarios: each POST /v1/messages takes the next one, then the default applies. */
  async script(...scenarios) {
    await this.#post('/__control/script', scenarios);
  }

  /** Replaces the default scenario (used when the queue is empty). */
  async setDefault(scenario) {
    await this.#post('/__control/script', { default: scenario });
  }

  /** Empties the queue and the recorded requests; restores the default scenario. */
  async reset() {
    await this.#post('/__control/reset', {});
  }

  /** Every API request the fake received (RecordedRequest[]). */
  async requests() {
    const response = await fetch(`${this.url}/__control/requests`);
    return response.json();
  }

  /** Polls until a recorded request satisfies `predicate`; resolves with it. */
  async waitForRequest(predicate = () => true, timeoutMs = STEP_TIMEOUT, what = 'a request') {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.requests()).find(predicate);
      if (found) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`fake Anthropic server: no ${what} within ${timeoutMs} ms; received: ${JSON.stringify(await this.requests()).slice(0, 2000)}`);
      }
      await sleep(200);
    }
  }

  async #post(path, body) {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`fake Anthropic server: ${path} answered ${response.status}: ${await response.text()}`);
    }
  }
}

export class Workbench {
  /** @type {import('playwright-core').Page} */
  page;

  /**
   * Starts the fake server, code-server with the extension (and the test model provider)
   * installed in a fresh extensions dir, and Chromium.
   * @param {{ extensionPath?: string, testModelProvider?: boolean | 'auto', fakeArgs?: string[],
   *   settings?: Record<string, unknown> | ((fake: { url: string }) => Record<string, unknown>),
   *   env?: Record<string, string | undefined>,
   *   workspaceTrust?: boolean, prepareWorkspace?: (dir: string) => void | Promise<void>,
   *   locale?: string, extraExtensions?: string[] }} options
   *   testModelProvider: install test/fixtures/test-model-provider; by default only when the
   *   extension contributes no `languageModelChatProviders` of its own.
   *   settings: user settings, or a function of the fake server that returns them (e.g. to
   *   point `lingualeap.baseUrl` at it).
   *   env: laid over the test environment of the extension host (`undefined` removes a
   *   variable, e.g. `{ ANTHROPIC_API_KEY: undefined }` for a machine without a key).
   *   workspaceTrust: start code-server with workspace trust on (see startCodeServer); the
   *   sample workspace is then a folder nobody has trusted yet.
   *   prepareWorkspace: called with the copied sample workspace before code-server starts
   *   (e.g. to add `.vscode/settings.json` or `.claude/agents/*.md`).
   *   locale: the display language (code-server's `--locale`); it takes only with a language
   *   pack for it among `extraExtensions` (e.g. test/fixtures/language-pack-de).
   *   extraExtensions: more extension folders to install after the extension.
   */
  static async start(options = {}) {
    const wb = new Workbench();
    try {
      await wb.#start(options);
    } catch (error) {
      await wb.close();
      throw error;
    }
    return wb;
  }

  #cleanups = [];
  #consoleLines = [];

  async #start(options) {
    const started = Date.now();
    const fake = await startFakeServer(options.fakeArgs ?? []);
    this.#cleanups.push(fake.stop);
    this.fake = new FakeAnthropicClient(fake.url, fake);

    this.workspace = copySampleWorkspace();
    this.#cleanups.push(async () => rmSync(dirname(this.workspace), { recursive: true, force: true }));
    await options.prepareWorkspace?.(this.workspace);

    this.extensionPath = resolve(options.extensionPath ?? process.env.LINGUALEAP_EXTENSION_PATH ?? REPO_ROOT);
    mkdirSync(join(RESULTS_DIR, 'logs'), { recursive: true });
    // The Chat view calls no participant until a model is selected. When the extension
    // contributes no models of its own, the test-only provider supplies one.
    const manifest = JSON.parse(readFileSync(join(this.extensionPath, 'package.json'), 'utf8'));
    const ownModels = (manifest.contributes?.languageModelChatProviders ?? []).length > 0;
    const testModels = options.testModelProvider === 'auto' || options.testModelProvider === undefined ? !ownModels : options.testModelProvider;
    /** What the Chat view's model picker should show once models are resolved. */
    this.chatModel = testModels ? 'LinguaLeap Test Model' : /Claude/;
    this.server = await startCodeServer({
      workspace: this.workspace,
      env: { ...testEnv(fake.url), ...options.env },
      settings: typeof options.settings === 'function' ? options.settings({ url: fake.url }) : options.settings,
      workspaceTrust: options.workspaceTrust,
      installExtensions: [this.extensionPath, ...(testModels ? [TEST_MODEL_PROVIDER] : []), ...(options.extraExtensions ?? [])],
      locale: options.locale,
      logFile: join(RESULTS_DIR, 'logs', `code-server-e2e-${process.pid}.log`),
    });
    this.#cleanups.push(this.server.stop);
    this.extensionId = this.server.installed[0];

    this.browser = await launchBrowser();
    this.#cleanups.push(() => this.browser.close());
    this.startMs = Date.now() - started;
  }

  /** Opens a fresh window (new browser context) on the sample workspace and waits for it to be usable. */
  async openWindow() {
    await this.context?.close().catch(() => undefined);
    this.context = await this.browser.newContext({ viewport: { width: 1440, height: 900 } });
    this.context.setDefaultTimeout(STEP_TIMEOUT);
    this.page = await this.context.newPage();
    this.#consoleLines = [];
    this.page.on('console', (message) => {
      // The workbench logs as console.log('%c INFO', 'color: …', message), the extension host
      // as console.log('%c[Extension Host] %cmessage', 'color: blue', 'color: ').
      const text = message
        .text()
        .replace(/^%c\s*(\w+)\s+color:\s*\S+\s*/, '$1 ')
        .replace(/%c/g, '')
        .replace(/(\s+color:\s*\S*)+\s*$/, '');
      if (!isWorkbenchNoise(text.replace(/^[A-Z]+ /, ''))) {
        this.#consoleLines.push(`[${message.type()}] ${text}`);
      }
    });
    const started = Date.now();
    await this.page.goto(this.server.url);
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    // The explorer shows the workspace once the remote connection and file service are up.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible' });
    this.loadMs = Date.now() - started;
    return this.page;
  }

  /** The browser console of the current window, without the workbench's known noise. */
  consoleLines() {
    return [...this.#consoleLines];
  }

  /** Opens a workspace file through Quick Open and waits for its editor to be active. */
  async openFile(relativePath) {
    const page = this.page;
    const name = relativePath.split('/').pop();
    await this.#focusWorkbench();
    await page.keyboard.press(isMac ? 'Meta+P' : 'Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    await this.#waitForQuickPickRow(name);
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor({ state: 'visible' });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /**
   * Selects whole lines `from`..`to` (1-based, inclusive) in the active editor via Go to Line
   * and Shift+Down, then checks the status bar: "Ln X, Col Y (N selected)".
   * @returns {Promise<number>} the number of selected characters the status bar reports
   */
  async selectLines(from, to) {
    const page = this.page;
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    // Go to Line is Quick Open with a ':' prefix; fill() replaces the prefix, so keep it.
    await input.fill(`:${from}`);
    await sleep(200);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await page.keyboard.press('Home');
    await page.keyboard.press('Home');
    for (let line = from; line <= to; line++) {
      await page.keyboard.press('Shift+ArrowDown');
    }
    const status = page.locator('#status\\.editor\\.selection');
    const deadline = Date.now() + STEP_TIMEOUT;
    // Key presses land one by one: wait until the count stops changing, not for the first count.
    let previous;
    for (;;) {
      const text = (await status.textContent().catch(() => '')) ?? '';
      const match = /\((\d+) selected\)/.exec(text);
      if (match && match[1] === previous) {
        return Number(match[1]);
      }
      previous = match?.[1];
      if (Date.now() > deadline) {
        throw new Error(`selecting lines ${from}-${to}: the status bar shows "${text}", not "(N selected)"`);
      }
      await sleep(250);
    }
  }

  /**
   * Runs a command through the F1 palette by its title as shown there
   * (e.g. "LinguaLeap: Ask LinguaLeap Architect"). Right after a window loads the extension
   * host may not have registered the command yet, so the palette is reopened until it is there.
   */
  async runCommand(title) {
    await this.#paletteUntil(title, (labels) => (labels[0] ?? '').startsWith(title));
    await this.page.keyboard.press('Enter');
  }

  /** The command palette rows matching `text` (their labels), once at least one contains it. */
  async commandPaletteEntries(text) {
    const labels = await this.#paletteUntil(text, (rows) => rows.some((row) => row.includes(text)));
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Opens the palette with `>text` until its settled rows satisfy `done`; leaves it open. */
  async #paletteUntil(text, done) {
    const page = this.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      await this.#focusWorkbench();
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${text}`);
      const labels = await this.#settledQuickPickLabels();
      if (done(labels)) {
        return labels;
      }
      if (Date.now() > deadline) {
        throw new Error(`the command palette shows no "${text}"; it shows: ${labels.slice(0, 8).join(' | ') || '(nothing)'}`);
      }
      await page.keyboard.press('Escape');
      await sleep(500);
    }
  }

  /** Right-clicks the current selection in the active editor and chooses `label` in the context menu. */
  async rightClickEditorAndChoose(label) {
    const page = this.page;
    const selected = page.locator('.editor-instance .monaco-editor .view-overlays .selected-text, .editor-instance .monaco-editor .selected-text').first();
    const box = (await selected.count()) > 0 ? await selected.boundingBox() : null;
    const target = page.locator('.editor-instance .monaco-editor .view-lines').first();
    if (box) {
      await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2, { button: 'right' });
    } else {
      await target.click({ button: 'right', position: { x: 40, y: 10 } });
    }
    // Context menus render in a shadow root; Playwright's CSS engine pierces it.
    const item = page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label', { hasText: label }).first();
    try {
      await item.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      const labels = await page.locator('.context-view .monaco-menu .action-label').allTextContents().catch(() => []);
      await this.screenshot('context-menu-missing-item');
      throw new Error(`the editor context menu has no "${label}"; it shows: ${labels.filter(Boolean).join(' | ')}`);
    }
    // A click right as the menu appears can be swallowed (the item highlights, nothing runs):
    // let it settle, and click again if it is still open.
    await sleep(300);
    await item.hover();
    await item.click();
    const menu = page.locator('.context-view .monaco-menu');
    try {
      await menu.waitFor({ state: 'hidden', timeout: 3000 });
    } catch {
      await item.click();
      await menu.waitFor({ state: 'hidden', timeout: 5000 });
    }
  }

  /** Types into the open quick input (input box or quick pick) and presses Enter. */
  async typeInQuickInput(text, { submit = true } = {}) {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    if (submit) {
      await sleep(150);
      await this.page.keyboard.press('Enter');
    }
  }

  /**
   * The webview frame for which `predicate` (run inside each frame's document) is true.
   * Webviews live in nested iframes; init scripts do not reach them, so evaluate there.
   * @param {() => unknown} predicate
   * @returns {Promise<import('playwright-core').Frame>}
   */
  async findWebviewFrame(predicate, { timeout = STEP_TIMEOUT } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) {
          continue;
        }
        const found = await frame.evaluate(predicate).catch(() => false);
        if (found) {
          return frame;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`no webview frame matched ${predicate.toString().slice(0, 200)} within ${timeout} ms (${this.page.frames().length} frames)`);
      }
      await sleep(250);
    }
  }

  /** Polls `fn` in `frame` until it returns a truthy value; resolves with it. */
  async waitInFrame(frame, fn, { timeout = STEP_TIMEOUT, what = fn.toString().slice(0, 200) } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await frame.evaluate(fn).catch(() => undefined);
      if (value) {
        return value;
      }
      if (Date.now() > deadline) {
        throw new Error(`in the webview, waited ${timeout} ms for ${what}`);
      }
      await sleep(150);
    }
  }

  /** Visible notification toasts' messages. */
  async notifications() {
    return this.page.locator('.notification-toast .notification-list-item-message').allTextContents();
  }

  /** Opens the Chat view and waits for its input and for `modelName` (string or RegExp) in the model picker. */
  async openChat({ modelName = this.chatModel } = {}) {
    const page = this.page;
    const input = page.locator('.interactive-input-part .interactive-input-editor').first();
    const deadline = Date.now() + STEP_TIMEOUT;
    while (!(await input.isVisible())) {
      if (Date.now() > deadline) {
        throw new Error('the Chat view did not open (Ctrl+Alt+I)');
      }
      await this.#focusWorkbench();
      await page.keyboard.press('Control+Alt+KeyI');
      await sleep(1000);
    }
    if (modelName) {
      const picker = page.locator('.interactive-input-part .model-picker-name, .interactive-input-part .chat-model-label').first();
      try {
        await picker.filter({ hasText: modelName }).waitFor({ state: 'visible' });
      } catch {
        const shown = await picker.textContent().catch(() => '(none)');
        throw new Error(
          `the Chat view's model picker shows "${shown}", not ${modelName}: a provider's models appear only once its ` +
            'extension has activated and something has called vscode.lm.selectChatModels',
        );
      }
    }
    return input;
  }

  /**
   * Sends `message` in the Chat view and waits until the response stops loading.
   * @returns {Promise<string>} the text of the last response
   */
  async askInChat(message, { timeout = STEP_TIMEOUT } = {}) {
    const page = this.page;
    const input = await this.openChat();
    const before = await page.locator('.interactive-response').count();
    await input.click();
    await page.keyboard.type(message, { delay: 10 });
    await sleep(300);
    await page.keyboard.press('Enter');
    const response = page.locator('.interactive-response').nth(before);
    await response.waitFor({ state: 'visible', timeout });
    const deadline = Date.now() + timeout;
    while ((await page.locator('.interactive-response.chat-response-loading, .chat-response-loading').count()) > 0) {
      if (Date.now() > deadline) {
        throw new Error(`the chat response was still loading after ${timeout} ms`);
      }
      await sleep(250);
    }
    // The list is virtual: once earlier responses scroll out, their rows leave the DOM and
    // `nth(before)` no longer names the new one. Read the response row with the highest index.
    const text = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('.monaco-list-row[data-index]')].filter((row) => row.querySelector('.interactive-response'));
      const newest = rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).at(-1);
      return newest?.querySelector('.interactive-response .value')?.innerText ?? '';
    });
    // Code blocks in chat are editors: their text comes with non-breaking spaces.
    return text.replace(/\u00a0/g, ' ');
  }

  /** Saves `test-results/screenshots/<name>.png`; returns its path. */
  async screenshot(name) {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const path = join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page?.screenshot({ path }).catch(() => undefined);
    return path;
  }

  /** Closes everything started; safe to call twice. */
  async close() {
    const cleanups = this.#cleanups.reverse();
    this.#cleanups = [];
    for (const cleanup of cleanups) {
      await cleanup().catch((error) => console.error(`[e2e] cleanup: ${error.message}`));
    }
  }

  /** Closes a leftover quick input or context menu (Escape in the editor would drop the selection). */
  async #focusWorkbench() {
    const open = this.page.locator('.quick-input-widget:visible, .context-view .monaco-menu:visible');
    if ((await open.count()) > 0) {
      await this.page.keyboard.press('Escape');
      await sleep(100);
    }
  }

  /** Waits until the quick pick's rows stop changing with a first row (the one Enter picks) that starts with `text`. */
  async #waitForQuickPickRow(text) {
    const deadline = Date.now() + STEP_TIMEOUT;
    for (;;) {
      const labels = await this.#settledQuickPickLabels();
      if ((labels[0] ?? '').startsWith(text)) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the quick pick's first row is not "${text}"; it shows: ${labels.slice(0, 8).join(' | ') || '(nothing)'}`);
      }
      await sleep(200);
    }
  }

  /** The quick pick's row labels once they have been the same for 300 ms. */
  async #settledQuickPickLabels() {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    let previous = null;
    for (let i = 0; i < 50; i++) {
      const labels = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''));
      const key = JSON.stringify(labels);
      if (key === previous) {
        return labels;
      }
      previous = key;
      await sleep(300);
    }
    return JSON.parse(previous ?? '[]');
  }
}

/** Per-test budget: a window load, a few UI steps and a streamed answer on a busy machine. */
export const TEST_TIMEOUT = Number(process.env.LINGUALEAP_E2E_TEST_TIMEOUT_MS ?? 180_000);

/**
 * A `describe` whose tests share one Workbench (fake server, code-server, browser) and each get
 * a fresh window and a reset fake server. Every test saves `<name>.png` when it passes and
 * `<name>-failure.png` (plus the browser console) when it fails.
 *
 *   workbenchSuite('panel', {}, (test) => {
 *     test('asks from the context menu', async (wb) => { ... });
 *   });
 */
export function workbenchSuite(name, options, body) {
  describe(name, () => {
    let wb;
    before(async () => {
      wb = await Workbench.start(options);
    });
    after(async () => {
      await wb?.close();
    });
    body((testName, fn) =>
      it(testName, { timeout: TEST_TIMEOUT }, async (t) => {
        const shot = `${name} ${testName}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
        await wb.fake.reset();
        await wb.openWindow();
        t.diagnostic(`workbench loaded in ${(wb.loadMs / 1000).toFixed(1)} s`);
        try {
          await fn(wb, t);
          await wb.screenshot(shot);
        } catch (error) {
          const path = await wb.screenshot(`${shot}-failure`);
          t.diagnostic(`screenshot: ${path}`);
          const lines = wb.consoleLines().slice(-40);
          if (lines.length > 0) {
            t.diagnostic(`browser console (last ${lines.length} lines):\n${lines.join('\n')}`);
          }
          throw error;
        }
      }),
    );
  });
}
