// `@lingualeap` in the Chat view. The Chat view calls no participant until a model is selected
// and code-server has no Copilot: the model comes from the extension's own Claude provider, or,
// for a build without one, from test/fixtures/test-model-provider. The participant answers
// through the fake Anthropic server.
import assert from 'node:assert/strict';
import { workbenchSuite } from './workbench.mjs';

workbenchSuite('chat', {}, (test) => {
  test('@lingualeap answers in the Chat view from the fake Anthropic server', async (wb) => {
    await wb.openFile('src/services/lessonService.ts');
    const answer = await wb.askInChat('@lingualeap How should I cache lessons?');
    assert.doesNotMatch(answer, /set up GitHub Copilot/i, 'the message went to the setup agent: the participant is not registered');
    assert.match(answer, /Architecture review/);
    assert.match(answer, /new Pool\(\{ max: 10 \}\)/);

    const request = await wb.fake.waitForRequest((r) => r.path === '/v1/messages', 10_000, 'POST /v1/messages');
    assert.equal(request.authorized, true);
    const messages = request.body.messages;
    assert.match(JSON.stringify(messages[messages.length - 1].content), /How should I cache lessons\?/);
  });
});
