// `@lingualeap` in the Chat view. code-server has no Copilot, so the test-only model provider
// (test/fixtures/test-model-provider) supplies the model the Chat view needs before it calls
// any participant; the participant itself answers through the fake Anthropic server.
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
