/**
 * The "Ask LinguaLeap Architect" flow inside a real extension host, against a fake Anthropic
 * server started here. The extension reaches it through the `lingualeap.baseUrl` setting,
 * so what is asserted is what went over HTTP.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropic, RecordedRequest } from '../fake-anthropic/server';
import { closePanels, config, EXTENSION_ID, panelTabs, useFakeApi } from './workbench';

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly text: string;
  readonly failure?: { readonly kind: string; readonly message: string; readonly actions: readonly string[] };
}

interface MessagesBody {
  readonly model: string;
  readonly stream: boolean;
  readonly max_tokens: number;
  readonly system: string | ReadonlyArray<{ readonly type: string; readonly text: string }>;
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string | ReadonlyArray<{ readonly text: string }> }>;
}

function ask(question: string): Thenable<TurnResult | undefined> {
  return vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
}

function bodyOf(request: RecordedRequest): MessagesBody {
  return request.body as MessagesBody;
}

function systemText(body: MessagesBody): string {
  return typeof body.system === 'string' ? body.system : body.system.map((block) => block.text).join('');
}

function messageText(message: MessagesBody['messages'][number]): string {
  return typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('');
}

function lastMessagesRequest(fake: FakeAnthropic): RecordedRequest {
  const found = fake.requests.filter((r) => r.path === '/v1/messages').at(-1);
  assert.ok(found, 'the fake server received no POST /v1/messages');
  return found;
}

async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the sample workspace open');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relative));
  return vscode.window.showTextDocument(document, vscode.ViewColumn.One);
}

/** The body of the bundled agent file: everything after the closing `---` of the front matter. */
async function agentBody(): Promise<string> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'agents', 'lingualeap-backend-architect.md'));
  const text = new TextDecoder().decode(bytes);
  return text.slice(text.indexOf('\n---\n', 3) + 5).trim();
}

suite('ask from the editor', () => {
  const fake = useFakeApi({ resets: ['model'] });


  test('a selection goes with the question; the agent body is the system prompt', async () => {
    const editor = await openFixture('src/routes/lessons.ts');
    editor.selection = new vscode.Selection(10, 0, 19, 0);
    const selected = editor.document.getText(editor.selection).replace(/\n$/, '');
    fake.script({ text: '## Verdict\n\nUse a **transaction**.', chunkSize: 4 });

    const result = await ask('Is this route safe under load?');

    assert.equal(result?.status, 'completed');
    assert.equal(result.text, '## Verdict\n\nUse a **transaction**.');
    const request = lastMessagesRequest(fake);
    const body = bodyOf(request);
    assert.equal(request.authorized, true, 'the API key was sent');
    assert.equal(body.stream, true);
    assert.equal(body.model, 'claude-sonnet-5-5', 'the agent says model: sonnet');
    assert.equal(systemText(body), await agentBody());
    assert.equal(body.messages.length, 1);
    assert.equal(body.messages[0].role, 'user');
    const content = messageText(body.messages[0]);
    assert.ok(content.startsWith('Is this route safe under load?\n\n'), content);
    assert.ok(content.includes('Selected code from `src/routes/lessons.ts, lines 11–19` (typescript)'), content);
    assert.ok(content.includes(`\`\`\`typescript\n${selected}\n\`\`\``), content);
    assert.ok(!content.includes('Senior Backend Architect'), 'the system prompt is not pasted into the message');
  });

  test('the answer is shown in a panel titled after the agent, beside the editor', async () => {
    await closePanels();
    await openFixture('src/routes/lessons.ts');
    const result = await ask('Quick check');
    assert.equal(result?.status, 'completed');
    const tabs = panelTabs();
    assert.equal(tabs.length, 1, 'exactly one architect panel is open');
    assert.equal(tabs[0].label, 'LinguaLeap Backend Architect');
    assert.notEqual(tabs[0].group.viewColumn, vscode.ViewColumn.One, 'the panel opens beside the editor');
  });

  test('asking again adds to the open panel and carries the earlier turn', async () => {
    await closePanels();
    await openFixture('prisma/schema.prisma');
    fake.script({ text: 'First answer.' }, { text: 'Second answer.' });
    assert.equal((await ask('First question'))?.status, 'completed');
    assert.equal((await ask('Second question'))?.status, 'completed');
    assert.equal(panelTabs().length, 1);
    const body = bodyOf(lastMessagesRequest(fake));
    assert.deepEqual(
      body.messages.map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.ok(messageText(body.messages[0]).startsWith('First question'));
    assert.equal(messageText(body.messages[1]), 'First answer.');
    assert.ok(messageText(body.messages[2]).startsWith('Second question'));
  });

  test('with no selection the whole active file is sent', async () => {
    const editor = await openFixture('prisma/schema.prisma');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await ask('Review the schema');
    const content = messageText(bodyOf(lastMessagesRequest(fake)).messages.at(-1)!);
    const lines = editor.document.getText().replace(/\n$/, '').split('\n').length;
    assert.ok(content.includes(`The file \`prisma/schema.prisma, lines 1–${lines}\``), content);
    assert.ok(content.includes(editor.document.lineAt(0).text));
  });

  test('an empty question asks for a review', async () => {
    const editor = await openFixture('src/services/lessonService.ts');
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    await ask('');
    const content = messageText(bodyOf(lastMessagesRequest(fake)).messages.at(-1)!);
    assert.ok(content.startsWith('Review this code as the LinguaLeap backend architect'), content);
  });

  test('with no editor only the question is sent', async () => {
    await closePanels();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await ask('How should I shard Redis sessions?');
    const body = bodyOf(lastMessagesRequest(fake));
    assert.equal(messageText(body.messages[0]), 'How should I shard Redis sessions?');
  });

  test('lingualeap.model overrides the agent model', async () => {
    await config().update('model', 'claude-opus-5-5', vscode.ConfigurationTarget.Global);
    try {
      await ask('Which model?');
      assert.equal(bodyOf(lastMessagesRequest(fake)).model, 'claude-opus-5-5');
    } finally {
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Stop aborts the HTTP request at once and keeps the partial answer', async () => {
    const long = 'word '.repeat(2000);
    fake.script({ text: long, chunkSize: 5, delayMs: 20 });
    const pending = ask('Write a lot');
    const request = await fake.waitForRequest(0, 20_000);
    await waitUntil(() => request.closed === false && Date.now() - request.receivedAt > 300);
    await vscode.commands.executeCommand('lingualeap.stop');
    const closed = await fake.waitForClose(0, 5_000);
    const result = await pending;
    assert.equal(result?.status, 'cancelled');
    assert.equal(closed.clientAborted, true, 'the client closed the connection before the reply ended');
    assert.ok(result.text.length > 0 && result.text.length < long.length, `partial text kept (${result.text.length} chars)`);
    assert.equal(result.failure, undefined, 'cancellation is not an error');
  });

  test('closing the panel aborts the request', async () => {
    fake.script({ text: 'slow '.repeat(2000), chunkSize: 5, delayMs: 20 });
    const pending = ask('Write a lot again');
    await fake.waitForRequest(0, 20_000);
    await waitUntil(() => panelTabs().length > 0);
    await closePanels();
    await fake.waitForClose(0, 5_000);
    assert.equal((await pending)?.status, 'cancelled');
  });

  test('an authentication error offers Set API Key and keeps the message to one sentence', async () => {
    fake.script({ status: 401 });
    const result = await ask('Will this fail?');
    assert.equal(result?.status, 'failed');
    assert.ok(result.failure?.actions.includes('setApiKey'));
    assert.doesNotMatch(result.failure?.message ?? "", /\n/);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
