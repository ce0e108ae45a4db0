/**
 * The fake's prompt-cache accounting, over plain HTTP: prefixes (tools, system, messages) up to
 * each `cache_control` breakpoint, read and written as the real API counts them, the usage in
 * `message_start`, and the four-breakpoint limit.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { startFakeAnthropic, type FakeAnthropic, type WireUsage } from '../../fake-anthropic/server';
import { useFakeAnthropic } from '../support/fakeApi';

const KEY = 'fake-key-test-cache-0123456789';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0, text: 'ok' } }, (started) => (fake = started));

const EPHEMERAL = { type: 'ephemeral' };
/** 1,000 tokens by the fake's chars/4 estimate. */
const SYSTEM = 'S'.repeat(4000);
/** 100 tokens each. */
const Q1 = 'q'.repeat(400);
const A1 = 'a'.repeat(400);
const Q2 = 'z'.repeat(400);
/** 10 tokens, never marked. */
const TAIL = 't'.repeat(40);

const text = (t: string, marked = false) => ({ type: 'text', text: t, ...(marked ? { cache_control: EPHEMERAL } : {}) });

async function usageOf(body: Record<string, unknown>, target: FakeAnthropic = fake): Promise<WireUsage> {
  const res = await fetch(`${target.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, ...body }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { usage } = (await res.json()) as { usage: WireUsage };
  return usage;
}

const cacheOf = (u: WireUsage) => ({ read: u.cache_read_input_tokens, write: u.cache_creation_input_tokens, input: u.input_tokens });

test('a request reads the longest prefix ending at one of its breakpoints that an earlier one wrote, and writes the rest', async () => {
  const system = [text(SYSTEM, true)];
  const first = { system, messages: [{ role: 'user', content: [text(Q1, true), text(TAIL)] }] };
  // Nothing cached yet: system + Q1 written (1,100), the unmarked tail is plain input.
  assert.deepEqual(cacheOf(await usageOf(first)), { read: 0, write: 1100, input: 10 });
  // The same prompt again: all of it read.
  assert.deepEqual(cacheOf(await usageOf(first)), { read: 1100, write: 0, input: 10 });
  // A follow-up marking where the first one ended reads that, and writes what is new.
  const followUp = {
    system,
    messages: [
      { role: 'user', content: [text(Q1, true), text(TAIL)] },
      { role: 'assistant', content: A1 },
      { role: 'user', content: [text(Q2, true)] },
    ],
  };
  assert.deepEqual(cacheOf(await usageOf(followUp)), { read: 1100, write: 210, input: 0 });
  // Only at breakpoints: without the mark on Q1, the longest cached prefix that ends at one
  // of this request's breakpoints is the system prompt (the real API would also look back
  // about 20 blocks; the fake does not, so a test that passes here hits the cache for real).
  const unmarked = {
    system,
    messages: [
      { role: 'user', content: [text(Q1), text(TAIL)] },
      { role: 'assistant', content: A1 },
      { role: 'user', content: [text(Q2), text(TAIL, true)] },
    ],
  };
  assert.deepEqual(cacheOf(await usageOf(unmarked)), { read: 1000, write: 320, input: 0 });
  assert.deepEqual(fake.requests.at(-1)?.usage && cacheOf(fake.requests.at(-1)!.usage!), { read: 1000, write: 320, input: 0 }, 'recorded too');
});

test('tools come first in the prefix: another tool invalidates the cached system prompt, another question does not', async () => {
  const tool = { name: 'Read', description: 'Reads a file.', input_schema: { type: 'object' } };
  const body = (tools: unknown[], question: string) => ({ tools, system: [text(SYSTEM, true)], messages: [{ role: 'user', content: question }] });
  const written = await usageOf(body([tool], 'First?'));
  assert.equal(written.cache_read_input_tokens, 0);
  assert.ok(written.cache_creation_input_tokens > 1000, 'tools and system written');
  const again = await usageOf(body([tool], 'Another question?'));
  assert.equal(again.cache_read_input_tokens, written.cache_creation_input_tokens);
  assert.equal(again.cache_creation_input_tokens, 0);
  const changed = await usageOf(body([{ ...tool, description: 'Reads any file.' }], 'Another question?'));
  assert.equal(changed.cache_read_input_tokens, 0);
  assert.ok(changed.cache_creation_input_tokens > 1000);
});

test('the cache is per model, and a reset empties it', async () => {
  const body = { system: [text(SYSTEM, true)], messages: [{ role: 'user', content: 'hi' }] };
  assert.equal((await usageOf(body)).cache_creation_input_tokens, 1000);
  assert.equal((await usageOf({ ...body, model: 'claude-opus-5-5' })).cache_read_input_tokens, 0);
  assert.equal((await usageOf(body)).cache_read_input_tokens, 1000);
  fake.reset();
  assert.equal((await usageOf(body)).cache_read_input_tokens, 0);
});

test('usage as the real API streams it: input and cache numbers in message_start, the output in message_delta', async () => {
  fake.script({ text: 'Four words of text.', chunkSize: 5 });
  const res = await fetch(`${fake.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, stream: true, system: [text(SYSTEM, true)], messages: [{ role: 'user', content: Q1 }] }),
  });
  const frames = (await res.text())
    .split('\n\n')
    .filter((f) => f.startsWith('event: message_'))
    .map((f) => JSON.parse(/^data: (.*)$/m.exec(f)![1]) as { type: string; message?: { usage: WireUsage }; usage?: WireUsage });
  const start = frames.find((f) => f.type === 'message_start')!.message!.usage;
  const delta = frames.find((f) => f.type === 'message_delta')!.usage!;
  assert.deepEqual(start, { input_tokens: 100, output_tokens: 1, cache_creation_input_tokens: 1000, cache_read_input_tokens: 0 });
  assert.equal(delta.output_tokens, 5);
  assert.deepEqual(fake.requests[0].usage, { input_tokens: 100, output_tokens: 5, cache_creation_input_tokens: 1000, cache_read_input_tokens: 0 });
});

