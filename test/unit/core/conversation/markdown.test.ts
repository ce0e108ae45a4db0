import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredConversation } from '../../../../src/core/conversation/conversation';
import { conversationFile, conversationTitle, conversationToMarkdown } from '../../../../src/core/conversation/markdown';

void test('an exported conversation keeps what was left out of each question', () => {
  const markdown = conversationToMarkdown(
    {
      id: 'c1',
      createdAt: 0,
      updatedAt: 0,
      turns: [
        { id: 't1', question: 'First', contexts: [], answer: 'One.', status: 'completed', askedAt: 0 },
        { id: 't2', question: 'Second', contexts: [], answer: 'Two.', status: 'completed', askedAt: 0, notice: '1 earlier question and its answer was left out.' },
      ],
    },
    'Architect',
  );
  assert.match(markdown, /## Question 2\n\nSecond\n\n\*1 earlier question and its answer was left out\.\*\n\n### Answer/);
});

void test('the export has the title, each question with its code, the answer, how it ended and its tokens', () => {
  const conversation: StoredConversation = {
    id: 'c1',
    createdAt: Date.UTC(2026, 11, 3, 9, 30),
    updatedAt: 0,
    turns: [
      {
        id: 't1',
        question: 'Is this   route\nsafe?',
        contexts: [
          {
            code: 'app.get("/x", h);\n```\n',
            reference: { path: 'src/app.ts', languageId: 'typescript', startLine: 3, endLine: 4, kind: 'selection', truncated: false },
            totalLines: 2,
          },
        ],
        answer: 'Mostly.',
        status: 'completed',
        model: 'claude-sonnet-5-5',
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, cacheWriteTokens: 1 },
        askedAt: 0,
      },
      { id: 't2', question: 'And now?', contexts: [], answer: 'Part', status: 'cancelled', askedAt: 0 },
      { id: 't3', question: 'Again', contexts: [], answer: '', status: 'failed', failure: { message: 'The API is overloaded.', actions: ['retry'] }, askedAt: 0 },
    ],
  };
  assert.equal(conversationTitle(conversation), 'Is this route safe?');
  assert.equal(conversationFile(conversation), 'src/app.ts');
  const markdown = conversationToMarkdown(conversation, 'LinguaLeap Backend Architect');
  assert.ok(markdown.startsWith('# Is this route safe?\n\n*LinguaLeap Backend Architect — 2026-12-03T09:30:00.000Z*\n'));
  // The code holds a fence, so the export's fence is longer.
  assert.match(markdown, /From `src\/app\.ts, lines 3–4`:\n\n````typescript\napp\.get\("\/x", h\);\n```\n\n````/);
  assert.match(markdown, /### Answer\n\nMostly\.\n\n\*claude-sonnet-5-5 · 10 input, 5 output, 2 cache read, 1 cache write tokens\*/);
  assert.match(markdown, /### Answer\n\nPart\n\n\*Stopped\.\*/);
  assert.match(markdown, /### Answer\n\n\*\(no answer\)\*\n\n\*Failed: The API is overloaded\.\*/);
});

void test('a conversation without questions, or with an empty first one, still has a title', () => {
  assert.equal(conversationTitle({ id: 'c', createdAt: 0, updatedAt: 0, turns: [] }), 'Empty conversation');
  const review: StoredConversation = {
    id: 'c',
    createdAt: 0,
    updatedAt: 0,
    turns: [
      {
        id: 't1',
        question: ' ',
        contexts: [{ code: 'x', reference: { path: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 1, kind: 'file', truncated: false }, totalLines: 1 }],
        answer: '',
        status: 'completed',
        askedAt: 0,
      },
    ],
  };
  assert.equal(conversationTitle(review), 'Review of the selected code');
  const long = 'x'.repeat(200);
  assert.equal(conversationTitle({ ...review, turns: [{ ...review.turns[0], question: long }] }).length, 80);
});
