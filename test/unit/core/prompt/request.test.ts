import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentDefinition } from '../../../../src/core/agent/parse';
import { boundCode, fenceFor, type RawCode } from '../../../../src/core/prompt/context';
import {
  buildArchitectRequest,
  buildUserMessage,
  DEFAULT_REVIEW_QUESTION,
  normalizeHistory,
} from '../../../../src/core/prompt/request';

const agent: AgentDefinition = {
  name: 'architect',
  description: 'd',
  tools: [],
  body: 'You are the architect.',
  source: 'agents/a.md',
};

const raw = (text: string, overrides: Partial<RawCode> = {}): RawCode => ({
  text,
  path: 'src/routes/user.ts',
  languageId: 'typescript',
  startLine: 10,
  kind: 'selection',
  ...overrides,
});

test('the agent body is the system prompt, not part of the user message', () => {
  const request = buildArchitectRequest({
    agent,
    model: 'claude-sonnet-5-5',
    maxTokens: 1000,
    question: 'Is this safe?',
    contexts: [boundCode(raw('const a = 1;\nconst b = 2;'), 1000)],
  });
  assert.equal(request.system, 'You are the architect.');
  assert.equal(request.model, 'claude-sonnet-5-5');
  assert.equal(request.maxTokens, 1000);
  assert.equal(request.messages.length, 1);
  assert.equal(request.messages[0].role, 'user');
  assert.ok(!request.messages[0].content.includes('You are the architect.'));
});

test('the user message carries the code with its path, language and line range', () => {
  const message = buildUserMessage('Is this safe?', [boundCode(raw('const a = 1;\nconst b = 2;\n'), 1000)]);
  assert.equal(
    message,
    'Is this safe?\n\nSelected code from `src/routes/user.ts, lines 10–11` (typescript):\n\n```typescript\nconst a = 1;\nconst b = 2;\n```',
  );
});

test('an empty question asks for a review of the code', () => {
  const message = buildUserMessage('   ', [boundCode(raw('x'), 100)]);
  assert.ok(message.startsWith(DEFAULT_REVIEW_QUESTION));
  assert.match(message, /line 10\b/);
});

test('a question without code is sent alone', () => {
  assert.equal(buildUserMessage('How do I shard Redis?', []), 'How do I shard Redis?');
});

test('code longer than the limit is cut at a line boundary and the cut is stated', () => {
  const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
  const context = boundCode(raw(text, { kind: 'file', startLine: 1 }), 50);
  assert.equal(context.reference.truncated, true);
  assert.ok(context.code.length <= 50);
  assert.ok(context.code.endsWith('line 7'), context.code);
  assert.equal(context.reference.endLine, 7);
  assert.equal(context.totalLines, 100);
  const message = buildUserMessage('q', [context]);
  assert.match(message, /only the first 7 of 100 lines were sent/);
  assert.match(message, /The file `src\/routes\/user\.ts, lines 1–7`/);
});

test('a single enormous line is cut inside the line rather than dropped', () => {
  const context = boundCode(raw('x'.repeat(500), { startLine: 3 }), 100);
  assert.equal(context.code.length, 100);
  assert.equal(context.reference.truncated, true);
  assert.equal(context.reference.startLine, 3);
  assert.equal(context.reference.endLine, 3);
});

test('code containing backtick fences cannot close the fence around it', () => {
  assert.equal(fenceFor('no ticks'), '```');
  assert.equal(fenceFor('a ```` b'), '`````');
  const message = buildUserMessage('q', [boundCode(raw('```\nescape\n```'), 100)]);
  assert.match(message, /````typescript\n```\nescape\n```\n````$/);
});

test('history is normalized to alternate roles starting with the user', () => {
  assert.deepEqual(
    normalizeHistory([
      { role: 'assistant', content: 'stray answer' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
    ]),
    [
      { role: 'user', content: 'q1\n\nq2' },
      { role: 'assistant', content: 'a2' },
    ],
  );
});

test('prior turns come before the new question', () => {
  const request = buildArchitectRequest({
    agent,
    model: 'm',
    maxTokens: 10,
    question: 'and now?',
    contexts: [],
    history: [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'answer' },
    ],
  });
  assert.deepEqual(
    request.messages.map((m) => m.role),
    ['user', 'assistant', 'user'],
  );
  assert.equal(request.messages[2].content, 'and now?');
});