test('at most four cache_control breakpoints per request: a fifth is a 400, on count_tokens too', async () => {
  const tools = [{ name: 'Read', input_schema: { type: 'object' }, cache_control: EPHEMERAL }];
  const messages = [
    { role: 'user', content: [text('one', true)] },
    { role: 'assistant', content: [text('two', true)] },
    {
      role: 'user',
      content: [text('three', true), text('four', true)],
    },
  ];
  const send = (path: string, body: unknown) =>
    fetch(`${fake.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) });
  const five = { model: 'claude-sonnet-5-5', max_tokens: 100, tools, messages };
  for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
    const res = await send(path, five);
    assert.equal(res.status, 400, path);
    const error = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(error.error.type, 'invalid_request_error');
    assert.equal(error.error.message, 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
  }
  assert.equal((await send('/v1/messages', { ...five, tools: [{ ...tools[0], cache_control: undefined }] })).status, 200, 'four is fine');
  // A mark inside a tool_result's content counts too.
  const nested = [
    ...messages.slice(0, 2),
    { role: 'user', content: [text('three', true), text('four', true)] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [text('five', true)] }] },
  ];
  const nestedRes = await send('/v1/messages', { ...five, tools: [{ name: 'Read', input_schema: { type: 'object' } }], messages: nested });
  assert.equal(nestedRes.status, 400);
  assert.match(((await nestedRes.json()) as { error: { message: string } }).error.message, /Found 5\.$/);
});

test('minCacheableTokens: a prefix shorter than the minimum is neither written nor read', async () => {
  const strict = await startFakeAnthropic({ validKey: KEY, minCacheableTokens: 1024, defaultScenario: { text: 'ok' } });
  try {
    const short = { system: [text(SYSTEM, true)], messages: [{ role: 'user', content: [text(Q1, true)] }] };
    // The system prompt alone (1,000 tokens) is too short; with the question (1,100) it is not.
    assert.deepEqual(cacheOf(await usageOf(short, strict)), { read: 0, write: 1100, input: 0 });
    const other = { system: [text(SYSTEM, true)], messages: [{ role: 'user', content: 'something else' }] };
    assert.deepEqual(cacheOf(await usageOf(other, strict)), { read: 0, write: 0, input: 1004 });
  } finally {
    await strict.close();
  }
});
