// Faults through the chat participant (`@lingualeap` in the Chat view), as a user sees them:
// every row of the fault table (no key, 401, 403, 404, 429, 529, 500, an error event, a reset
// and a stall mid-stream, cancelling), with what the fake server saw; and the panel's
// incomplete answer + Retry. The fake Anthropic server is the API; the Chat view's model is the
// extension's own Claude model. test/integration/fault.test.ts holds the same table for the
// panel path.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_KEY } from '../scripts/common.mjs';
import { askInChat, clickAndAwaitResponse, lastResponseText } from './chatResponses.mjs';
import { filesUnder, workbenchSuite } from './workbench.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Only the participant's requests: the chat may use the model for other things (titles). */
const isArchitectRequest = (r) =>
  r.path === '/v1/messages' && JSON.stringify(r.body?.system ?? '').includes('Senior Backend Architect');

async function architectRequests(wb) {
  const messages = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
  // A scripted scenario goes to whichever request comes next: another caller would take it.
  const others = messages.filter((r) => !isArchitectRequest(r));
  assert.deepEqual(others.map((r) => JSON.stringify(r.body?.system ?? '').slice(0, 80)), [], 'requests other than the participant\'s took scripted scenarios');
  return messages;
}

/** One line, short, a full stop at the end, and nothing from inside the code. */
function assertOneSentence(message) {
  assert.doesNotMatch(message, /\n/, `one line: ${message}`);
  assert.ok(message.length > 0 && message.length < 300, `short: ${message}`);
  assert.match(message, /\.$/, `a sentence: ${message}`);
  assert.doesNotMatch(message, /\bat \S+:\d+:\d+|Error:|undefined|\[object/, `no stack or internals: ${message}`);
}

const INCOMPLETE = 'Incomplete answer: it was cut off by the error below.';

const UNHANDLED = /rejected promise not handled|unhandled\s*(promise\s*)?rejection/i;

/** Unhandled rejections the extension host wrote to its log files so far. */
function loggedRejections(wb) {
  return filesUnder(join(wb.server.userDataDir, 'logs'), (name) => /exthost\.log$/i.test(name)).flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').filter((line) => UNHANDLED.test(line)),
  );
}

/**
 * Fails when the extension host reported an unhandled rejection during this test: in its log
 * (beyond the `before` lines of `loggedRejections` at the start) or in this window's console.
 * VS Code reports one only after it stayed unhandled for a second, so give it that long first.
 */
async function assertNoUnhandledRejection(wb, before) {
  await sleep(1500);
  const found = [...loggedRejections(wb).slice(before.length), ...wb.consoleLines().filter((line) => UNHANDLED.test(line))];
  assert.deepEqual(found, [], 'an unhandled promise rejection in the extension host');
}

/**
 * Small on purpose, to keep these tests short: one retry, a two-second idle timeout, and a
 * model chosen by `lingualeap.model` so a 404 can be checked to name that setting.
 */
const FAULT_SETTINGS = {
  'lingualeap.maxRetries': 1,
  'lingualeap.idleTimeoutSeconds': 2,
  'lingualeap.model': 'claude-haiku-5-5',
};

