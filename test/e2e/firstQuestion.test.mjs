// The first question in a window: "Ask LinguaLeap Architect" opens its panel while the question
// is typed (so the answer's page is loaded by Enter). That pre-opened panel must not take the
// keyboard from the question box, the answer must go to it (no second panel), and Esc must not
// leave it behind empty.
import assert from 'node:assert/strict';
import { workbenchSuite } from './workbench.mjs';

const ASK = 'LinguaLeap: Ask LinguaLeap Architect';
const ROUTES = 'src/routes/lessons.ts';
const QUESTION_START = 'Should this route ';
const QUESTION_END = 'cache lessons in Redis?';
const ANSWER = 'Cache each lesson by id with a short TTL, and drop the entry when a lesson is edited.';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The editor tabs of the architect's panels, by their webview's view type (the title is the agent's name). */
const panelTabs = (wb) => wb.page.locator('.tabs-container .tab[data-resource-name^="webview-lingualeap.architectPanel"]');

/** The question box (the quick input titled "Ask LinguaLeap Architect"), once it is open. */
async function openQuestionBox(wb) {
  await wb.runCommand(ASK);
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Ask LinguaLeap Architect' }).waitFor({ state: 'visible' });
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  // The palette's `>Ask …` must be gone: the box starts empty.
  await waitFor(async () => (await input.inputValue()) === '', 'an empty question box');
  return input;
}

/** Polls `check` until it resolves truthy. */
async function waitFor(check, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check().catch(() => false)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeout} ms for ${what}`);
    }
    await sleep(100);
  }
}

/** Where the keyboard is: the focused element of the workbench page, described. */
function focusedElement(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName ?? '',
      inQuestionBox: !!element?.closest('.quick-input-widget .quick-input-box'),
      inWebview: element?.tagName === 'IFRAME' || !!element?.closest('.webview'),
      className: typeof element?.className === 'string' ? element.className : '',
    };
  });
}

/** The selection count the status bar shows ("(N selected)"), or undefined. */
async function selectedCount(wb) {
  const text = (await wb.page.locator('#status\\.editor\\.selection').textContent().catch(() => '')) ?? '';
  const match = /\((\d+) selected\)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

workbenchSuite('first question', {}, (test) => {
  test('the panel opens while the question is typed, keeps the keyboard in the box, and answers there', async (wb, t) => {
    await wb.fake.setDefault({ text: ANSWER, chunkSize: 6, delayMs: 15 });
    await wb.openFile(ROUTES);
    const selected = await wb.selectLines(14, 21);
    assert.ok(selected > 100, `only ${selected} characters selected`);
    assert.equal(await panelTabs(wb).count(), 0, 'a panel is open before the question was asked');

    const input = await openQuestionBox(wb);
    await wb.page.keyboard.type(QUESTION_START, { delay: 60 });
    // The panel is prepared while the box is open: its tab appears beside the editor.
    await panelTabs(wb).first().waitFor({ state: 'visible', timeout: 20_000 });
    const webviewFrame = await wb.findWebviewFrame(() => !!document.getElementById('transcript'));
    await wb.page.keyboard.type(QUESTION_END, { delay: 60 });

    // Every key typed after the panel appeared went to the box, and the box still has the keyboard.
    assert.equal(await input.inputValue(), QUESTION_START + QUESTION_END, 'keys were lost: the question box lost focus to the panel');
    const focused = await focusedElement(wb.page);
    assert.ok(focused.inQuestionBox, `the focused element is not the question box: ${JSON.stringify(focused)}`);
    assert.equal(await webviewFrame.evaluate(() => document.getElementById('composer-input').value), '', 'keys went to the panel\'s follow-up box');
    t.diagnostic(`focused while the panel is open: ${focused.tag}.${focused.className}`);

    await wb.page.keyboard.press('Enter');
    await wb.waitInFrame(webviewFrame, () => document.querySelector('article.turn.is-completed'), { what: 'the answer in the prepared panel' });
    const shown = await webviewFrame.evaluate(() => ({
      turns: document.querySelectorAll('article.turn').length,
      question: document.querySelector('article.turn .question-text')?.textContent ?? '',
      answer: (document.querySelector('article.turn .answer .markdown')?.textContent ?? '').trim(),
    }));
    assert.deepEqual(shown, { turns: 1, question: QUESTION_START + QUESTION_END, answer: ANSWER });
    // One panel: the prepared one answered, no second (empty) one was opened.
    assert.equal(await panelTabs(wb).count(), 1, 'a second panel was opened for the question');
    const requests = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
    assert.equal(requests.length, 1);
    assert.match(JSON.stringify(requests[0].body.messages.at(-1).content), /router\.get\('\/lessons\/:id'/, 'the selection was not sent');
  });

  test('Esc in the question box leaves no panel behind and keeps the selection', async (wb) => {
    await wb.openFile(ROUTES);
    // A fresh window has no panel; close one if the workbench restored it.
    while ((await panelTabs(wb).count()) > 0) {
      await panelTabs(wb).first().hover();
      await panelTabs(wb).first().locator('.tab-actions .action-label').first().click();
      await sleep(300);
    }
    const selected = await wb.selectLines(23, 36);

    // Esc once the prepared panel is there.
    await openQuestionBox(wb);
    await wb.page.keyboard.type('Is this safe', { delay: 60 });
    await panelTabs(wb).first().waitFor({ state: 'visible', timeout: 20_000 });
    await wb.page.keyboard.press('Escape');
    await panelTabs(wb).first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    assert.equal(await panelTabs(wb).count(), 0, 'Esc left the prepared panel open');
    assert.equal(await selectedCount(wb), selected, 'the editor lost its selection');

    // Esc right away, before the panel can have been created: it must not appear later.
    await openQuestionBox(wb);
    await wb.page.keyboard.type('I', { delay: 60 });
    await wb.page.keyboard.press('Escape');
    await sleep(3000);
    assert.equal(await panelTabs(wb).count(), 0, 'a panel prepared for a dismissed question appeared after Esc');
    assert.equal(await selectedCount(wb), selected, 'the editor lost its selection');
    // The editor has the keyboard back: the focused element is in the editor.
    const inEditor = await wb.page.evaluate(() => !!document.activeElement?.closest('.editor-instance .monaco-editor'));
    assert.ok(inEditor, 'after Esc the keyboard is not in the editor');
    assert.equal((await wb.fake.requests()).filter((r) => r.path === '/v1/messages').length, 0, 'a dismissed question was sent');
  });
});
