/**
 * runLmTurn and TokenCounter against the fake Anthropic server, through the real SDK over real
 * HTTP: the tool-call round trip, cancellation, failures, the log line, token counting.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { LmMessage, LmRequest, LmResponsePart } from '../../../src/modelPicker/messages';
import { IMAGE_TOKEN_ESTIMATE, runLmTurn, TokenCounter, type LmTurnInput, type LmTurnResult } from '../../../src/modelPicker/stream';
import { estimateTokens } from '../../../src/core/prompt/tokens';
import type { FakeAnthropic } from '../../fake-anthropic/server';
import { logRecorders, useFakeAnthropic } from '../support/fakeApi';

const KEY = 'fake-key-test-lmstream-0123456789abcdef';
const SECRET_TEXT = 'const internalPricingRule = 42;';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));
/** Every line any test logs is checked for the key and for content of the conversation. */
const recorder = logRecorders([KEY, SECRET_TEXT, '1.2.3']);

const text = (t: string) => ({ kind: 'text', text: t }) as const;

/** A conversation with a finished tool call: what Agent mode sends on its second round. */
const toolHistory: LmMessage[] = [
  { role: 'user', content: [text(`Which version is this? ${SECRET_TEXT}`)] },
  {
    role: 'assistant',
    content: [text('Let me read it.'), { kind: 'toolCall', callId: 'toolu_prev', name: 'read_file', input: { path: 'package.json' } }],
  },
  { role: 'user', content: [{ kind: 'toolResult', callId: 'toolu_prev', content: [text('{"version":"1.2.3"}')] }] },
];
const readFileTool = {
  name: 'read_file',
  description: 'Reads a file of the workspace',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

async function run(request: Partial<LmRequest> = {}, extra: Partial<LmTurnInput> = {}): Promise<{ result: LmTurnResult; parts: LmResponsePart[]; lines: string[] }> {
  const parts: LmResponsePart[] = [];
  const logger = recorder();
  const result = await runLmTurn({
    settings: { apiKey: KEY, baseUrl: fake.url, maxRetries: 0 },
    request: { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: [text('Hello')] }], maxTokens: 2048, ...request },
    signal: new AbortController().signal,
    onPart: (part) => parts.push(part),
    logger,
    ...extra,
  });
  return { result, parts, lines: logger.lines.map((line) => line.message) };
}

test('text streams as text parts in order and completes with usage and the request id', async () => {
  fake.script({ text: 'Hello from Claude.', chunkSize: 4, requestId: 'req_lm_1' });
  const { result, parts } = await run();
  assert.equal(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''), 'Hello from Claude.');
  assert.equal(parts.length, Math.ceil('Hello from Claude.'.length / 4));
  assert.equal(result.status, 'completed');
  assert.equal(result.requestId, 'req_lm_1');
  assert.equal(result.status === 'completed' && result.stopReason, 'end_turn');
  assert.equal(result.textChars, 'Hello from Claude.'.length);
});

test('tool-call round trip: a history with a call and its result goes out as tool_use/tool_result, a streamed tool_use comes back as one call', async () => {
  fake.script({
    text: 'Now the changelog. ',
    chunkSize: 100,
    toolCalls: [
      { id: 'toolu_next', name: 'read_file', input: { path: 'CHANGELOG.md', range: { from: 1, to: 40 } }, jsonChunkSize: 6 },
      { name: 'list_files' },
    ],
  });
  const { result, parts, lines } = await run({ messages: toolHistory, tools: [readFileTool, { name: 'list_files', description: 'Lists files' }] });

  assert.equal(result.status, 'completed', JSON.stringify(result));
  assert.equal(result.status === 'completed' && result.stopReason, 'tool_use');
  assert.deepEqual(parts, [
    text('Now the changelog. '),
    { kind: 'toolCall', callId: 'toolu_next', name: 'read_file', input: { path: 'CHANGELOG.md', range: { from: 1, to: 40 } } },
    { kind: 'toolCall', callId: 'toolu_fake_0_1', name: 'list_files', input: {} },
  ]);
  assert.equal(result.toolCalls, 2);

  // The fake checks the API's pairing rules, so a 200 already says the body was well formed.
  const body = fake.requests[0].body as { messages: { role: string; content: { type: string }[] }[]; tools: unknown[] };
  assert.deepEqual(
    body.messages.map((m) => `${m.role}:${m.content.map((b) => b.type).join('+')}`),
    ['user:text', 'assistant:text+tool_use', 'user:tool_result'],
  );
  assert.deepEqual(body.tools[0], {
    name: 'read_file',
    description: 'Reads a file of the workspace',
    input_schema: readFileTool.inputSchema,
  });
  assert.match(lines[0], /^Model picker request: model=claude-sonnet-5-5 request=\d+ chars in 3 messages images=0 tools=2 id=req_fake_\d+ .*outcome=completed received=19 chars, 2 tool calls stop=tool_use usage in=\d+/);
});

