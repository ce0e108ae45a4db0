/**
 * The translation between editor-shaped language-model messages and the Messages API, both
 * ways, without any network: request bodies from `buildLmParams`, parts from `LmReplyAssembler`.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import {
  buildLmParams,
  IncompleteToolCallError,
  LmReplyAssembler,
  MISSING_TOOL_RESULT,
  type LmMessage,
  type LmRequest,
  type LmResponsePart,
} from '../../../src/modelPicker/messages';

const text = (t: string) => ({ kind: 'text', text: t }) as const;
const request = (messages: LmMessage[], extra: Partial<LmRequest> = {}): LmRequest => ({
  model: 'claude-sonnet-5-5',
  messages,
  maxTokens: 1000,
  ...extra,
});
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('plain text: merges same-role messages, drops empty text, streams', () => {
  const params = buildLmParams(
    request(
      [
        { role: 'user', content: [text('First'), text('  ')] },
        { role: 'user', content: [text('Second')] },
        { role: 'assistant', content: [text('')] },
        { role: 'assistant', content: [text('Answer')] },
        { role: 'user', content: [text('Third')] },
      ],
      { cachePrompt: false },
    ),
  );
  assert.deepEqual(params, {
    model: 'claude-sonnet-5-5',
    max_tokens: 1000,
    stream: true,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'First' }, { type: 'text', text: 'Second' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Answer' }] },
      { role: 'user', content: [{ type: 'text', text: 'Third' }] },
    ],
  });
});

test('system-role text becomes the cached system parameter; the last user block is a cache breakpoint', () => {
  const params = buildLmParams(
    request([
      { role: 'system', content: [text('You are terse.')] },
      { role: 'system', content: [text('Answer in English.')] },
      { role: 'user', content: [text('Hi')] },
    ]),
  );
  assert.deepEqual(params.system, [{ type: 'text', text: 'You are terse.\n\nAnswer in English.', cache_control: { type: 'ephemeral' } }]);
  assert.deepEqual(params.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }] }]);
});

test('tools: input_schema, a breakpoint on the last tool, Required becomes tool_choice any', () => {
  const params = buildLmParams(
    request([{ role: 'user', content: [text('Go')] }], {
      toolMode: 'required',
      tools: [
        { name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
        { name: 'list_files', description: '' },
      ],
    }),
  );
  assert.deepEqual(params.tools, [
    {
      name: 'read_file',
      description: 'Reads a file',
      input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
    { name: 'list_files', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
  ]);
  assert.deepEqual(params.tool_choice, { type: 'any' });

  const auto = buildLmParams(request([{ role: 'user', content: [text('Go')] }], { tools: [{ name: 't', description: 'd' }] }));
  assert.equal('tool_choice' in auto, false, 'Auto is the API default');
  const none = buildLmParams(request([{ role: 'user', content: [text('Go')] }], { toolMode: 'required', tools: [] }));
  assert.equal('tools' in none || 'tool_choice' in none, false, 'no tools, no tool_choice');
});

test('a tool call and its result: tool_use in the assistant turn, tool_result first in the next user turn', () => {
  const params = buildLmParams(
    request([
      { role: 'user', content: [text('What version is this?')] },
      {
        role: 'assistant',
        content: [text('Let me look.'), { kind: 'toolCall', callId: 'toolu_1', name: 'read_file', input: { path: 'package.json' } }],
      },
      // The editor may put text before the result; the API wants results first.
      {
        role: 'user',
        content: [text('(tool output follows)'), { kind: 'toolResult', callId: 'toolu_1', content: [text('{"version":"1.2.3"}')] }],
      },
    ]),
  );
  assert.deepEqual(params.messages, [
    { role: 'user', content: [{ type: 'text', text: 'What version is this?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'package.json' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '{"version":"1.2.3"}' }] },
        { type: 'text', text: '(tool output follows)', cache_control: { type: 'ephemeral' } },
      ],
    },
  ]);
});

test('a tool call part in a user message still goes to an assistant turn, a result to a user turn', () => {
  const params = buildLmParams(
    request(
      [
        { role: 'user', content: [text('Q')] },
        { role: 'assistant', content: [{ kind: 'toolCall', callId: 'a', name: 't', input: {} }] },
        { role: 'assistant', content: [{ kind: 'toolResult', callId: 'a', content: [text('r')] }] },
      ],
      { cachePrompt: false },
    ),
  );
  assert.deepEqual(
    params.messages.map((m) => m.role),
    ['user', 'assistant', 'user'],
  );
});

test('a call without a result gets an error result; a result without its call becomes text', () => {
  const params = buildLmParams(
    request(
      [
        { role: 'user', content: [text('Q'), { kind: 'toolResult', callId: 'stale', content: [text('old output')] }] },
        {
          role: 'assistant',
          content: [
            { kind: 'toolCall', callId: 'a', name: 'one', input: {} },
            { kind: 'toolCall', callId: 'b', name: 'two', input: {} },
          ],
        },
        { role: 'user', content: [{ kind: 'toolResult', callId: 'b', content: [] }] },
        { role: 'assistant', content: [{ kind: 'toolCall', callId: 'c', name: 'three', input: {} }] },
      ],
      { cachePrompt: false },
    ),
  );
  assert.deepEqual(params.messages, [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Q' },
        { type: 'text', text: 'Result of tool call stale:\nold output' },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 'a', name: 'one', input: {} },
        { type: 'tool_use', id: 'b', name: 'two', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'b' },
        { type: 'tool_result', tool_use_id: 'a', content: MISSING_TOOL_RESULT, is_error: true },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'three', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c', content: MISSING_TOOL_RESULT, is_error: true }] },
  ]);
});

test('data parts: images from the user and in tool results as base64, text types as text, the rest dropped', () => {
  const params = buildLmParams(
    request(
      [
        {
          role: 'user',
          content: [
            text('What is in this screenshot?'),
            { kind: 'data', mimeType: 'image/png', data: PNG },
            { kind: 'data', mimeType: 'text/plain; charset=utf-8', data: new TextEncoder().encode('attached note') },
            { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
            { kind: 'data', mimeType: 'application/octet-stream', data: PNG },
          ],
        },
        {
          role: 'assistant',
          content: [
            { kind: 'data', mimeType: 'image/jpeg', data: PNG },
            { kind: 'toolCall', callId: 's', name: 'screenshot', input: {} },
          ],
        },
        { role: 'user', content: [{ kind: 'toolResult', callId: 's', content: [{ kind: 'data', mimeType: 'image/JPG', data: PNG }] }] },
      ],
      { cachePrompt: false },
    ),
  );
  const base64 = Buffer.from(PNG).toString('base64');
  assert.deepEqual(params.messages, [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this screenshot?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: base64 } },
        { type: 'text', text: 'attached note' },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 's', name: 'screenshot', input: {} }] },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 's', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: base64 } }] }],
    },
  ]);
});

test('cachePrompt false: no cache_control anywhere', () => {
  const params = buildLmParams(
    request(
      [
        { role: 'system', content: [text('S')] },
        { role: 'user', content: [text('Q')] },
      ],
      { cachePrompt: false, tools: [{ name: 't', description: 'd' }] },
    ),
  );
  assert.equal(JSON.stringify(params).includes('cache_control'), false);
  assert.deepEqual(params.system, [{ type: 'text', text: 'S' }]);
});

/** Wire events, typed loosely: the assembler reads only the fields the API always sends. */
const ev = (event: unknown) => event as RawMessageStreamEvent;
function assemble(events: unknown[]): LmResponsePart[] {
  const assembler = new LmReplyAssembler();
  return events.flatMap((e) => assembler.accept(ev(e)));
}
const toolStart = (index: number, id: string, name: string) => ({
  type: 'content_block_start',
  index,
  content_block: { type: 'tool_use', id, name, input: {}, caller: { type: 'direct' } },
});
const jsonDelta = (index: number, partial_json: string) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
const stop = (index: number) => ({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string) => ({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage: { output_tokens: 5 } });

test('stream to parts: text deltas at once, each tool call complete once its JSON is in', () => {
  const assembler = new LmReplyAssembler();
  const feed = (e: unknown) => assembler.accept(ev(e));
  assert.deepEqual(feed({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), []);
  assert.deepEqual(feed({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Reading ' } }), [text('Reading ')]);
  assert.deepEqual(feed({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } }), []);
  assert.deepEqual(feed(stop(0)), []);
  assert.deepEqual(feed(toolStart(1, 'toolu_a', 'read_file')), []);
  assert.deepEqual(feed(jsonDelta(1, '')), []);
  assert.deepEqual(feed(jsonDelta(1, '{"path": "src/')), []);
  assert.deepEqual(feed(jsonDelta(1, 'a.ts", "lines": [1, 2]}')), []);
  assert.deepEqual(feed(stop(1)), [{ kind: 'toolCall', callId: 'toolu_a', name: 'read_file', input: { path: 'src/a.ts', lines: [1, 2] } }]);
  // A tool without input streams no JSON at all.
  feed(toolStart(2, 'toolu_b', 'list_files'));
  assert.deepEqual(feed(stop(2)), [{ kind: 'toolCall', callId: 'toolu_b', name: 'list_files', input: {} }]);
  assert.deepEqual(feed(messageDelta('tool_use')), []);
  assert.deepEqual(feed({ type: 'message_stop' }), []);
  assert.equal(assembler.toolCalls, 2);
});

test('two tool calls interleaved by index are kept apart', () => {
  const parts = assemble([
    toolStart(0, 'x', 'one'),
    toolStart(1, 'y', 'two'),
    jsonDelta(1, '{"b":'),
    jsonDelta(0, '{"a":'),
    jsonDelta(0, '1}'),
    jsonDelta(1, '2}'),
    stop(1),
    stop(0),
  ]);
  assert.deepEqual(parts, [
    { kind: 'toolCall', callId: 'y', name: 'two', input: { b: 2 } },
    { kind: 'toolCall', callId: 'x', name: 'one', input: { a: 1 } },
  ]);
});

test('a call cut by max_tokens is an IncompleteToolCallError that says so; nothing half-parsed is emitted', () => {
  const assembler = new LmReplyAssembler();
  const emitted: LmResponsePart[] = [];
  for (const e of [toolStart(0, 'z', 'write_file'), jsonDelta(0, '{"path":"a.ts","content":"lon'), stop(0)]) {
    emitted.push(...assembler.accept(ev(e)));
  }
  assert.deepEqual(emitted, []);
  assert.throws(
    () => assembler.accept(ev(messageDelta('max_tokens'))),
    (err: unknown) => err instanceof IncompleteToolCallError && err.cutByTokenLimit && /length limit.*“write_file”/.test(err.message),
  );
  assert.throws(
    () => assemble([toolStart(0, 'z', 'write_file'), jsonDelta(0, '[1, 2]'), stop(0), messageDelta('tool_use')]),
    (err: unknown) => err instanceof IncompleteToolCallError && !err.cutByTokenLimit,
  );
});
