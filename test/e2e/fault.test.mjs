// Faults through the chat participant (`@lingualeap` in the Chat view), as a user sees them:
// a rejected key, an error part-way through the answer, and cancelling. The fake Anthropic
// server is the API; the Chat view's model is the extension's own Claude model.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchSuite } from './workbench.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Only the participant's requests: the chat may use the model for other things (titles). */
const isArchitectRequest = (r) =>
  r.path === '/v1/messages' && JSON.stringify(r.body?.system ?? '').includes('Senior Backend Architect');

async function architectRequests(wb) {
  return (await wb.fake.requests()).filter(isArchitectRequest);
}

/** The whole text of the last chat response, error details and buttons included. */
async function lastResponseText(wb) {
  return (await wb.page.locator('.interactive-response').last().innerText()).replace(/\u00a0/g, ' ');
}

workbenchSuite('fault', {}, (test) => {
  test('chat: a 401 is one sentence with Set API Key, and is not retried', async (wb) => {
    await wb.fake.setDefault({ status: 401 });
    await wb.askInChat('@lingualeap Is this key valid?');
    const text = await lastResponseText(wb);
    assert.match(text, /rejected the API key \(401\); set a valid key\./, text);
    const button = wb.page.locator('.interactive-response').last().getByRole('button', { name: 'Set API Key' });
    await button.waitFor({ state: 'visible' });
    assert.equal((await architectRequests(wb)).length, 1, 'exactly one request: a 401 is not retried');
  });

  test('chat: an error part-way keeps the text so far and says the answer is incomplete', async (wb) => {
    await wb.fake.setDefault({
      text: 'First part of the answer. Second part that never arrives.',
      chunkSize: 13,
      interrupt: { action: 'error', afterDeltas: 2, errorType: 'overloaded_error', errorMessage: 'Overloaded' },
    });
    await wb.askInChat('@lingualeap Tell me everything');
    const text = await lastResponseText(wb);
    assert.match(text, /First part of the answer/, 'the text so far stays');
    assert.doesNotMatch(text, /never arrives/);
    assert.match(text, /overloaded part-way through the answer/i, text);
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