test('Required tool mode sends tool_choice any; an image reaches the API as a base64 block', async () => {
  fake.script({ toolCalls: [{ name: 'read_file', input: { path: 'a.png' } }] });
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  const { result, lines } = await run({
    messages: [{ role: 'user', content: [text('Describe'), { kind: 'data', mimeType: 'image/png', data: png }] }],
    tools: [readFileTool],
    toolMode: 'required',
  });
  assert.equal(result.status, 'completed');
  const body = fake.requests[0].body as { tool_choice: unknown; messages: { content: { type: string; source?: unknown }[] }[] };
  assert.deepEqual(body.tool_choice, { type: 'any' });
  assert.deepEqual(body.messages[0].content[1].source, { type: 'base64', media_type: 'image/png', data: Buffer.from(png).toString('base64') });
  assert.match(lines[0], /images=1 tools=1 \(required\)/);
});

test('stopping mid-stream closes the connection at once and settles as cancelled, not failed', async () => {
  fake.script({ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 2, delayMs: 400 });
  const controller = new AbortController();
  let abortedAt = 0;
  const { result, parts } = await run(
    {},
    {
      signal: controller.signal,
      onPart: () => {
        abortedAt = Date.now();
        controller.abort();
      },
    },
  );
  const closed = await fake.waitForClose(0, 2000);
  assert.equal(result.status, 'cancelled');
  assert.equal(parts.length, 0, 'the test onPart does not collect');
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - abortedAt < 200, `server saw the close ${closed.closedAt! - abortedAt} ms after the abort`);
});

test('stopping during a tool call stops too, and reports no half call', async () => {
  fake.script({ toolCalls: [{ name: 'read_file', input: { path: 'a-rather-long-path/to/some/file.ts' }, jsonChunkSize: 3 }], delayMs: 300 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 500);
  const { result, parts } = await run({ tools: [readFileTool] }, { signal: controller.signal });
  assert.equal(result.status, 'cancelled');
  assert.deepEqual(parts, []);
  assert.equal((await fake.waitForClose(0, 2000)).clientAborted, true);
});

test('failures are one sentence: a bad key, and a tool call cut by max_tokens', async () => {
  const badKey = await runLmTurn({
    settings: { apiKey: 'fake-key-wrong-key-000000000', baseUrl: fake.url, maxRetries: 0 },
    request: { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: [text('Hi')] }], maxTokens: 100 },
    signal: new AbortController().signal,
    onPart: () => undefined,
    logger: recorder(),
  });
  assert.equal(badKey.status === 'failed' && badKey.failure.kind, 'auth');

  fake.script({ toolCalls: [{ name: 'write_file', rawJson: '{"path":"a.ts","content":"cut he' }], stopReason: 'max_tokens' });
  const { result, parts, lines } = await run({ tools: [readFileTool] });
  assert.equal(result.status, 'failed');
  assert.equal(result.status === 'failed' && result.failure.kind, 'streamError');
  assert.match(result.status === 'failed' ? result.failure.message : '', /length limit in the middle of a call to the tool “write_file”/);
  assert.deepEqual(parts, []);
  assert.match(lines[lines.length - 1], /outcome=failed .*kind=streamError/);
});

test('token counting: count_tokens once per text, shared by concurrent callers', async () => {
  const counter = new TokenCounter();
  const settings = { apiKey: KEY, baseUrl: fake.url };
  const signal = new AbortController().signal;
  const sample = 'Count the tokens of this sentence, please.';
  const [a, b] = await Promise.all([counter.count(settings, 'claude-sonnet-5-5', sample, signal), counter.count(settings, 'claude-sonnet-5-5', sample, signal)]);
  assert.equal(a, b);
  assert.ok(a > 0);
  assert.equal(await counter.count(settings, 'claude-sonnet-5-5', sample, signal), a);
  assert.equal(fake.requests.length, 1);
  assert.equal(fake.requests[0].path, '/v1/messages/count_tokens');
  assert.deepEqual(fake.requests[0].body, { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: sample }] });

  // Another model is another count; whitespace needs no request.
  await counter.count(settings, 'claude-haiku-5-5', sample, signal);
  assert.equal(await counter.count(settings, 'claude-haiku-5-5', '   ', signal), 1);
  assert.equal(fake.requests.length, 2);
});

