import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMessageParams, conversationBreakpointIndexes } from '../../../../src/core/llm/stream';
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { ArchitectRequest, BlockTurn, RequestMessage } from '../../../../src/core/llm/types';

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

const tools = [
  { name: 'Glob', description: 'Finds files.', input_schema: { type: 'object' } },
  { name: 'Read', description: 'Reads a file.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
  { type: 'web_search_20250305', name: 'web_search' },
];
const call = (id: string): BlockTurn => ({
  role: 'assistant',
  content: [
    { type: 'text', text: 'Looking.' },
    { type: 'tool_use', id, name: 'Read', input: { file_path: 'a.ts' } },
  ],
});
const result = (id: string): BlockTurn => ({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'export const a = 1;' }] });

/** Where `cache_control` sits: `tools.i`, `system.i`, `messages.i.j`. */
function marks(req: ArchitectRequest<RequestMessage>): string[] {
  const params = buildMessageParams(req);
  const found: string[] = [];
  (params.tools ?? []).forEach((t, i) => 'cache_control' in t && t.cache_control && found.push(`tools.${i}`));
  (Array.isArray(params.system) ? params.system : []).forEach((b, i) => b.cache_control && found.push(`system.${i}`));
  params.messages.forEach((m, i) =>
    (Array.isArray(m.content) ? m.content : []).forEach((b, j) => 'cache_control' in b && b.cache_control && found.push(`messages.${i}.${j}`)),
  );
  return found;
}

const turn: ArchitectRequest<RequestMessage> = {
  ...request,
  tools,
  messages: [...request.messages, call('toolu_1'), result('toolu_1'), call('toolu_2'), result('toolu_2')],
};

void test('a tool turn: the last tool, the system prompt, where the previous step ended and the newest message; four at most', () => {
  // messages: 0..4 the conversation, 5 call, 6 result, 7 call, 8 result. The previous step's
  // request ended with message 6; this one ends with message 8.
  assert.deepEqual(marks(turn), ['tools.2', 'system.0', 'messages.6.0', 'messages.8.0']);
  assert.deepEqual(conversationBreakpointIndexes(turn.messages), [6, 8]);
  assert.deepEqual(marks({ ...turn, tools: undefined }), ['system.0', 'messages.6.0', 'messages.8.0']);
  // The first step of the turn: the question, and the previous answer (as for a plain question).
  assert.deepEqual(marks({ ...turn, messages: request.messages }), ['tools.2', 'system.0', 'messages.3.0', 'messages.4.0']);
});

void test('cache_control already in the tools or blocks is replaced: the count never passes four', () => {
  const marked: ContentBlockParam[] = [
    { type: 'text', text: 'Looking.', cache_control: { type: 'ephemeral' } },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {}, cache_control: { type: 'ephemeral' } },
  ];
  const messages: RequestMessage[] = [...request.messages, { role: 'assistant', content: marked }, result('toolu_1')];
  const found = marks({ ...turn, messages });
  assert.deepEqual(found, ['tools.2', 'system.0', 'messages.4.0', 'messages.6.0']);
  const params = buildMessageParams({ ...turn, messages });
  assert.equal((params.tools?.[1] as { cache_control?: unknown }).cache_control, undefined, 'the Read tool lost its own mark');
  assert.deepEqual(params.messages[5].content, [
    { type: 'text', text: 'Looking.' },
    { type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} },
  ]);
  // The caller's objects are not changed.
  assert.deepEqual(tools[1].cache_control, { type: 'ephemeral' });
  assert.ok(marked[0].type === 'text' && marked[0].cache_control);
});

void test('after pause_turn the paused assistant message is the newest; the question before it is where the previous request ended', () => {
  const paused: BlockTurn = {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Searching.' },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
    ],
  };
  const messages: RequestMessage[] = [{ role: 'user', content: 'Q' }, paused];
  assert.deepEqual(marks({ ...turn, messages }), ['tools.2', 'system.0', 'messages.0.0', 'messages.1.1']);
});

void test('without the system breakpoint the tools lose theirs too; a thinking block never carries one', () => {
  const thinking: BlockTurn = {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Answer.' },
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
    ],
  };
  const messages: RequestMessage[] = [{ role: 'user', content: 'Q' }, thinking];
  assert.deepEqual(marks({ ...turn, messages, cacheSystemPrompt: false }), ['messages.0.0', 'messages.1.0']);
  assert.deepEqual(marks({ ...turn, cacheConversation: false }), ['tools.2', 'system.0']);
});
