// The architect panel, driven as a user: the editor's context menu, the command palette, the
// question box, the streamed answer in the webview, and Stop.
import assert from 'node:assert/strict';
import { workbenchSuite } from './workbench.mjs';

const ASK_TITLE = 'Ask LinguaLeap Architect';
const ROUTES = 'src/routes/lessons.ts';

/** The panel's webview frame: the one that renders question/answer turns. */
const hasTurn = () => !!document.querySelector('article.turn');

/** The last user message the fake received, as text. */
function lastUserText(request) {
  const messages = request?.body?.messages ?? [];
  const content = messages[messages.length - 1]?.content;
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}

workbenchSuite('panel', {}, (test) => {
  test('the command palette lists the LinguaLeap commands', async (wb) => {
    const labels = await wb.commandPaletteEntries('LinguaLeap');
    assert.ok(
      labels.some((label) => label.startsWith(`LinguaLeap: ${ASK_TITLE}`)),
      `the palette shows: ${labels.join(' | ')}`,
    );
    assert.ok(labels.some((label) => label.startsWith('LinguaLeap: Set Anthropic API Key')));
  });

  test('asks about a selection from the editor context menu and renders the streamed answer', async (wb) => {
    await wb.openFile(ROUTES);
    const selected = await wb.selectLines(14, 21);
    assert.ok(selected > 100, `only ${selected} characters selected`);
    await wb.rightClickEditorAndChoose(ASK_TITLE);
    await wb.typeInQuickInput('Should this route cache lessons in Redis?');

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the answer to complete' });
    const rendered = await frame.evaluate(() => {
      const answer = document.querySelector('article.turn .answer .markdown');
      return {
        headings: [...(answer?.querySelectorAll('h1, h2, h3') ?? [])].map((h) => h.textContent?.trim()),
        code: answer?.querySelector('pre code.hljs')?.textContent ?? '',
        highlighted: answer?.querySelectorAll('pre code.hljs [class^="hljs-"]').length ?? 0,
        listItems: answer?.querySelectorAll('li').length ?? 0,
        question: document.querySelector('article.turn .question-text')?.textContent ?? '',
        errors: document.querySelectorAll('.turn-error').length,
      };
    });
    assert.deepEqual(rendered.headings, ['Architecture review']);
    assert.match(rendered.code, /new Pool\(\{ max: 10 \}\)/);
    assert.ok(rendered.highlighted > 0, 'the code block has no highlight.js tokens');
    assert.equal(rendered.listItems, 3);
    assert.equal(rendered.question, 'Should this route cache lessons in Redis?');
    assert.equal(rendered.errors, 0);
    await wb.screenshot('readme-panel-answer');

    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 10_000, 'POST /v1/messages');
    assert.equal(request.authorized, true, 'the fake server did not get the test key');
    assert.equal(request.body.stream, true);
    const sent = lastUserText(request);
    assert.match(sent, /Should this route cache lessons in Redis\?/);
    assert.match(sent, /router\.get\('\/lessons\/:id'/, 'the selected code was not sent');
    assert.doesNotMatch(sent, /router\.post\('\/progress'/, 'more than the selection was sent');
  });

  test('Stop ends a streaming answer and closes the HTTP request', async (wb) => {
    // A long, slow reply: about 25 s if nobody stops it.
    const text = `## Slow answer\n\n${'Streaming word by word. '.repeat(40)}\n\nTHE END`;
    await wb.fake.script({ text, chunkSize: 8, delayMs: 200 });
    await wb.openFile(ROUTES);
    await wb.selectLines(23, 36);
    await wb.rightClickEditorAndChoose(ASK_TITLE);
    await wb.typeInQuickInput('Explain this slowly');

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => (document.querySelector('article.turn.is-streaming .answer .markdown')?.textContent ?? '').includes('Streaming word'), {
      what: 'the first words of the answer',
    });
    await frame.locator('article.turn.is-streaming .stop-button').click();
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-cancelled .turn-note-stopped'), { what: 'the stopped state' });

    const shown = await frame.evaluate(() => document.querySelector('article.turn .answer .markdown')?.textContent ?? '');
    assert.ok(!shown.includes('THE END'), 'the whole answer arrived: Stop came too late to test anything');
    assert.ok(shown.includes('Streaming word'), 'the partial answer was not kept');
    assert.equal(await frame.evaluate(() => document.querySelectorAll('.turn-error').length), 0, 'Stop was shown as an error');

    const closed = await wb.fake.waitForRequest((r) => r.path === '/v1/messages' && r.closed, 10_000, 'closed POST /v1/messages');
    assert.equal(closed.clientAborted, true, 'the fake server finished the reply: the client did not abort');
  });

  test('asks from the command palette about the active file', async (wb) => {
    await wb.openFile('prisma/schema.prisma');
    await wb.runCommand(`LinguaLeap: ${ASK_TITLE}`);
    await wb.typeInQuickInput('Which indexes are missing?');

    const frame = await wb.findWebviewFrame(hasTurn);
    await wb.waitInFrame(frame, () => document.querySelector('article.turn.is-completed'), { what: 'the answer to complete' });
    const heading = await frame.evaluate(() => document.querySelector('article.turn .answer .markdown h2')?.textContent);
    assert.equal(heading, 'Architecture review');

    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 10_000, 'POST /v1/messages');
    const sent = lastUserText(request);
    assert.match(sent, /Which indexes are missing\?/);
    assert.match(sent, /model Progress/, 'the active file was not sent');
  });
});
