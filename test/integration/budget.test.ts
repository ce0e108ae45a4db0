/**
 * The token budget in a real extension host: a panel conversation that outgrows
 * `lingualeap.maxInputTokens` leaves out its oldest questions and answers, keeps the newest,
 * keeps the code it is about, and says so; and it leaves them out in steps large enough that a
 * follow-up can start as the request before it did, for the prompt cache. What is asserted is what went over HTTP to the fake
 * Anthropic API, and the note the panel stores and shows with the question.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeAnthropic, RecordedRequest } from '../fake-anthropic/server';
import { config, useFakeApi } from './workbench';
import { TOOL_NAMES, toolDefinitions } from '../../src/core/tools';
import { estimateTokens } from '../../src/core/prompt/tokens';

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

/**
 * Room for the conversation, plus what the bundled agent's tool definitions take (they go with
 * every request, so the budget holds them first).
 */
const BUDGET = 3000 + estimateTokens(JSON.stringify(toolDefinitions(TOOL_NAMES, { web: true })));
const CODE = 'export async function getLesson(id: string) {\n  return pool.query(`SELECT * FROM lessons WHERE id = ${id}`);\n}';
/** About 3,000 characters of prose: five of them outgrow the budget. */
const answer = (n: number) => `Answer ${n}. ${'Cache the lesson list in Redis with a short TTL and invalidate it on write. '.repeat(40)}`;
const question = (n: number) => `Question ${n} about caching`;

function messagesRequests(fake: FakeAnthropic): RecordedRequest[] {
  return fake.requests.filter((r) => r.path === '/v1/messages');
}

suite('token budget', function () {
  this.timeout(120_000);
  const fake = useFakeApi({ resets: ['maxInputTokens'], eachTest: 'closePanels' });


  test('a long panel conversation leaves out its oldest turns in steps the prompt cache can follow, keeps the newest and the code, and says so', async () => {
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

      const stored = await conversation();
      assert.equal(stored?.turns.length, 6);
      // Each request: the newest pairs, in order, then its question; its note says how many went.
      const sentTexts = sent.map((request) => (request.body as MessagesBody).messages.map((m) => text(m.content)));
      const droppedBy = sentTexts.map((messages, asked) => {
        const keptPairs = (messages.length - 1) / 2;
        const dropped = asked - keptPairs;
        for (let i = 0; i < keptPairs; i++) {
          const n = dropped + 1 + i;
          assert.ok(messages[2 * i].startsWith(question(n)), `request ${asked + 1}, message ${2 * i}: ${messages[2 * i].slice(0, 40)}`);
          assert.equal(messages[2 * i + 1], answer(n));
        }
        assert.ok(messages.at(-1)?.startsWith(question(asked + 1)));
        assert.equal(messages.filter((m) => m.includes(CODE)).length, 1, `request ${asked + 1} sends the code the conversation is about, once`);
        const notice = stored?.turns[asked].notice;
        if (dropped === 0) {
          assert.equal(notice, undefined, `request ${asked + 1} needed no cut`);
        } else {
          const expected = `${dropped} earlier question${dropped === 1 ? ' and its answer was' : 's and their answers were'} left out to stay within lingualeap.maxInputTokens.`;
          assert.ok(notice?.startsWith(expected), `the note shown with question ${asked + 1}: "${notice}"`);
        }
        return dropped;
      });
      const last = droppedBy[5];
      assert.ok(last >= 1 && last <= 4, `${last} pairs left out of the last request`);
      assert.ok(!sentTexts[5].some((m) => m.startsWith(question(1))), 'the oldest question is left out');
      assert.equal(droppedBy[0], 0, 'the first question needed no cut');
      // Pairs go in large steps: a follow-up after the first cut kept the first pair the request
      // before it kept, and began with everything that request sent (the prompt cache's prefix).
      const cached = droppedBy.findIndex(
        (dropped, i) =>
          i > 0 && dropped > 0 && dropped === droppedBy[i - 1] && sentTexts[i - 1].every((message, j) => sentTexts[i][j] === message),
      );
      assert.ok(cached > 0, `pairs left out by request: ${droppedBy.join(', ')}`);

      // Near the budget the API was asked for its count first.
      const counts = fake.requests.filter((r) => r.path === '/v1/messages/count_tokens');
      assert.ok(counts.length >= 1, 'count_tokens was asked');
      assert.ok(counts.at(-1)!.index < sent[5].index, 'before the request it budgeted');
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
