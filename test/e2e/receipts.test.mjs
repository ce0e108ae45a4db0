// Knowing what a question sends and costs, as a user meets it in the real workbench: the
// estimate under the question box before Enter (and nothing on the wire yet), the receipt under
// the answer expanded (tokens and prices by kind, the code sent as a link that opens it), the
// follow-up box's estimate before Enter, @lingualeap's receipt line (not sent back as history),
// Show Usage drawing three answers, exported as CSV, and the real confirmation modal. Saves
// readme-receipts-estimate.png, -receipt.png, -chat.png and -usage.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { askInChat, clickAndAwaitResponse } from './chatResponses.mjs';
import { SCREENSHOTS_DIR, STEP_TIMEOUT, workbenchSuite } from './workbench.mjs';

const ASK = 'LinguaLeap: Ask LinguaLeap Architect';
const ROUTES = 'src/routes/lessons.ts';
const hasTurn = () => !!document.querySelector('article.turn');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const ANSWER = [
  '## Cache the lesson lookup',
  '',
  'Read through Redis first and fall back to PostgreSQL:',
  '',
  '```ts',
  "const cached = await redis.get(`lesson:${id}`);",
  'if (cached) return res.json(JSON.parse(cached));',
  '```',
].join('\n');
// Sonnet: 1,234×$3 + 567×$15 + 890×$0.30 + 12×$3.75 per million = $0.012519; without the cache
// (2,136 input) $0.014913: the cache saved $0.002394.
const USAGE = { input_tokens: 1234, output_tokens: 567, cache_read_input_tokens: 890, cache_creation_input_tokens: 12 };

/** The panel's webview as an image (the iframe's box on the page), saved as `readme-<file>`. */
async function panelShot(wb, frame, file) {
  const box = await (await frame.frameElement()).boundingBox();
  assert.ok(box, 'the webview has no box on the page');
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await wb.page.screenshot({ path: join(SCREENSHOTS_DIR, `readme-${file}`), clip: box });
}

/** Requests to the Messages API (and its token counter) so far. */
async function apiRequests(wb) {
  return (await wb.fake.requests()).filter((r) => r.path.startsWith('/v1/messages'));
}