test('token counting of a message: its text, tool calls and results, plus an estimate per image', async () => {
  const counter = new TokenCounter();
  const settings = { apiKey: KEY, baseUrl: fake.url };
  const message: LmMessage = {
    role: 'user',
    content: [
      text('Look:'),
      { kind: 'data', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) },
      { kind: 'toolResult', callId: 'x', content: [text('result text')] },
    ],
  };
  const count = await counter.count(settings, 'claude-sonnet-5-5', message, new AbortController().signal);
  const sent = (fake.requests[0].body as { messages: { content: string }[] }).messages[0].content;
  assert.equal(sent, 'Look:\n\nresult text');
  assert.equal(count, IMAGE_TOKEN_ESTIMATE + Math.ceil(sent.length / 4), 'the fake counts chars/4');

  // Without a key, the same message is estimated: its text as the token budget estimates it.
  const estimated = await counter.count(undefined, 'claude-sonnet-5-5', message, new AbortController().signal);
  assert.equal(estimated, IMAGE_TOKEN_ESTIMATE + estimateTokens('Look:\n\nresult text'));
  assert.equal(fake.requests.length, 1);
});

test('token counting without a key, or when the API fails, estimates as the token budget does; after a failure it stops asking for a while', async () => {
  let now = 1_000_000;
  const fallbacks: unknown[] = [];
  const counter = new TokenCounter({ now: () => now, backoffMs: 60_000, onFallback: (err) => fallbacks.push(err) });
  const signal = new AbortController().signal;
  // Code: four characters a token would count too few of its tokens.
  const sample = 'const lessons = await prisma.lesson.findMany({ where: { userId }, take: 20 });';
  const estimate = estimateTokens(sample);
  assert.ok(estimate > Math.ceil(sample.length / 4), `${estimate} tokens`);

  assert.equal(await counter.count(undefined, 'claude-sonnet-5-5', sample, signal), estimate);
  assert.equal(fake.requests.length, 0);

  const wrongKey = { apiKey: 'fake-key-wrong-key-000000000', baseUrl: fake.url };
  assert.equal(await counter.count(wrongKey, 'claude-sonnet-5-5', sample, signal), estimate);
  assert.equal(fake.requests.length, 1);
  assert.equal(fallbacks.length, 1);
  assert.equal(await counter.count(wrongKey, 'claude-sonnet-5-5', `${sample} // why?`, signal), estimateTokens(`${sample} // why?`));
  assert.equal(fake.requests.length, 1, 'no request during the back-off');

  now += 60_001;
  const good = { apiKey: KEY, baseUrl: fake.url };
  await counter.count(good, 'claude-sonnet-5-5', sample, signal);
  assert.equal(fake.requests.length, 2, 'asks again after the back-off');
  assert.equal(fallbacks.length, 1);

  // Nothing listening: a connection error, the same estimate.
  const offline = { apiKey: KEY, baseUrl: 'http://127.0.0.1:9' };
  assert.equal(await counter.count(offline, 'claude-sonnet-5-5', 'Cache it in Redis.', signal), estimateTokens('Cache it in Redis.'));
  assert.equal(fallbacks.length, 2);
});

test('the fake enforces the API rules the translation must keep, so a 200 above means a well-formed body', async () => {
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 10, ...body }),
    });
    return { status: res.status, message: ((await res.json()) as { error?: { message: string } }).error?.message ?? '' };
  };
  const user = (content: unknown) => ({ role: 'user', content });
  const call = { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] };
  const result = { type: 'tool_result', tool_use_id: 't1', content: 'ok' };

  assert.match((await post({ messages: [user('q'), call, user('no result')] })).message, /`tool_use` ids were found without `tool_result` blocks immediately after: t1/);
  assert.match((await post({ messages: [user('q'), call, user([{ type: 'text', text: 'first' }, result])] })).message, /must come before any other content/);
  assert.match((await post({ messages: [user([result])] })).message, /unexpected `tool_use_id`/);
  assert.match((await post({ messages: [user([{ type: 'text', text: ' ' }])] })).message, /non-whitespace text/);
  assert.match((await post({ messages: [user('q')], tools: [{ name: 'f', input_schema: {} }] })).message, /input_schema.type/);
  assert.match((await post({ messages: [user('q')], tool_choice: { type: 'any' } })).message, /only be specified while providing tools/);
  assert.match(
    (await post({ messages: [user('q'), { role: 'assistant', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }] }] })).message,
    /only allowed in user messages/,
  );
  assert.equal((await post({ messages: [user('q'), call, user([result, { type: 'text', text: 'then this' }])] })).status, 200);
});
