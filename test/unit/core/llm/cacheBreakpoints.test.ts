import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMessageParams, conversationBreakpointIndexes } from '../../../../src/core/llm/stream';
import type { ArchitectRequest } from '../../../../src/core/llm/types';

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: 'You are the architect.',
  maxTokens: 1024,
  messages: [
    { role: 'user', content: 'First question with code' },
    { role: 'assistant', content: 'First answer' },
    { role: 'user', content: 'Second question' },
    { role: 'assistant', content: 'Second answer' },
    { role: 'user', content: 'Follow-up' },
  ],
};

type Block = { type: string; text: string; cache_control?: { type: string } };

function breakpointsOf(req: ArchitectRequest): number[] {
  return buildMessageParams(req)
    .messages.map((m, i) => (Array.isArray(m.content) && (m.content as Block[]).some((b) => b.cache_control) ? i : -1))
    .filter((i) => i >= 0);
}

void test('the previous answer and the new question carry cache breakpoints; earlier messages stay plain text', () => {
  const params = buildMessageParams(request);
  assert.deepEqual(breakpointsOf(request), [3, 4]);
  assert.deepEqual(params.messages[3], {
    role: 'assistant',
    content: [{ type: 'text', text: 'Second answer', cache_control: { type: 'ephemeral' } }],
  });
  assert.deepEqual(params.messages[4], {
    role: 'user',
    content: [{ type: 'text', text: 'Follow-up', cache_control: { type: 'ephemeral' } }],
  });
  assert.deepEqual(params.messages[0], { role: 'user', content: 'First question with code' });
});

void test('with the system block, at most three of the four breakpoints the API allows are used', () => {
  const params = buildMessageParams(request);
  const system = params.system as Block[];
  const count = system.filter((b) => b.cache_control).length + breakpointsOf(request).length;
  assert.equal(count, 3);
});

void test('a single question carries one breakpoint; none when conversation caching is off', () => {
  const single: ArchitectRequest = { ...request, messages: [{ role: 'user', content: 'Only question' }] };
  assert.deepEqual(breakpointsOf(single), [0]);
  assert.deepEqual(breakpointsOf({ ...request, cacheConversation: false }), []);
  assert.deepEqual(conversationBreakpointIndexes([]), []);
  assert.deepEqual(conversationBreakpointIndexes(single.messages), [0]);
  assert.deepEqual(conversationBreakpointIndexes(request.messages.slice(0, 2)), [0, 1]);
});

void test('the text is unchanged by the breakpoints (what the model reads is the same)', () => {
  const params = buildMessageParams(request);
  const texts = params.messages.map((m) => (typeof m.content === 'string' ? m.content : (m.content as Block[]).map((b) => b.text).join('')));
  assert.deepEqual(
    texts,
    request.messages.map((m) => m.content),
  );
});
