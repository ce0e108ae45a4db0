// The walkthrough "Get Started with LinguaLeap Architect", used as a new user would: no key in
// the environment, and the fake accepts only the key typed into the walkthrough's Set API Key.
// - From the Welcome page: the four steps are listed; Set API Key asks in a password box and
//   its step is checked; Open Sample Route opens the sample beside the walkthrough with its
//   handler selected (the step is not checked yet); Ask from the editor's context menu sends
//   that selection with the stored key, and then the step is checked. Saves readme-walkthrough,
//   which `npm run screenshots` copies to docs/images/walkthrough.png.
// - Ask @lingualeap: the Chat view opens with "@lingualeap " typed; the participant's answer
//   checks the step.
// - Pick or create an agent (from Welcome: Open Walkthrough…), as its text says: Ask Agent… from
//   the sample's context menu, the agent picker, a question about the selection; the step is
//   checked, and the sample's step still is not (only Ask checks it).
// - Installed from a .vsix (packed by vsce with the repository's .vscodeignore) into a running
//   window with VS Code's default settings, the walkthrough opens by itself; its media, their
//   pictures and the sample come from the package.
// Every step starts unchecked: completion is remembered, so a step found checked before its
// action proves nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../scripts/common.mjs';
import { SCREENSHOTS_DIR, STEP_TIMEOUT, TEST_TIMEOUT, Workbench, workbenchSuite } from './workbench.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The only key the fake accepts here; the extension host has no ANTHROPIC_API_KEY. */
const KEY = 'walkthrough-key-5c1e0d2a9b7f4e61';
const TITLE = 'Get Started with LinguaLeap Architect';
const STEP_TITLES = ['Set your Anthropic API key', 'Select code and ask', 'Ask @lingualeap in Chat', 'Pick or create an agent'];
const STEP_PREFIX = 'lingualeap.lingualeap-architect#gettingStarted#';

/** The sample and the handler Open Sample Route selects (1-based lines, as the status bar counts). */
const SAMPLE = readFileSync(join(REPO_ROOT, 'media', 'walkthrough', 'sample-route.ts.txt'), 'utf8');
const SAMPLE_LINES = SAMPLE.split('\n');
const HANDLER_FIRST = SAMPLE_LINES.findIndex((line) => line.startsWith('progressRouter.post(')) + 1;
const HANDLER_LAST = SAMPLE_LINES.findIndex((line, i) => i >= HANDLER_FIRST && line === '});') + 1;
const HANDLER = SAMPLE_LINES.slice(HANDLER_FIRST - 1, HANDLER_LAST).join('\n');

const step = (wb, id) => wb.page.locator(`.getting-started-step[data-step-id="${STEP_PREFIX}${id}"]`);

/** Whether the step shows its check mark. */
async function isChecked(wb, id) {
  return (await step(wb, id).getAttribute('aria-checked')) === 'true';
}

async function waitChecked(wb, id, what) {
  try {
    await wb.page.locator(`.getting-started-step[data-step-id="${STEP_PREFIX}${id}"][aria-checked="true"]`).waitFor({ state: 'visible' });
  } catch {
    throw new Error(`the step "${id}" got no check mark after ${what}`);
  }
}

/** Expands a step by its title (the circle before it would toggle its completion instead). */
async function selectStep(wb, id) {
  await step(wb, id).locator('.step-title').click();
  await wb.page.locator(`.getting-started-step.expanded[data-step-id="${STEP_PREFIX}${id}"]`).waitFor({ state: 'visible' });
}

/** Clicks a step's button (a description line that is only a command link). */
async function clickStepButton(wb, id, label) {
  await step(wb, id).locator('.button-container .monaco-button', { hasText: label }).click();
}

/** The open walkthrough's step titles, in order. */
async function stepTitles(wb) {
  await step(wb, 'setApiKey').waitFor({ state: 'visible' });
  return wb.page.locator(`.getting-started-step[data-step-id^="${STEP_PREFIX}"] .step-title`).allTextContents();
}

/**
 * Room for the walkthrough: with the side bars open the editor is too narrow for its media
 * column, and its "toSide" links then open in the walkthrough's own group.
 */
async function makeRoom(wb) {
  if (await wb.page.locator('.part.sidebar').isVisible()) {
    await wb.runCommand('View: Close Primary Side Bar');
  }
  if (await wb.page.locator('.part.auxiliarybar').isVisible()) {
    await wb.runCommand('View: Toggle Secondary Side Bar Visibility');
  }
}