/** Waits for `read()` to return a truthy value. */
async function waitFor(read, what, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeout} ms for ${what}`);
    }
    await sleep(150);
  }
}

workbenchSuite('receipts', {}, (test) => {
  test('the question box and the follow-up box show the estimate before Enter; the receipt expands and its code link opens the code', async (wb) => {
    await wb.fake.script({ text: ANSWER, usage: USAGE, requestId: 'req_e2e_receipt_1' }, { text: 'Use a fake Redis in the tests.', usage: { ...USAGE, output_tokens: 100 } });
    await wb.openFile(ROUTES);
    const selected = await wb.selectLines(14, 21);
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('Should this route cache lessons in Redis?', { submit: false });

    // Under the box, before Enter: the code it is about, then the estimate.
    const message = wb.page.locator('.quick-input-widget .quick-input-message');
    const estimate = await waitFor(async () => {
      const text = (await message.textContent().catch(() => '')) ?? '';
      return text.includes('Estimate:') ? text : undefined;
    }, 'the estimate under the question box');
    assert.match(estimate, /About the selection in src\/routes\/lessons\.ts, lines 14–21\. Leave empty to have it reviewed\./);
    assert.match(estimate, /Estimate: ≈ [\d,]+ tokens in \(instructions [\d,]+ · code [\d,]+ · question [\d,]+\) · up to \$[\d.]+ \+ \$[\d.]+ for the answer/);
    assert.deepEqual(await apiRequests(wb), [], 'estimating sent nothing');
    const widget = await wb.page.locator('.quick-input-widget').boundingBox();
    assert.ok(widget);
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await wb.page.screenshot({
      path: join(SCREENSHOTS_DIR, 'readme-receipts-estimate.png'),
      clip: { x: widget.x - 16, y: widget.y - 12, width: widget.width + 32, height: widget.height + 24 },
    });
    await wb.page.keyboard.press('Enter');

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed .receipt'), { what: 'the answer and its receipt' });
    const collapsed = await frame.evaluate(() => ({
      summary: document.querySelector('.receipt-summary')?.textContent ?? '',
      expanded: document.querySelector('.receipt-button')?.getAttribute('aria-expanded'),
      panelVisible: !document.querySelector('.receipt-panel')?.hidden,
      total: document.getElementById('conversation-total')?.textContent ?? '',
    }));
    assert.equal(collapsed.summary, 'Receipt · 2,703 tokens · $0.01 · saved $0.0024 by cache · 1 request');
    assert.equal(collapsed.expanded, 'false');
    assert.equal(collapsed.panelVisible, false, 'collapsed to one line');
    assert.equal(collapsed.total, '2,703 tokens · $0.01');

    await frame.locator('.receipt-button').click();
    const receipt = await frame.evaluate(() => ({
      expanded: document.querySelector('.receipt-button')?.getAttribute('aria-expanded'),
      who: document.querySelector('.receipt-who')?.textContent ?? '',
      rows: [...document.querySelectorAll('.receipt-table tbody tr')].map((tr) => [...tr.children].map((cell) => cell.textContent)),
      total: [...(document.querySelector('.receipt-table tfoot tr')?.children ?? [])].map((cell) => cell.textContent),
      note: document.querySelector('.receipt-note')?.textContent ?? '',
      code: [...document.querySelectorAll('.receipt-code .receipt-link')].map((a) => a.textContent),
      requests: document.querySelector('.receipt-requests')?.textContent ?? '',
      ids: document.querySelector('.receipt-ids')?.textContent ?? '',
      bill: document.querySelector('.receipt-bill')?.textContent ?? '',
    }));
    assert.equal(receipt.expanded, 'true');
    assert.equal(receipt.who, 'LinguaLeap Backend Architect · claude-sonnet-5-5');
    assert.deepEqual(receipt.rows, [
      ['Fresh input', '1,234', '$0.0037'],
      ['Cache write', '12', '<$0.0001'],
      ['Cache read', '890', '$0.0003'],
      ['Output', '567', '$0.0085'],
    ]);
    assert.deepEqual(receipt.total, ['Total', '2,703', '$0.01']);
    assert.equal(receipt.note, 'The prompt cache saved $0.0024 ($0.01 without it).');
    assert.deepEqual(receipt.code, ['src/routes/lessons.ts:14-21']);
    assert.match(receipt.requests, /^1 request in [\d.]+ (ms|s)$/);
    assert.equal(receipt.ids, 'Request ids: req_e2e_receipt_1');
    assert.equal(receipt.bill, 'Billed to your Anthropic API key.');
    await frame.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await sleep(300);
    await panelShot(wb, frame, 'receipts-receipt.png');

    // The code link opens the code sent, selected, in the editor beside the panel.
    await wb.page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await frame.locator('.receipt-code .receipt-link').click();
    const status = wb.page.locator('#status\\.editor\\.selection');
    await waitFor(async () => ((await status.textContent().catch(() => '')) ?? '').includes(`(${selected} selected)`), `"(${selected} selected)" in the status bar`);

    // The follow-up box: its estimate shows as it is typed, with the previous answer's prompt in the cache.
    const input = frame.locator('#composer-input');
    await input.click();
    await input.pressSequentially('And how do I test it?', { delay: 20 });
    const followUp = await wb.waitInFrame(frame, () => {
      const el = document.getElementById('composer-estimate');
      return el && !el.hidden && el.textContent.includes('tokens in') ? el.textContent : undefined;
    }, { what: 'the follow-up estimate' });
    // The code went with the first question, so it is part of the conversation now; the cache
    // should hold the first answer's whole prompt (1,234 + 890 + 12 tokens, as the fake reported).
    assert.match(followUp, /^≈ [\d,]+ tokens in \(instructions [\d,]+ · conversation [\d,]+ · question [\d,]+\), 2,136 from cache · up to \$[\d.]+ \+ \$[\d.]+ for the answer$/);
    assert.equal((await apiRequests(wb)).length, 1, 'estimating the follow-up sent nothing');
    await input.press('Enter');
    await wb.waitInFrame(frame, () => document.querySelectorAll('article.turn.is-completed .receipt').length === 2, { what: 'the follow-up answer and its receipt' });
    const after = await frame.evaluate(() => ({
      second: document.querySelectorAll('.receipt-summary')[1]?.textContent ?? '',
      total: document.getElementById('conversation-total')?.textContent ?? '',
      estimateHidden: document.getElementById('composer-estimate')?.hidden,
    }));
    assert.equal(after.second, 'Receipt · 2,236 tokens · $0.0055 · saved $0.0024 by cache · 1 request');
    assert.equal(after.total, '4,939 tokens · $0.02');
    assert.equal(after.estimateHidden, true, 'the box is empty again, and so is its estimate');
  });

  test('@lingualeap ends its answer with the receipt line, which is not sent back as history', async (wb) => {
    await wb.fake.script({ text: 'Cache lessons in Redis.', usage: USAGE }, { text: 'Test with a fake Redis.', usage: USAGE });
    const first = await wb.askInChat('@lingualeap how should lessons be cached?');
    assert.match(first, /Cache lessons in Redis\.\s+Receipt · 2,703 tokens · \$0\.01 · saved \$0\.0024 by cache · 1 request\s*$/);
    const chatBox = await wb.page.locator('.part.auxiliarybar').boundingBox();
    assert.ok(chatBox, 'the Chat view has a box on the page');
    await wb.page.screenshot({ path: join(SCREENSHOTS_DIR, 'readme-receipts-chat.png'), clip: { ...chatBox, height: Math.min(chatBox.height, 480) } });

    // The Chat view keeps "@lingualeap " in its input after an answer: start from an empty box.
    const input = await wb.openChat();
    await input.click();
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.press('Backspace');
    const second = await wb.askInChat('@lingualeap and how do I test it?');
    assert.match(second, /Test with a fake Redis\.\s+Receipt · /);
    const requests = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
    assert.equal(requests.length, 2);
    const history = requests[1].body.messages.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => b.text ?? '').join('')));
    assert.equal(history[1], 'Cache lessons in Redis.', 'the earlier answer goes back without its preamble and receipt line');
  });

  test('Show Usage draws three answers in its chart and tables; Export CSV writes their rows', async (wb) => {
    await wb.fake.script(
      { text: 'First.', usage: USAGE, requestId: 'req_e2e_usage_1' },
      { text: 'Second.', usage: { ...USAGE, output_tokens: 200 }, requestId: 'req_e2e_usage_2', model: 'claude-opus-5-5' },
      { text: 'Third.', usage: { ...USAGE, output_tokens: 300 }, requestId: 'req_e2e_usage_3' },
    );
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('One?');
    const frame = await wb.findWebviewFrame(hasTurn);
    for (const [k, question] of [[2, 'Two?'], [3, 'Three?']]) {
      await wb.waitInFrame(frame, () => !document.querySelector('article.turn.is-streaming'), { what: 'the answer before' });
      const input = frame.locator('#composer-input');
      await input.click();
      await input.fill(question);
      await input.press('Enter');
      await waitFor(async () => (await frame.evaluate(() => document.querySelectorAll('article.turn.is-completed').length)) >= k, `answer ${k}`);
    }

    await wb.runCommand('LinguaLeap: Show Usage');
    const view = await wb.findWebviewFrame(() => !!document.getElementById('chart'));
    await wb.waitInFrame(view, () => !document.getElementById('content')?.hidden, { what: 'the usage view to draw' });
    const shown = await view.evaluate(() => {
      // A name cell holds a colour swatch, the name as text, then its details.
      const names = (selector) =>
        [...document.querySelectorAll(selector)].map((td) => [...td.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim());
      const canvas = document.getElementById('chart');
      const context = canvas.getContext('2d');
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) {
        painted += pixels[i] > 0 ? 1 : 0;
      }
      return {
        painted,
        models: names('#by-model td.name'),
        agents: names('#by-agent td.name'),
        summary: document.getElementById('chart-summary')?.textContent ?? '',
        month: document.getElementById('month')?.textContent ?? '',
        footnote: document.getElementById('footnote')?.textContent ?? '',
      };
    });
    assert.ok(shown.painted > 500, `the chart is drawn (${shown.painted} painted pixels)`);
    assert.ok(shown.models.includes('claude-opus-5-5') && shown.models.includes('claude-sonnet-5-5'), `models: ${shown.models.join(', ')}`);
    assert.deepEqual(shown.agents, ['lingualeap-backend-architect']);
    assert.match(shown.summary, /on 1 day, 2 models/);
    // This window's usage (its own storage): the three answers, one request each.
    assert.match(shown.footnote, /^3 requests recorded since /);
    assert.match(shown.month, /\$[\d.]+/);
    await wb.runCommand('Notifications: Clear All Notifications');
    await sleep(400);
    await panelShot(wb, view, 'receipts-usage.png');

    // Export CSV: the view's button, the save dialog's proposed file in the workspace, Enter.
    await view.locator('#export').click();
    const dialog = wb.page.locator('.quick-input-widget .quick-input-box input');
    await dialog.waitFor({ state: 'visible' });
    // The dialog shows the folder first and fills in the proposed name a moment later.
    let proposed = '';
    for (const until = Date.now() + 15_000; Date.now() < until; await sleep(200)) {
      proposed = await dialog.inputValue();
      if (/lingualeap-usage-\d{4}-\d{2}-\d{2}\.csv$/.test(proposed)) {
        break;
      }
    }
    assert.match(proposed, /lingualeap-usage-\d{4}-\d{2}-\d{2}\.csv$/);
    await sleep(200);
    await wb.page.keyboard.press('Enter');
    const file = await waitFor(() => {
      const name = readdirSync(wb.workspace).find((n) => /^lingualeap-usage-\d{4}-\d{2}-\d{2}\.csv$/.test(n));
      return name && existsSync(join(wb.workspace, name)) && readFileSync(join(wb.workspace, name), 'utf8').length > 0 ? join(wb.workspace, name) : undefined;
    }, 'the CSV file in the workspace');
    const lines = readFileSync(file, 'utf8').split('\r\n');
    assert.match(lines[0], /^date,agent,model,input_tokens,/);
    for (const id of ['req_e2e_usage_1', 'req_e2e_usage_2', 'req_e2e_usage_3']) {
      const row = lines.find((line) => line.includes(`,${id},`));
      assert.ok(row, `${id} is exported`);
      assert.match(row, /,lingualeap-backend-architect,claude-(sonnet|opus)-5-5,1234,12,0,890,\d+,[\d.]+,req_e2e_usage_\d,false,key$/);
    }
    await waitFor(async () => (await wb.notifications()).some((n) => /^Exported \d+ requests to lingualeap-usage-/.test(n)), 'the "Exported" notification');
  });
});

// The real confirmation dialog (the integration suite answers it through a test hook): above
// lingualeap.confirmAboveDollars the question waits for VS Code's modal, which shows the
// estimate; Cancel sends nothing and the turn says "Not sent."; Send sends it.
workbenchSuite('receipts: confirmation', { settings: { 'lingualeap.confirmAboveDollars': 0.000001 } }, (test) => {
  test('above the threshold a modal shows the estimate: Cancel sends nothing, Send sends', async (wb) => {
    await wb.fake.script({ text: ANSWER, usage: USAGE });
    await wb.runCommand(ASK);
    await wb.typeInQuickInput('Is this one expensive?');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    const shown = {
      message: (await dialog.locator('.dialog-message-text').innerText()).trim(),
      detail: (await dialog.locator('.dialog-message-detail').innerText()).trim(),
      buttons: (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((label) => label.trim()),
    };
    assert.match(shown.message, /^This question to LinguaLeap Backend Architect may cost up to \$[\d.]+\.$/);
    assert.match(shown.detail, /^≈ [\d,]+ tokens in \(instructions [\d,]+ · question [\d,]+\) · up to \$[\d.]+ \+ \$[\d.]+ for the answer$/m);
    assert.match(shown.detail, /You are asked above <\$0\.0001 \(lingualeap\.confirmAboveDollars; 0 never asks\)/);
    assert.deepEqual([...shown.buttons].sort(), ['Cancel', 'Send']);
    assert.deepEqual(await apiRequests(wb), [], 'nothing goes out while the dialog asks');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-cancelled .turn-note-stopped'), { what: 'the unsent turn' });
    assert.equal(await frame.evaluate(() => document.querySelector('article.turn .turn-note-stopped')?.textContent), 'Not sent.');
    assert.deepEqual(await apiRequests(wb), [], 'Cancel sent nothing');

    const input = frame.locator('#composer-input');
    await input.click();
    await input.fill('Is this one expensive?');
    await input.press('Enter');
    await dialog.waitFor({ state: 'visible' });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Send' }).click();
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed .receipt'), { what: 'the answer sent after Send' });
    assert.equal((await apiRequests(wb)).length, 1);
  });
});

// The monthly budget in the Chat view: a question that would pass it is refused before anything
// is sent, with Send Anyway and Raise Budget under the answer; Send Anyway asks the same
// question again, let through once.
workbenchSuite('receipts: budget in chat', { settings: { 'lingualeap.budget.monthlyDollars': 0.000001 } }, (test) => {
  test('@lingualeap over the monthly budget: refused with Send Anyway and Raise Budget, nothing sent; Send Anyway sends it', async (wb) => {
    const answers = async () => (await apiRequests(wb)).filter((r) => r.path === '/v1/messages');
    await wb.fake.script({ text: 'Cache the lesson catalogue in Redis, per locale.', usage: USAGE });
    const refused = await askInChat(wb, '@lingualeap How should the lesson catalogue be cached?');
    assert.match(refused.error, /^This question could cost up to \$[\d.]+, which would take this month's spend of \$[\d.]+ past your monthly budget of <\$0\.0001\.$/);
    assert.deepEqual(refused.buttons, ['Send Anyway', 'Raise Budget']);
    assert.equal((await answers()).length, 0, 'nothing was sent');
    await wb.screenshot('chat-budget-refused');

    const sent = await clickAndAwaitResponse(wb, 'Send Anyway');
    assert.match(sent.text, /Cache the lesson catalogue in Redis, per locale\./);
    assert.equal(sent.error, '');
    const requests = await answers();
    assert.equal(requests.length, 1, 'Send Anyway sent the question, once');
    assert.match(JSON.stringify(requests[0].body.messages.at(-1)), /How should the lesson catalogue be cached\?/);
  });
});