workbenchSuite('fault', { settings: FAULT_SETTINGS }, (test) => {
  test('chat: a 401 is one sentence with Set API Key, and is not retried', async (wb) => {
    const before = loggedRejections(wb);
    await wb.fake.setDefault({ status: 401 });
    const shown = await askInChat(wb, '@lingualeap Is this key valid?');
    assert.equal(shown.error, 'The Anthropic API rejected the API key (401); set a valid key.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Set API Key']);
    assert.equal((await architectRequests(wb)).length, 1, 'exactly one request: a 401 is not retried');
    await assertNoUnhandledRejection(wb, before);
  });

  test('chat: an error part-way keeps the text so far, marks it incomplete, and offers Retry', async (wb) => {
    const before = loggedRejections(wb);
    await wb.fake.setDefault({
      text: 'First part of the answer. Second part that never arrives.',
      chunkSize: 13,
      interrupt: { action: 'error', afterDeltas: 2, errorType: 'overloaded_error', errorMessage: 'Overloaded' },
    });
    const shown = await askInChat(wb, '@lingualeap Tell me everything');
    assert.match(shown.text, /First part of the answer/, 'the text so far stays');
    assert.doesNotMatch(shown.text, /never arrives/);
    assert.ok(shown.text.includes(INCOMPLETE), `not marked incomplete: ${shown.text}`);
    assert.equal(shown.error, 'Claude became overloaded part-way through the answer; try again in a moment.');
    assert.deepEqual(shown.buttons, ['Retry']);
    assert.equal((await architectRequests(wb)).length, 1, 'an answer already streaming is not silently sent again');
    await assertNoUnhandledRejection(wb, before);
  });

  test('chat: cancelling closes the HTTP request at once and shows no error', async (wb) => {
    await wb.fake.setDefault({ text: `Slow answer. ${'word '.repeat(400)}THE END`, chunkSize: 5, delayMs: 100 });
    const page = wb.page;
    const input = await wb.openChat();
    await input.click();
    await page.keyboard.type('@lingualeap Write slowly', { delay: 10 });
    await sleep(300);
    await page.keyboard.press('Enter');
    const request = await wb.fake.waitForRequest((r) => isArchitectRequest(r), 60_000, 'the participant request');
    await page.locator('.interactive-response').last().getByText('Slow answer').waitFor({ state: 'visible' });
    const cancelledAt = Date.now();
    // The Chat view's Stop ("Cancel") is bound to Ctrl+Escape... use the toolbar button when shown.
    const stop = page.locator('.interactive-input-part .codicon-stop-circle, .interactive-input-part .codicon-debug-stop').first();
    if (await stop.isVisible()) {
      await stop.click();
    } else {
      await page.keyboard.press('Escape');
    }
    let closed;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
      closed = (await wb.fake.requests()).find((r) => r.index === request.index && r.closed);
      if (closed) {
        break;
      }
    }
    assert.ok(closed, 'the HTTP request was not closed');
    assert.equal(closed.clientAborted, true, 'the fake finished the answer: the client did not abort');
    assert.ok(closed.closedAt - cancelledAt < 3000, `closed ${closed.closedAt - cancelledAt} ms after cancelling`);
    await sleep(500);
    const text = await lastResponseText(wb);
    assert.match(text, /Slow answer/, 'the partial text stays');
    assert.doesNotMatch(text, /THE END/);
    assert.doesNotMatch(text, /error|went wrong|try again/i, 'cancelling is not an error');
  });

  test('chat: a 403 offers Set API Key, a 404 names the model and its setting, and neither is retried', async (wb) => {
    const before = loggedRejections(wb);
    await wb.fake.script({ status: 403 }, { status: 404, errorMessage: 'model: claude-haiku-5-5' });
    let shown = await askInChat(wb, '@lingualeap Am I allowed to use this model?');
    assert.equal(shown.error, 'The API key is not allowed to use “claude-haiku-5-5” (403); set a key with access to it.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Set API Key']);
    assert.equal((await architectRequests(wb)).length, 1, 'exactly one request: a 403 is not retried');

    shown = await askInChat(wb, '@lingualeap Which model answers?');
    assert.equal(shown.error, 'The model “claude-haiku-5-5” was not found; check the "lingualeap.model" setting.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Open Settings']);
    const requests = await architectRequests(wb);
    assert.equal(requests.length, 2, 'one more request: a 404 is not retried');
    assert.equal(requests[1].body.model, 'claude-haiku-5-5', 'lingualeap.model chose the model');
    await assertNoUnhandledRejection(wb, before);
  });

  test('chat: a 429 is retried after its retry-after, then says when to try again, and Retry asks again', async (wb) => {
    const before = loggedRejections(wb);
    const limited = { status: 429, retryAfter: 1 };
    await wb.fake.script(limited, limited, { text: 'Answer after the rate limit.' });
    const shown = await askInChat(wb, '@lingualeap Am I rate limited?');
    assert.equal(shown.error, 'The Anthropic API rate limit was reached (429); try again in 1 second.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Retry']);
    const [first, second, ...more] = await architectRequests(wb);
    assert.equal(more.length, 0, 'one request and lingualeap.maxRetries (1) retry');
    assert.ok(second, 'the 429 was not retried');
    const gap = second.receivedAt - first.receivedAt;
    assert.ok(gap >= 950, `the retry came ${gap} ms after the 429; retry-after asked for 1000`);
    assert.ok(gap < 5000, `the retry came ${gap} ms after the 429, far later than retry-after`);

    const retried = await clickAndAwaitResponse(wb, 'Retry');
    assert.match(retried.text, /Answer after the rate limit\./);
    assert.equal(retried.error, '');
    const requests = await architectRequests(wb);
    assert.equal(requests.length, 3, 'Retry sent one more request');
    assert.match(JSON.stringify(requests[2].body.messages.at(-1)), /Am I rate limited\?/);
    await assertNoUnhandledRejection(wb, before);
  });

  test('chat: a 529 and a 500 are retried with a backoff, then offer Retry, which asks again', async (wb) => {
    const before = loggedRejections(wb);
    await wb.fake.script({ status: 529 }, { status: 529 }, { status: 500 }, { status: 500 }, { text: 'Back to normal.' });
    let shown = await askInChat(wb, '@lingualeap Is Claude up?');
    assert.equal(shown.error, 'Claude is overloaded right now (529); try again in a moment.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Retry']);
    let requests = await architectRequests(wb);
    assert.equal(requests.length, 2, 'one request and lingualeap.maxRetries (1) retry');
    assert.ok(requests[1].receivedAt - requests[0].receivedAt >= 300, `the 529 was retried after ${requests[1].receivedAt - requests[0].receivedAt} ms: no backoff`);

    shown = await clickAndAwaitResponse(wb, 'Retry');
    assert.equal(shown.error, 'The Anthropic API had a server error (500); try again.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Retry']);
    requests = await architectRequests(wb);
    assert.equal(requests.length, 4, 'Retry asked again, and the 500 was retried once');
    assert.ok(requests[3].receivedAt - requests[2].receivedAt >= 300, `the 500 was retried after ${requests[3].receivedAt - requests[2].receivedAt} ms: no backoff`);
    assert.match(JSON.stringify(requests[2].body.messages.at(-1)), /Is Claude up\?/);

    shown = await clickAndAwaitResponse(wb, 'Retry');
    assert.match(shown.text, /Back to normal\./);
    assert.equal(shown.error, '');
    assert.equal((await architectRequests(wb)).length, 5);
    await assertNoUnhandledRejection(wb, before);
  });

  test('chat: a reset and a stall mid-stream keep the text, mark it incomplete, and offer Retry', async (wb) => {
    const before = loggedRejections(wb);
    await wb.fake.script(
      { text: 'Kept words before the reset. Lost words.', chunkSize: 14, interrupt: { action: 'reset', afterDeltas: 2 } },
      { text: 'Kept words before the stall. Never sent.', chunkSize: 14, interrupt: { action: 'stall', afterDeltas: 2 } },
      { text: 'The retried answer.' },
    );
    let shown = await askInChat(wb, '@lingualeap Survive a reset?');
    assert.match(shown.text, /Kept words before the reset\./, 'the text so far stays');
    assert.doesNotMatch(shown.text, /Lost words/);
    assert.ok(shown.text.includes(INCOMPLETE), `not marked incomplete: ${shown.text}`);
    assert.equal(shown.error, 'The connection to the Anthropic API was lost part-way through the answer; try again.');
    assert.deepEqual(shown.buttons, ['Retry']);
    assert.equal((await architectRequests(wb)).length, 1, 'an answer already streaming is not silently sent again');

    shown = await askInChat(wb, '@lingualeap Survive a stall?');
    assert.match(shown.text, /Kept words before the stall\./, 'the text so far stays');
    assert.doesNotMatch(shown.text, /Never sent/);
    assert.ok(shown.text.includes(INCOMPLETE), `not marked incomplete: ${shown.text}`);
    assert.equal(shown.error, 'The Anthropic API sent nothing for 2 seconds, so the request was stopped; try again.');
    assert.deepEqual(shown.buttons, ['Retry']);
    const stalled = (await architectRequests(wb))[1];
    assert.ok(stalled.closed && stalled.clientAborted, 'the client closed the stalled connection');
    const waited = stalled.closedAt - stalled.receivedAt;
    assert.ok(waited >= 1900 && waited < 10_000, `stopped ${waited} ms after the request; lingualeap.idleTimeoutSeconds is 2`);

    shown = await clickAndAwaitResponse(wb, 'Retry');
    assert.match(shown.text, /The retried answer\./);
    assert.equal(shown.error, '');
    const requests = await architectRequests(wb);
    assert.equal(requests.length, 3, 'Retry sent one more request');
    const messages = JSON.stringify(requests[2].body.messages);
    assert.match(JSON.stringify(requests[2].body.messages.at(-1)), /Survive a stall\?/);
    assert.match(messages, /Kept words before the stall\./, 'the partial answer is part of the conversation');
    assert.ok(!messages.includes(INCOMPLETE), 'the incomplete note is not sent back to the model');
    await assertNoUnhandledRejection(wb, before);
  });

  test('panel: an error part-way keeps the text, marks it incomplete, and Retry asks again', async (wb) => {
    await wb.fake.script(
      { text: 'Kept words before the fault. Lost words.', chunkSize: 14, interrupt: { action: 'reset', afterDeltas: 2 } },
      { text: 'The retried answer.' },
    );
    await wb.runCommand('LinguaLeap: Ask LinguaLeap Architect');
    await wb.typeInQuickInput('Fragile question');
    const frame = await wb.findWebviewFrame(() => !!document.querySelector('article.turn'));
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-failed'), { what: 'the failed turn' });
    const failed = await frame.evaluate(() => {
      const turn = document.querySelector('article.turn.is-failed');
      return {
        answer: turn?.querySelector('.answer .markdown')?.textContent ?? '',
        incomplete: !!turn?.querySelector('.turn-note-incomplete'),
        error: turn?.querySelector('.turn-error')?.textContent ?? '',
      };
    });
    assert.match(failed.answer, /Kept words before the fault/, 'the text so far stays');
    assert.ok(failed.incomplete, 'the partial answer is marked incomplete');
    assert.match(failed.error, /lost part-way through the answer/);
    await frame.locator('article.turn.is-failed').getByRole('button', { name: 'Retry' }).click();
    await wb.waitInFrame(frame, () => [...document.querySelectorAll('article.turn.is-completed .answer .markdown')].some((m) => m.textContent?.includes('The retried answer.')), {
      what: 'the retried answer',
    });
    const asked = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
    assert.equal(asked.length, 2, 'Retry sent the question once more');
    assert.match(JSON.stringify(asked[1].body.messages.at(-1)), /Fragile question/);
  });

  test('panel: a file larger than the size limit is cut, and the panel and the request say so', async (wb) => {
    const lines = Array.from({ length: 3000 }, (_, i) => `export const entry${i} = { id: ${i}, label: 'lesson ${i}' };`);
    writeFileSync(join(wb.workspace, 'src', 'bigTable.ts'), `${lines.join('\n')}\n`);
    await wb.openFile('src/bigTable.ts');
    await wb.runCommand('LinguaLeap: Ask LinguaLeap Architect');
    await wb.typeInQuickInput('Too big?');
    const frame = await wb.findWebviewFrame(() => !!document.querySelector('article.turn'));
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the answer' });
    const chip = await frame.evaluate(() => ({
      cut: document.querySelector('article.turn .code-ref .code-ref-cut')?.textContent ?? '',
      title: document.querySelector('article.turn .code-ref')?.getAttribute('title') ?? '',
    }));
    assert.equal(chip.cut, '(cut to fit)');
    assert.match(chip.title, /bigTable\.ts:1–\d+ \(cut to fit the size limit\)/);
    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 10_000, 'POST /v1/messages');
    const sent = JSON.stringify(request.body.messages.at(-1));
    assert.match(sent, /only the first \d+ of 3000 lines were sent, to fit the size limit/);
    assert.ok(sent.length < 60_000 + 2_000, `the message is ${sent.length} characters`);
  });
});