/** Welcome: Open Walkthrough… and ours from its list. */
async function openFromCommand(wb) {
  await wb.runCommand('Welcome: Open Walkthrough');
  await wb.typeInQuickInput('LinguaLeap', { submit: false });
  const first = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
  await first.filter({ hasText: TITLE }).waitFor({ state: 'visible' });
  await wb.page.keyboard.press('Enter');
  await step(wb, 'setApiKey').waitFor({ state: 'visible' });
}

/** Step 1 through its button: the password box, then the check mark. */
async function setKeyFromWalkthrough(wb) {
  assert.equal(await isChecked(wb, 'setApiKey'), false, 'the key step is checked before any key was set');
  await selectStep(wb, 'setApiKey');
  await clickStepButton(wb, 'setApiKey', 'Set API Key');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  assert.equal(await input.getAttribute('type'), 'password', 'the key is typed in the clear');
  await wb.typeInQuickInput(KEY, { submit: false });
  // The box validates in the extension host ("Enter a key…" while empty) and ignores Enter until
  // the answer for the typed key is back: press it once that message is gone.
  const message = wb.page.locator('.quick-input-widget .quick-input-message');
  const deadline = Date.now() + STEP_TIMEOUT;
  while (await input.isVisible()) {
    if (!/Enter a key/.test((await message.textContent().catch(() => '')) ?? '')) {
      await wb.page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    } else {
      await sleep(200);
    }
    if (Date.now() > deadline) {
      throw new Error('the key box did not take the key');
    }
  }
  await waitChecked(wb, 'setApiKey', 'a key was stored');
}

