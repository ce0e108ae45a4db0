/**
 * The architect panel's conversation inside a real extension host, against the fake Anthropic
 * server: follow-ups, code block actions (insert, apply as a diff, open), history, export,
 * usage. What the panel's buttons post is replayed through hidden `_lingualeap.panel.*`
 * commands, which go through the same validation as a webview message.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropic, RecordedRequest } from '../fake-anthropic/server';
import { config, panelTabs, useFakeApi } from './workbench';

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly text: string;
  readonly usage?: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number };
}

interface StoredConversation {
  readonly id: string;
  readonly turns: ReadonlyArray<{ id: string; question: string; status: string; answer: string; model?: string; usage?: TurnResult['usage'] }>;
}

type Content = string | ReadonlyArray<{ readonly type: string; readonly text: string; readonly cache_control?: unknown }>;
interface MessagesBody {
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: Content }>;
}

const ask = (question: string) => vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
const followUp = (question: string) => vscode.commands.executeCommand<TurnResult | undefined>('_lingualeap.panel.followUp', question);
const codeAction = (turnId: string, action: string, code: string, language: string) =>
  vscode.commands.executeCommand<void>('_lingualeap.panel.codeAction', turnId, action, code, language);
const conversation = () => vscode.commands.executeCommand<StoredConversation | undefined>('_lingualeap.panel.conversation');

const text = (content: Content) => (typeof content === 'string' ? content : content.map((block) => block.text).join(''));
const cached = (content: Content) => typeof content !== 'string' && content.some((block) => block.cache_control !== undefined);

function messagesRequests(fake: FakeAnthropic): RecordedRequest[] {
  return fake.requests.filter((r) => r.path === '/v1/messages');
}

function lastBody(fake: FakeAnthropic): MessagesBody {
  const last = messagesRequests(fake).at(-1);
  assert.ok(last, 'no POST /v1/messages');
  return last.body as MessagesBody;
}

/** A fresh untitled TypeScript document with known text, open in column one. */
async function scratch(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content, language: 'typescript' });
  return vscode.window.showTextDocument(document, vscode.ViewColumn.One);
}

const SOURCE = ['import { pool } from "./db";', '', 'export async function getLesson(id: string) {', '  return pool.query(`SELECT * FROM lessons WHERE id = ${id}`);', '}', ''].join('\n');
const FIX = 'export async function getLesson(id: string) {\n  return pool.query("SELECT * FROM lessons WHERE id = $1", [id]);\n}\n';
const ANSWER = `Use a parameterized query:\n\n\`\`\`ts\n${FIX}\`\`\`\n\nThat closes the injection.`;