// No key in SecretStorage and no ANTHROPIC_API_KEY in the extension host's environment.
workbenchSuite('fault without a key', { env: { ANTHROPIC_API_KEY: undefined } }, (test) => {
  test('chat: no key is one sentence with Set API Key, nothing is sent, and the button sets one', async (wb) => {
    const before = loggedRejections(wb);
    const shown = await askInChat(wb, '@lingualeap Anyone there?');
    assert.equal(shown.error, 'No Anthropic API key is set; use “Set Anthropic API Key” to add one.');
    assertOneSentence(shown.error);
    assert.deepEqual(shown.buttons, ['Set API Key']);
    assert.deepEqual((await wb.fake.requests()).filter((r) => r.path.startsWith('/v1/messages')), [], 'nothing is sent without a key');

    await wb.page.locator('.interactive-response').last().locator('.chat-command-button .monaco-button', { hasText: 'Set API Key' }).click();
    const box = wb.page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible' });
    assert.equal(await box.getAttribute('type'), 'password', 'the key is typed into a password box');
    const responses = await wb.page.locator('.interactive-response').count();
    await wb.typeInQuickInput(TEST_API_KEY);
    await box.waitFor({ state: 'hidden' });

    // With the key stored, the same question is asked again, without typing it.
    const request = await wb.fake.waitForRequest(isArchitectRequest, 60_000, 'the question asked again');
    assert.equal(request.authorized, true, 'the key set through the button was sent');
    assert.match(JSON.stringify(request.body.messages.at(-1)), /Anyone there\?/);
    const again = wb.page.locator('.interactive-response').nth(responses);
    await again.getByText('Architecture review').waitFor({ state: 'visible' });
    assert.equal((await architectRequests(wb)).length, 1);
    await assertNoUnhandledRejection(wb, before);
  });
});
