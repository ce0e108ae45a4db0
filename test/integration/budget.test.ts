/**
 * The token budget in a real extension host: a panel conversation that outgrows
 * `lingualeap.maxInputTokens` leaves out its oldest questions and answers, keeps the newest,
 * keeps the code it is about, and says so. What is asserted is what went over HTTP to the fake
 * Anthropic API, and the note the panel stores and shows with the question.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropic, RecordedRequest } from '../fake-anthropic/server';
import { clearSettings, closePanels, config, startFakeApi } from './workbench';

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
}

interface StoredConversation {
  readonly turns: ReadonlyArray<{ readonly question: string; readonly status: string; readonly notice?: string }>;
}

type Content = string | ReadonlyArray<{ readonly text: string }>;
interface MessagesBody {
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: Content }>;
}

const text = (content: Content) => (typeof content === 'string' ? content : content.map((block) => block.text).join(''));
const ask = (question: string) => vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
const followUp = (question: string) => vscode.commands.executeCommand<TurnResult | undefined>('_lingualeap.panel.followUp', question);
const conversation = () => vscode.commands.executeCommand<StoredConversation | undefined>('_lingualeap.panel.conversation');

const BUDGET = 3000;
const CODE = 'export async function getLesson(id: string) {\n  return pool.query(`SELECT * FROM lessons WHERE id = ${id}`);\n}';
/** About 3,000 characters of prose: five of them outgrow the budget. */
const answer = (n: number) => `Answer ${n}. ${'Cache the lesson list in Redis with a short TTL and invalidate it on write. '.repeat(40)}`;
const question = (n: number) => `Question ${n} about caching`;

function messagesRequests(fake: FakeAnthropic): RecordedRequest[] {
  return fake.requests.filter((r) => r.path === '/v1/messages');
}

suite('token budget', function () {
  this.timeout(120_000);
  let fake: FakeAnthropic;

  suiteSetup(async () => {
    fake = await startFakeApi();
  });

  suiteTeardown(async () => {
    await clearSettings('baseUrl', 'maxInputTokens');
    await closePanels();
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await fake.close();
  });

  setup(async () => {
    fake.reset();
    await closePanels();
  });

  test('a long panel conversation leaves out its oldest turns, keeps the newest and the code, and says so', async () => {
    await config().update('maxInputTokens', BUDGET, vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument({ content: `${CODE}\n`, language: 'typescript' });
      const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      editor.selection = new vscode.Selection(0, 0, 3, 0);
      for (let n = 1; n <= 5; n++) {
        fake.script({ text: answer(n), delayMs: 0, chunkSize: 500 });
      }
      fake.script({ text: 'Latest answer.', delayMs: 0 });

      assert.equal((await ask(question(1)))?.status, 'completed');
      for (let n = 2; n <= 6; n++) {
        assert.equal((await followUp(question(n)))?.status, 'completed', `question ${n}`);
      }

      const sent = messagesRequests(fake);
      assert.equal(sent.length, 6);
      const first = (sent[0].body as MessagesBody).messages;
      assert.ok(text(first[0].content).includes(CODE), 'the first question carries the code');

      const messages = (sent[5].body as MessagesBody).messages.map((m) => text(m.content));
      const keptPairs = (messages.length - 1) / 2;
      const dropped = 5 - keptPairs;
      assert.ok(dropped >= 1 && keptPairs >= 1, `${dropped} pairs left out, ${keptPairs} kept`);
      // The newest pairs, in order, then the new question.
      for (let i = 0; i < keptPairs; i++) {
        const n = dropped + 1 + i;
        assert.ok(messages[2 * i].startsWith(question(n)), `message ${2 * i}: ${messages[2 * i].slice(0, 40)}`);
        assert.equal(messages[2 * i + 1], answer(n));
      }
      assert.ok(messages.at(-1)?.startsWith(question(6)));
      assert.ok(!messages.some((m) => m.startsWith(question(1))), 'the oldest question is left out');
      assert.equal(messages.filter((m) => m.includes(CODE)).length, 1, 'the code the conversation is about is still sent, once');

      // Near the budget the API was asked for its count first.
      const counts = fake.requests.filter((r) => r.path === '/v1/messages/count_tokens');
      assert.ok(counts.length >= 1, 'count_tokens was asked');
      assert.ok(counts.at(-1)!.index < sent[5].index, 'before the request it budgeted');

      const stored = await conversation();
      const notice = stored?.turns.at(-1)?.notice ?? '';
      const expected = `${dropped} earlier question${dropped === 1 ? ' and its answer was' : 's and their answers were'} left out to stay within lingualeap.maxInputTokens.`;
      assert.ok(notice.startsWith(expected), `the note shown with the question: "${notice}"`);
      assert.equal(stored?.turns[0].notice, undefined, 'the first question needed no cut');
      // The follow-up that first left out the question with the code took the code along, and said so.
      assert.ok(
        stored?.turns.some((turn) => turn.notice?.endsWith('goes with this question instead.')),
        JSON.stringify(stored?.turns.map((turn) => turn.notice)),
      );
    } finally {
      await config().update('maxInputTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('without the setting a short conversation is sent whole and nothing is counted', async () => {
    const document = await vscode.workspace.openTextDocument({ content: `${CODE}\n`, language: 'typescript' });
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    fake.script({ text: answer(1), delayMs: 0, chunkSize: 500 }, { text: 'ok', delayMs: 0 });
    await ask(question(1));
    await followUp(question(2));
    const messages = (messagesRequests(fake).at(-1)?.body as MessagesBody).messages;
    assert.equal(messages.length, 3);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, 0);
    assert.equal((await conversation())?.turns.at(-1)?.notice, undefined);
  });
});
