// `@lingualeap` in the Chat view of a VS Code build without Copilot (code-server). The Chat
// view calls no participant until a model is selected: the extension contributes its own
// Claude models, backed by the user's key, and the participant answers through the fake
// Anthropic server.
import assert from 'node:assert/strict';
import { workbenchSuite } from './workbench.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The last text sent to the API, whatever the content's shape. */
function lastUserText(request) {
  const messages = request.body.messages;
  const content = messages[messages.length - 1].content;
  return typeof content === 'string' ? content : content.map((part) => part.text ?? '').join('');
}

workbenchSuite('chat', {}, (test) => {
  test('the model picker lists the Claude models this extension contributes', async (wb) => {
    const page = wb.page;
    assert.ok(
      wb.chatModel instanceof RegExp && wb.chatModel.test('Claude'),
      'the manifest contributes no languageModelChatProviders: the harness fell back to the test-only model provider',
    );
    await wb.openChat();
    await page.locator('.interactive-input-part .model-picker-name, .interactive-input-part .chat-model-label').first().click();
    // The first models show at once; the rest sit under "Other Models".
    const other = page.getByText('Other Models', { exact: true }).first();
    await other.waitFor({ state: 'visible' });
    for (const name of ['Claude Sonnet 5.5', 'Claude Opus 5.5', 'Claude Haiku 5.5']) {
      const item = page.getByText(name, { exact: true }).first();
      if (!(await item.isVisible())) {
        await other.click();
      }
      await item.waitFor({ state: 'visible', timeout: 15_000 });
    }
    await wb.screenshot('readme-chat-model-picker');
    await page.keyboard.press('Escape');
  });

  test('@lingualeap /review on a selection streams the architect answer, shows references and follow-ups', async (wb) => {
    const page = wb.page;
    await wb.openFile('src/routes/lessons.ts');
    await wb.selectLines(14, 21);
    const answer = await wb.askInChat('@lingualeap /review Is this route safe under load?');
    assert.doesNotMatch(answer, /set up GitHub Copilot/i, 'the message went to the setup agent: the participant is not registered');
    assert.match(answer, /Architecture review/);
    assert.match(answer, /new Pool\(\{ max: 10 \}\)/);

    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 10_000, 'POST /v1/messages');
    assert.equal(request.authorized, true);
    assert.equal(request.body.model, 'claude-sonnet-5-5', "the agent's model answers by default");
    const system = request.body.system.map((block) => block.text).join('');
    assert.match(system, /^You are a Senior Backend Architect/, 'the agent body is the system prompt');
    const sent = lastUserText(request);
    assert.match(sent, /^Focus: an architecture review of the code\./, '/review adds its focus');
    assert.match(sent, /Is this route safe under load\?/);
    assert.match(sent, /`src\/routes\/lessons\.ts, lines 14–21` \(typescript\)/, 'the selection goes as context');
    assert.match(sent, /router\.get\('\/lessons\/:id'/);

    const response = page.locator('.interactive-response').last();
    // The context used is listed as references (folded under "Completed N steps" in newer
    // builds: unfold it), and follow-ups are offered.
    const steps = response.getByText(/Completed \d+ steps?/).first();
    if ((await steps.count()) > 0) {
      // The chat's sticky request header can sit over it once the answer is long: click the element itself.
      await steps.dispatchEvent('click');
    }
    await response.getByText(/Used 1 reference/).first().waitFor({ state: 'attached' });
    await page.getByText('Check security and GDPR', { exact: true }).first().waitFor({ state: 'visible' });
    await page.getByText('Check it at 10x load', { exact: true }).first().waitFor({ state: 'visible' });
    await wb.screenshot('readme-chat-review');
  });

  test('a follow-up carries the earlier turn', async (wb) => {
    await wb.openFile('prisma/schema.prisma');
    await wb.fake.script({ text: 'Index learner_id and created_at together.' }, { text: 'Partition by month.' });
    await wb.askInChat('@lingualeap /schema Which index does the dashboard need?');
    await wb.askInChat('@lingualeap And for a billion rows?');
    const requests = (await wb.fake.requests()).filter((r) => r.path === '/v1/messages');
    const last = requests[requests.length - 1].body.messages;
    const texts = last.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('')));
    assert.deepEqual(last.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.match(texts[0], /Which index does the dashboard need\?/);
    assert.equal(texts[1], 'Index learner_id and created_at together.');
    assert.match(texts[2], /And for a billion rows\?/);
  });

  test('cancelling in the Chat view closes the HTTP connection at once', async (wb) => {
    const page = wb.page;
    await wb.fake.script({ text: 'slow '.repeat(3000), chunkSize: 5, delayMs: 30 });
    const input = await wb.openChat();
    await input.click();
    await page.keyboard.type('@lingualeap Write a very long essay', { delay: 10 });
    await sleep(300);
    await page.keyboard.press('Enter');
    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 30_000, 'POST /v1/messages');
    await page.locator('.interactive-response').last().getByText(/slow slow/).waitFor({ state: 'visible' });
    const cancelled = Date.now();
    // The send button turns into Cancel while a request runs.
    await page.locator('.interactive-input-part .codicon-stop-circle, .interactive-input-part [aria-label^="Cancel"]').first().click();
    const closed = await wb.fake.waitForRequest((r) => r.index === request.index && r.closed, 10_000, 'the request to close');
    assert.equal(closed.clientAborted, true, 'the client closed the connection before the reply ended');
    assert.ok(closed.closedAt - cancelled < 5_000, `closed ${closed.closedAt - cancelled} ms after Cancel`);
    await wb.screenshot('chat-cancelled');
    const text = await page.locator('.interactive-response').last().innerText();
    assert.doesNotMatch(text, /error|failed/i, 'cancellation is not shown as an error');
  });
});

// A small token budget, so that one long answer is enough to push the conversation over it.
workbenchSuite('chat budget', { settings: { 'lingualeap.maxInputTokens': 3000 } }, (test) => {
  test('over lingualeap.maxInputTokens the oldest turn is left out, and the answer says so', async (wb) => {
    // Over the budget by any count: the estimate, and the fake's count_tokens (a quarter of the characters).
    const longAnswer = 'The learner service keeps streaks in Redis and lesson history in PostgreSQL. '.repeat(160);
    await wb.fake.script({ text: longAnswer }, { text: 'Use one queue per speech job type.' });
    await wb.askInChat('@lingualeap Describe the services.');
    await wb.askInChat('@lingualeap And the queues?');
    const architect = (await wb.fake.requests()).filter(
      (r) => r.path === '/v1/messages' && JSON.stringify(r.body?.system ?? '').includes('Senior Backend Architect'),
    );
    assert.equal(architect.length, 2, 'two questions, two requests');
    const last = architect[1];
    assert.deepEqual(last.body.messages.map((m) => m.role), ['user'], 'the first question and its long answer were left out');
    assert.match(lastUserText(last), /And the queues\?/);
    const shown = (await wb.page.locator('.interactive-response').last().innerText()).replace(/\u00a0/g, ' ');
    assert.match(shown, /1 earlier question and its answer (was|were) left out/i, shown);
    assert.match(shown, /one queue per speech job type/);
    await wb.screenshot('chat-budget-note');
  });
});