suite('architect panel conversation', () => {
  const fake = useFakeApi({ resets: ['panel.reuse'], eachTest: 'closePanels' });


  test('a follow-up carries the earlier turns, the original code and the system prompt, with cache breakpoints', async () => {
    const editor = await scratch(SOURCE);
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    fake.script({ text: 'First answer.' }, { text: 'Second answer.' });
    assert.equal((await ask('Is this query safe?'))?.status, 'completed');
    const second = await followUp('And how do I test it?');
    assert.equal(second?.status, 'completed');

    const body = lastBody(fake);
    assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.ok(text(body.messages[0].content).startsWith('Is this query safe?'));
    assert.ok(text(body.messages[0].content).includes('pool.query(`SELECT * FROM lessons'), 'the original code goes with the follow-up');
    assert.equal(text(body.messages[1].content), 'First answer.');
    assert.equal(text(body.messages[2].content), 'And how do I test it?');
    assert.ok(cached(body.messages[1].content) && cached(body.messages[2].content), 'the conversation prefix carries cache breakpoints');
    const system = (messagesRequests(fake).at(-1)!.body as { system: unknown }).system;
    assert.ok(Array.isArray(system) && system.length > 0, 'the agent prompt goes as system');
    // The second request re-reads the cached system prompt.
    assert.ok((second.usage?.cacheReadTokens ?? 0) > 0, 'the follow-up is served from the prompt cache');
  });

  test('when the first answer failed, a follow-up still sends the original code', async () => {
    const editor = await scratch(SOURCE);
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    fake.script({ status: 400 }, { text: 'ok' });
    assert.equal((await ask('Review'))?.status, 'failed');
    await followUp('Try again, please');
    const body = lastBody(fake);
    assert.equal(body.messages.length, 1);
    assert.ok(text(body.messages[0].content).includes('pool.query('), 'the follow-up carries the code');
  });

  test('New Conversation starts clean', async () => {
    await scratch(SOURCE);
    fake.script({ text: 'One.' }, { text: 'Two.' });
    await ask('First');
    const before = (await conversation())?.id;
    const id = await vscode.commands.executeCommand<string>('lingualeap.newConversation');
    assert.notEqual(id, before);
    await followUp('Unrelated question');
    assert.equal(lastBody(fake).messages.length, 1);
    assert.equal(text(lastBody(fake).messages[0].content), 'Unrelated question');
  });

  test('Insert at cursor edits the document the question came from, as one undo step', async () => {
    const editor = await scratch(SOURCE);
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    fake.script({ text: ANSWER });
    await ask('Fix it');
    // The user moves the cursor to the end of the first line.
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await codeAction('t1', 'insert', FIX, 'ts');
    assert.equal(editor.document.getText(), SOURCE.replace('\n\n', `\n${FIX.replace(/\n$/, '')}\n`));
    await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE, 'one undo restores the document');
  });

  test('code that is not in the answer is refused', async () => {
    const editor = await scratch(SOURCE);
    fake.script({ text: ANSWER });
    await ask('Fix it');
    await codeAction('t1', 'insert', 'process.exit(1);', 'ts');
    await codeAction('t9', 'insert', FIX, 'ts');
    assert.equal(editor.document.getText(), SOURCE);
  });

  test('Apply opens a diff against the original selection; Accept applies it as one undo step', async () => {
    const editor = await scratch(SOURCE);
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    fake.script({ text: ANSWER });
    await ask('Fix it');
    await codeAction('t1', 'apply', FIX, 'ts');
    const diff = await waitFor(() =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'lingualeap-proposal'),
    );
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), editor.document.uri.toString());
    const proposed = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(proposed.getText(), SOURCE.replace(SOURCE.split('\n').slice(2, 5).join('\n') + '\n', FIX));
    assert.equal(editor.document.getText(), SOURCE, 'nothing changes before Accept');

    assert.equal(await vscode.commands.executeCommand<boolean>('lingualeap.acceptProposal', input.modified), true);
    assert.equal(editor.document.getText(), proposed.getText());
    await waitFor(() => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff) || undefined);
    await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), SOURCE, 'one undo restores the document');
  });

  test('Open puts the code in a new untitled editor with the block language', async () => {
    await scratch(SOURCE);
    fake.script({ text: ANSWER });
    await ask('Fix it');
    await codeAction('t1', 'open', FIX, 'ts');
    const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.getText() === FIX ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.isUntitled, true);
    assert.equal(editor.document.languageId, 'typescript');
  });

  test('usage and the model are kept per turn as the server reported them', async () => {
    await scratch(SOURCE);
    const usage = { input_tokens: 1234, output_tokens: 567, cache_read_input_tokens: 890, cache_creation_input_tokens: 12 };
    fake.script({ text: 'Counted.', usage });
    const result = await ask('Count');
    assert.deepEqual(result?.usage, { inputTokens: 1234, outputTokens: 567, cacheReadTokens: 890, cacheWriteTokens: 12 });
    const stored = await conversation();
    assert.deepEqual(stored?.turns[0].usage, result?.usage);
    assert.equal(stored?.turns[0].model, 'claude-sonnet-5-5');
  });

  test('Export writes the whole conversation as Markdown', async () => {
    await scratch(SOURCE);
    fake.script({ text: ANSWER }, { text: 'Second **answer**.' });
    await ask('Fix it');
    await followUp('Anything else?');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const target = vscode.Uri.joinPath(folder.uri, 'exported-conversation.md');
    const written = await vscode.commands.executeCommand<vscode.Uri>('lingualeap.exportConversation', target);
    assert.equal(written?.toString(), target.toString());
    const markdown = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(markdown, /^# Fix it/);
    assert.match(markdown, /## Question 1\n\nFix it/);
    assert.ok(markdown.includes(FIX), 'the answer code block is in the export');
    assert.match(markdown, /## Question 2\n\nAnything else\?/);
    assert.ok(markdown.includes('Second **answer**.'));
    await vscode.workspace.fs.delete(target);
  });

  test('the history reopens an older conversation in the panel, and asking continues it', async () => {
    await scratch(SOURCE);
    fake.script({ text: 'Old answer.' }, { text: 'New answer.' }, { text: 'Continued.' });
    await ask('Old question');
    const old = (await conversation())?.id;
    assert.ok(old);
    await vscode.commands.executeCommand('lingualeap.newConversation');
    await followUp('New question');
    assert.equal(await vscode.commands.executeCommand('lingualeap.showHistory', old), old);
    assert.equal((await conversation())?.id, old);
    await followUp('Continue the old one');
    const body = lastBody(fake);
    assert.deepEqual(body.messages.map((m) => text(m.content).split('\n')[0]), ['Old question', 'Old answer.', 'Continue the old one']);
  });

  test('with lingualeap.panel.reuse off each question opens its own panel', async () => {
    await config().update('panel.reuse', false, vscode.ConfigurationTarget.Global);
    try {
      await scratch(SOURCE);
      await ask('One');
      await ask('Two');
      assert.equal(panelTabs().length, 2);
      assert.equal(lastBody(fake).messages.length, 1, 'a new panel is a new conversation');
    } finally {
      await config().update('panel.reuse', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