/** The webview frame of a step's Markdown media, found by its heading; waits until each picture in it has loaded. */
async function mediaFrame(wb, heading) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    for (const frame of wb.page.frames()) {
      const found = await frame.evaluate((h) => document.querySelector('h1')?.textContent?.trim() === h, heading).catch(() => false);
      if (found) {
        await wb.waitInFrame(frame, () => [...document.images].every((img) => img.complete && img.naturalWidth > 0), {
          what: `the pictures of "${heading}"`,
        });
        return frame;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no step media headed "${heading}"`);
    }
    await sleep(250);
  }
}

/**
 * Opens the sample from step 2 and waits for its tab and the handler's selection drawn in it.
 * (The status bar counts the selection only once the sample's editor has the focus, which the
 * walkthrough sometimes keeps: `selectionInStatusBar` reads it after a click there.)
 */
async function openSample(wb) {
  await selectStep(wb, 'askFromEditor');
  await clickStepButton(wb, 'askFromEditor', 'Open Sample Route');
  await wb.page.locator('.tabs-container .tab.active', { hasText: 'progress.route.ts' }).waitFor({ state: 'visible' });
  await wb.page.locator('.editor-instance .monaco-editor .selected-text').first().waitFor({ state: 'visible' });
}

/** The status bar's "Ln X, Col Y (N selected)" once it shows the cursor at the handler's end; N. */
async function selectionInStatusBar(wb) {
  const status = wb.page.locator('#status\\.editor\\.selection');
  const lastLength = SAMPLE_LINES[HANDLER_LAST - 1].length;
  await status.filter({ hasText: new RegExp(`Ln ${HANDLER_LAST}, Col ${lastLength + 1} \\(\\d+ selected\\)`) }).waitFor({ state: 'visible' });
  return Number(/\((\d+) selected\)/.exec((await status.textContent()) ?? '')?.[1]);
}

/** The architect's requests to the fake. */
async function messageRequests(wb) {
  return (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
}

function lastUserText(request) {
  const content = request.body.messages.at(-1).content;
  return typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
}

/** Waits in a panel for the turn that asked `question` to finish; asserts it completed. */
async function answeredInPanel(wb, question) {
  const find = `[...document.querySelectorAll('article.turn')].find((turn) => turn.querySelector('.question-text')?.textContent === ${JSON.stringify(question)})`;
  const frame = await wb.findWebviewFrame(new Function(`return !!${find};`));
  const state = await wb.waitInFrame(frame, new Function(`const turn = ${find}; return turn && /is-(completed|failed|cancelled)/.test(turn.className) ? turn.className : undefined;`), {
    what: `the answer to "${question}"`,
  });
  assert.match(state, /is-completed/, `the answer to "${question}" did not complete: ${state}`);
  return frame;
}

/** The request that asked `question`, checked to carry the walkthrough's key. */
async function requestFor(wb, question) {
  const request = (await messageRequests(wb)).find((r) => lastUserText(r).includes(question));
  assert.ok(request, `the fake saw no request asking "${question}"`);
  assert.equal(request.authorized, true, 'the request did not carry the key set in the walkthrough');
  return request;
}

workbenchSuite('walkthrough', { fakeArgs: ['--valid-key', KEY], env: { ANTHROPIC_API_KEY: undefined } }, (test) => {
  test('from the Welcome page: four steps; Set API Key, then Open Sample Route and Ask, each checks its step', async (wb) => {
    await makeRoom(wb);
    await wb.runCommand('Help: Welcome');
    const card = wb.page.locator('.getting-started-category', { hasText: TITLE });
    await card.waitFor({ state: 'visible' });
    await card.click();
    await wb.page.locator('h2.category-title', { hasText: TITLE }).waitFor({ state: 'visible' });
    assert.deepEqual(await stepTitles(wb), STEP_TITLES);
    for (const id of ['setApiKey', 'askFromEditor', 'askInChat', 'agents']) {
      assert.equal(await isChecked(wb, id), false, `${id} is checked on a fresh profile`);
    }
    await mediaFrame(wb, 'Your Anthropic API key');

    await setKeyFromWalkthrough(wb);

    // The picture for the README: a step done, the next one open with its media (and not the
    // "key saved" toast over it).
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.page.locator('.notification-toast').first().waitFor({ state: 'detached' });
    await selectStep(wb, 'askFromEditor');
    await mediaFrame(wb, 'Ask about the code you select');
    await wb.page.mouse.move(0, 450);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await wb.page.screenshot({ path: join(SCREENSHOTS_DIR, 'readme-walkthrough.png') });

    await openSample(wb);
    // Beside the walkthrough, which stays in view; opening the sample is not asking.
    await step(wb, 'askFromEditor').waitFor({ state: 'visible' });
    assert.equal(await isChecked(wb, 'askFromEditor'), false, 'opening the sample checked the step');

    const question = 'Is this handler safe under load?';
    await wb.rightClickEditorAndChoose('Ask LinguaLeap Architect');
    assert.equal(await selectionInStatusBar(wb), HANDLER.length, 'the selection is not the handler');
    await wb.typeInQuickInput(question);
    await answeredInPanel(wb, question);
    const text = lastUserText(await requestFor(wb, question));
    assert.ok(text.includes(HANDLER), 'the selected handler is not the code on the wire');
    assert.ok(!text.includes(SAMPLE_LINES[HANDLER_FIRST - 2]) && !text.includes(SAMPLE_LINES[0]), 'more than the handler was sent');

    await waitChecked(wb, 'askFromEditor', 'Ask answered');
    assert.equal(await isChecked(wb, 'askInChat'), false);
    assert.equal(await isChecked(wb, 'agents'), false);
  });

  test('Ask @lingualeap opens the Chat view with the mention typed; its answer checks the step', async (wb) => {
    await makeRoom(wb);
    await openFromCommand(wb);
    await setKeyFromWalkthrough(wb);
    assert.equal(await isChecked(wb, 'askInChat'), false);
    await selectStep(wb, 'askInChat');
    await mediaFrame(wb, '@lingualeap in the Chat view');

    await clickStepButton(wb, 'askInChat', 'Ask @lingualeap');
    const input = wb.page.locator('.interactive-input-part .interactive-input-editor').first();
    await input.waitFor({ state: 'visible' });
    await input.filter({ hasText: '@lingualeap' }).waitFor({ state: 'visible' });
    await wb.page.locator('.interactive-input-part .model-picker-name, .interactive-input-part .chat-model-label').first().filter({ hasText: wb.chatModel }).waitFor();

    // The mention is typed already: the question goes after it.
    const question = 'How should LinguaLeap keep sessions in Redis?';
    const before = await wb.page.locator('.interactive-response').count();
    await input.click();
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.type(question, { delay: 10 });
    await sleep(300);
    await wb.page.keyboard.press('Enter');
    const response = wb.page.locator('.interactive-response').nth(before);
    await response.waitFor({ state: 'visible' });
    await wb.page.locator('.chat-response-loading').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT }).catch(() => undefined);
    await response.filter({ hasText: 'Architecture review' }).waitFor({ state: 'visible' });
    const text = lastUserText(await requestFor(wb, question));
    assert.ok(!text.includes('@lingualeap'), 'the mention went to the model as part of the question');

    await waitChecked(wb, 'askInChat', 'the @lingualeap answer');
  });

  test('Ask Agent… from the sample\'s context menu asks the picked agent about the selection; only the agent step is checked', async (wb) => {
    await makeRoom(wb);
    await openFromCommand(wb);
    await setKeyFromWalkthrough(wb);
    assert.equal(await isChecked(wb, 'agents'), false);
    await selectStep(wb, 'agents');
    await mediaFrame(wb, 'Agents');
    // As the step says: right-click the selection (the sample's) and choose Ask Agent….
    await openSample(wb);
    await wb.rightClickEditorAndChoose('Ask Agent…');
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'LinguaLeap: Ask Agent' }).waitFor({ state: 'visible' });
    const row = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: 'lingualeap-backend-architect' }) });
    await row.first().click();
    const question = 'Which indexes does this handler need?';
    await wb.typeInQuickInput(question);
    await answeredInPanel(wb, question);
    assert.ok(lastUserText(await requestFor(wb, question)).includes(HANDLER), 'the sample\'s selection did not go with the question');

    await waitChecked(wb, 'agents', 'Ask Agent… answered');
    assert.equal(await isChecked(wb, 'askFromEditor'), false, 'Open Sample Route or Ask Agent… checked the Ask step');
  });
});

/**
 * Packs the extension as `npm run package` does (vsce, the repository's .vscodeignore), from the
 * build the other e2e tests use: a copy of the repository without its `vscode:prepublish`, which
 * would rebuild dist/ and needs node_modules.
 */
async function packVsix(outDir) {
  const stage = join(outDir, 'stage');
  mkdirSync(stage, { recursive: true });
  const skip = new Set(['node_modules', '.git', '.vscode-test', 'out', 'test-results', 'test']);
  for (const name of readdirSync(REPO_ROOT)) {
    if (!skip.has(name) && !name.endsWith('.vsix')) {
      cpSync(join(REPO_ROOT, name), join(stage, name), { recursive: true });
    }
  }
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  delete manifest.scripts['vscode:prepublish'];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  const vsix = join(outDir, 'lingualeap-architect.vsix');
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix];
  try {
    await promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), args, { cwd: stage });
  } catch (error) {
    throw new Error(`vsce package failed: ${error.stderr || error.message}`);
  }
  return vsix;
}

describe('walkthrough on install', () => {
  let wb;
  let scratch;
  let vsix;
  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lingualeap-walkthrough-vsix-'));
    vsix = await packVsix(scratch);
    // Only the test model provider is installed up front; VS Code's own defaults for the two
    // settings the harness turns off (a fresh profile opens the Welcome page and opens a new
    // extension's walkthrough).
    wb = await Workbench.start({
      extensionPath: join(REPO_ROOT, 'test', 'fixtures', 'test-model-provider'),
      settings: { 'workbench.startupEditor': 'welcomePage', 'workbench.welcomePage.walkthroughs.openOnInstall': true },
    });
  });
  after(async () => {
    await wb?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installed from a .vsix in a running window, it opens by itself; its media and its sample ship in the package', { timeout: TEST_TIMEOUT }, async (t) => {
    try {
      await wb.openWindow();
      await wb.page.locator('.gettingStartedContainer').waitFor({ state: 'visible' });
      assert.equal(await step(wb, 'setApiKey').count(), 0, 'the walkthrough is open before the extension is installed');

      await wb.runCommand('Extensions: Install from VSIX');
      // The workbench's own file dialog: a quick input that takes a path. It fills in its
      // starting folder once it has read it, which replaces a path typed earlier: type until
      // the path stays and the listing shows the file.
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      const fileRow = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'lingualeap-architect.vsix' });
      const deadline = Date.now() + STEP_TIMEOUT;
      for (;;) {
        await input.fill(vsix);
        await sleep(1000);
        if ((await input.inputValue()) === vsix && (await fileRow.count()) > 0) {
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`the Install from VSIX dialog shows "${await input.inputValue()}", not the package`);
        }
      }
      await wb.page.keyboard.press('Enter');
      await wb.page.locator('h2.category-title', { hasText: TITLE }).waitFor({ state: 'visible' });
      assert.deepEqual(await stepTitles(wb), STEP_TITLES);

      // The walkthrough took the focus; the palette opens from the workbench, not from its media.
      await wb.page.locator('h2.category-title', { hasText: TITLE }).click();
      await makeRoom(wb);
      await selectStep(wb, 'askFromEditor');
      await mediaFrame(wb, 'Ask about the code you select');
      await openSample(wb);
      t.diagnostic(`the installed extension's sample: ${await wb.page.locator('.tabs-container .tab.active', { hasText: 'progress.route.ts' }).getAttribute('aria-label')}`);
      await wb.screenshot('walkthrough-on-install');
    } catch (error) {
      await wb.screenshot('walkthrough-on-install-failure');
      throw error;
    }
  });
});
