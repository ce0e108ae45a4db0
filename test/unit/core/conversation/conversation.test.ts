/**
 * The panel's conversation state, without an editor: turn ids, what history a follow-up carries,
 * how results are recorded, totals, snapshots and the check that a code block is part of an answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  finishTurn,
  followUpContext,
  historyOf,
  isPartOf,
  newConversation,
  originOf,
  snapshotOf,
  startTurn,
  totalOf,
  type StoredOrigin,
} from '../../../../src/core/conversation/conversation';
import type { TurnResult } from '../../../../src/core/llm/pipeline';
import type { CodeContext } from '../../../../src/core/prompt/context';

const code: CodeContext = {
  code: 'const a = 1;\n',
  reference: { path: 'src/a.ts', languageId: 'typescript', startLine: 1, endLine: 1, kind: 'selection', truncated: false },
  totalLines: 1,
};
const origin: StoredOrigin = { uri: 'file:///w/src/a.ts', range: [0, 0, 1, 0] };
const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 };

function completed(text: string, model = 'claude-sonnet-5-5'): TurnResult {
  return { status: 'completed', text, model, durationMs: 5, usage, stopReason: 'end_turn' };
}

void test('turns are numbered t1, t2… and each question gets the history of the completed ones before it', () => {
  const conversation = newConversation(1000);
  assert.match(conversation.id, /^c[a-z0-9]+$/);
  assert.notEqual(newConversation(1000).id, conversation.id);

  const first = startTurn(conversation, 'Is it safe?', [code], origin, 2000);
  assert.equal(first.turn.id, 't1');
  assert.equal(first.turn.status, 'streaming');
  assert.deepEqual(first.history, []);
  first.turn.answer = 'Yes.';
  finishTurn(conversation, first.turn, completed('Yes.'), 3000);
  assert.equal(conversation.updatedAt, 3000);

  const stopped = startTurn(conversation, 'Why?', []);
  finishTurn(conversation, stopped.turn, { status: 'cancelled', text: '', model: 'claude-sonnet-5-5', durationMs: 1 });
  const failed = startTurn(conversation, 'Really?', []);
  finishTurn(conversation, failed.turn, {
    status: 'failed',
    text: '',
    model: '',
    durationMs: 1,
    failure: { kind: 'overloaded', message: 'The API is overloaded.', actions: ['retry'] },
  });
  assert.deepEqual(failed.turn.failure, { message: 'The API is overloaded.', actions: ['retry'] });
  assert.equal(failed.turn.model, undefined);

  const third = startTurn(conversation, 'Next?', []);
  assert.equal(third.turn.id, 't4');
  // Only the completed turn is history; its question carries the code it was sent with.
  assert.equal(third.history.length, 2);
  assert.equal(third.history[0].role, 'user');
  assert.match(third.history[0].content, /^Is it safe\?\n\n.*src\/a\.ts[\s\S]*const a = 1;/);
  assert.deepEqual(third.history[1], { role: 'assistant', content: 'Yes.' });
  assert.deepEqual(historyOf(conversation), third.history);
});

void test('a follow-up carries the original code until a completed turn has it in the history', () => {
  const conversation = newConversation();
  const first = startTurn(conversation, 'Review', [code], origin);
  // The first answer failed: the follow-up sends the code itself.
  finishTurn(conversation, first.turn, { status: 'cancelled', text: '', model: 'm', durationMs: 1 });
  assert.deepEqual(followUpContext(conversation), { contexts: [code], carriedContexts: undefined, origin });
  const second = startTurn(conversation, 'Again', [code], origin);
  finishTurn(conversation, second.turn, completed('ok'));
  // Now the history carries it: the follow-up only names it as carried code.
  assert.deepEqual(followUpContext(conversation), { contexts: [], carriedContexts: [code], origin });
  const third = startTurn(conversation, 'More', []);
  assert.deepEqual(originOf(conversation, third.turn), origin);
  assert.deepEqual(followUpContext(newConversation()), { contexts: [], carriedContexts: undefined, origin: undefined });
});

void test('the total adds every reply, and is a lower bound when a model has no price', () => {
  const conversation = newConversation();
  assert.equal(totalOf(conversation), undefined);
  for (const model of ['claude-sonnet-5-5', 'claude-haiku-5-5']) {
    const { turn } = startTurn(conversation, 'q', []);
    finishTurn(conversation, turn, completed('a', model));
  }
  const known = totalOf(conversation)!;
  assert.deepEqual(known.usage, { inputTokens: 2000, outputTokens: 200, cacheReadTokens: 0, cacheWriteTokens: 0 });
  // Sonnet $3/$15, Haiku $1/$5 per million: (1000*3 + 100*15 + 1000*1 + 100*5) / 1e6.
  assert.ok(Math.abs(known.cost! - 0.006) < 1e-12);
  assert.equal(known.partial, false);
  const { turn } = startTurn(conversation, 'q', []);
  finishTurn(conversation, turn, completed('a', 'some-other-model'));
  const partial = totalOf(conversation)!;
  assert.equal(partial.partial, true);
  assert.ok(Math.abs(partial.cost! - 0.006) < 1e-12);
});

void test('a snapshot shows a turn still streaming as stopped, with its failure and notice', () => {
  const conversation = newConversation();
  const { turn } = startTurn(conversation, 'q', [code]);
  turn.answer = 'partial';
  turn.notice = 'Left out.';
  const snapshot = snapshotOf(turn);
  assert.equal(snapshot.status, 'cancelled');
  assert.equal(snapshot.answer, 'partial');
  assert.equal(snapshot.notice, 'Left out.');
  assert.deepEqual(snapshot.reference, code.reference);
  assert.equal(snapshot.summary, undefined);
});

void test('a code block is part of an answer as it is, indented in a list item, or with CRLF line ends', () => {
  const answer = 'Try:\r\n\r\n1. Add this:\r\n   ```ts\r\n   const x = 1;\r\n   const y = 2;\r\n   ```\r\n';
  assert.ok(isPartOf('const x = 1;\nconst y = 2;\n', answer));
  assert.ok(isPartOf('const x = 1;', answer));
  assert.ok(!isPartOf('const z = 3;\n', answer));
  assert.ok(!isPartOf('const x = 1;\nrm -rf /\n', answer));
});
