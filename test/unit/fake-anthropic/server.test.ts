/**
 * The fake Anthropic server itself, over plain HTTP: wire format, errors, auth, recording,
 * the control endpoints and the command line.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { DEFAULT_REPLY, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../fake-anthropic/server';
import { useFakeAnthropic } from '../support/fakeApi';

const KEY = 'fake-key-test-fake-0123456789';
let fake: FakeAnthropic;

const body = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra });

function post(path: string, payload: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }, signal?: AbortSignal) {
  return fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload, signal });
}

/** The fields of SSE data frames these tests look at. */
interface SseData {
  type: string;
  message?: { model: string };
  delta?: { type?: string; text?: string; stop_reason?: string };
  usage?: { output_tokens: number };
}
interface ErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id: string;
}
interface MessageBody {
  type: string;
  content: { type: string; text: string }[];
  usage: { output_tokens: number };
}
const json = <T>(res: Response): Promise<T> => res.json() as Promise<T>;

/** Parses an SSE body into (event, data) pairs. */
function parseSse(text: string): { event: string; data: SseData }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') as SseData;
      return { event, data };
    });
}

useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));

test('streams the real event sequence with request-id and text/event-stream', async () => {
  fake.script({ text: 'Hello there', chunkSize: 4, requestId: 'req_seq' });
  const res = await post('/v1/messages', body({ stream: true }));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.equal(res.headers.get('request-id'), 'req_seq');
  const frames = parseSse(await res.text());
  assert.deepEqual(
    frames.map((f) => f.event),
    [
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ],
  );
  for (const frame of frames) {
    assert.equal(frame.data.type, frame.event, 'data.type matches the event name');
  }
  assert.equal(frames[0].data.message?.model, 'claude-sonnet-5-5');
  assert.deepEqual(
    frames.filter((f) => f.event === 'content_block_delta').map((f) => f.data.delta),
    [
      { type: 'text_delta', text: 'Hell' },
      { type: 'text_delta', text: 'o th' },
      { type: 'text_delta', text: 'ere' },
    ],
  );
  const delta = frames[7].data;
  assert.equal(delta.delta?.stop_reason, 'end_turn');
  assert.equal(typeof delta.usage?.output_tokens, 'number');
});

test('the default reply is Markdown with a heading, a list and a ts code block', async () => {
  const res = await post('/v1/messages', body({ stream: true }));
  const text = parseSse(await res.text())
    .filter((f) => f.event === 'content_block_delta')
    .map((f) => f.data.delta?.text)
    .join('');
  assert.equal(text, DEFAULT_REPLY);
  assert.match(text, /^## /m);
  assert.match(text, /^- /m);
  assert.match(text, /^```ts\n[\s\S]+?\n```$/m);
});

test('non-streaming requests get a JSON message', async () => {
  fake.script({ text: 'plain', usage: { output_tokens: 2 } });
  const res = await post('/v1/messages', body());
  assert.equal(res.status, 200);
  const message = await json<MessageBody>(res);
  assert.equal(message.type, 'message');
  assert.deepEqual(message.content, [{ type: 'text', text: 'plain' }]);
  assert.equal(message.usage.output_tokens, 2);
  assert.match(res.headers.get('request-id') ?? '', /^req_fake_/);
});

test('count_tokens returns an estimate and does not take a scenario', async () => {
  fake.script({ status: 500 });
  const res = await post('/v1/messages/count_tokens', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }] }));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { input_tokens: 100 });
  assert.equal((await post('/v1/messages', body())).status, 500, 'the scenario was still queued');
});

test('count_tokens answers with a set number, an error or late, until reset', async () => {
  const count = () => post('/v1/messages/count_tokens', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(400) }] }));
  fake.setCountTokens({ inputTokens: 123_456 });
  assert.deepEqual(await (await count()).json(), { input_tokens: 123_456 });
  fake.setCountTokens({ status: 529 });
  const failed = await count();
  assert.equal(failed.status, 529);
  assert.equal((await json<ErrorBody>(failed)).error.type, 'overloaded_error');
  assert.equal(fake.requests.at(-1)?.outcome, 'error');
  fake.setCountTokens({ delayMs: 150 });
  const started = Date.now();
  assert.equal((await count()).status, 200);
  assert.ok(Date.now() - started >= 140, 'answered late');
  fake.reset();
  assert.deepEqual(await (await count()).json(), { input_tokens: 100 });
  const control = await fetch(`${fake.url}/__control/script`, { method: 'POST', body: JSON.stringify({ countTokens: { inputTokens: 7 } }) });
  assert.equal(control.status, 200);
  assert.deepEqual(await (await count()).json(), { input_tokens: 7 });
});

const cases: [number, string][] = [
  [400, 'invalid_request_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [429, 'rate_limit_error'],
  [500, 'api_error'],
  [529, 'overloaded_error'],
];
for (const [status, type] of cases) {
  test(`status ${status} answers with the real error body (${type})`, async () => {
    fake.script({ status, retryAfter: status === 429 ? 7 : undefined, requestId: `req_${status}` });
    const res = await post('/v1/messages', body({ stream: true }));
    assert.equal(res.status, status);
    assert.equal(res.headers.get('request-id'), `req_${status}`);
    assert.equal(res.headers.get('retry-after'), status === 429 ? '7' : null);
    const error = await json<ErrorBody>(res);
    assert.equal(error.type, 'error');
    assert.equal(error.error.type, type);
    assert.equal(typeof error.error.message, 'string');
    assert.equal(error.request_id, `req_${status}`);
  });
}

test('auth: bearer and x-api-key accepted, wrong or missing key is a 401, the key is never recorded', async () => {
  assert.equal((await post('/v1/messages', body(), { 'x-api-key': KEY })).status, 200);
  const wrong = await post('/v1/messages', body(), { authorization: 'Bearer fake-key-nope-000000' });
  assert.equal(wrong.status, 401);
  assert.equal((await json<ErrorBody>(wrong)).error.type, 'authentication_error');
  assert.equal((await post('/v1/messages', body(), {})).status, 401);

  const [xKey, bad, none] = fake.requests;
  assert.equal(xKey.authScheme, 'x-api-key');
  assert.equal(xKey.authorized, true);
  assert.equal(xKey.headers['x-api-key'], '[REDACTED]');
  assert.equal(bad.authScheme, 'bearer');
  assert.equal(bad.authorized, false);
  assert.equal(none.authScheme, 'none');
  assert.equal(none.authorized, false);
  const recorded = JSON.stringify(fake.requests);
  assert.ok(!recorded.includes(KEY) && !recorded.includes('fake-key-nope'));
});

test('any key is accepted when no validKey is configured', async () => {
  const open = await startFakeAnthropic();
  try {
    const res = await fetch(`${open.url}/v1/messages`, { method: 'POST', headers: { authorization: 'Bearer whatever' }, body: body() });
    assert.equal(res.status, 200);
    assert.equal(open.requests[0].authorized, true);
  } finally {
    await open.close();
  }
});

test('GET /v1/models lists the current models', async () => {
  const res = await fetch(`${fake.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
  const list = await json<{ data: { id: string }[] }>(res);
  assert.deepEqual(
    list.data.map((m) => m.id),
    ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'],
  );
});

test('a request without model or max_tokens is a 400 invalid_request_error; unknown paths are 404', async () => {
  const res = await post('/v1/messages', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }));
  assert.equal(res.status, 400);
  assert.match((await json<ErrorBody>(res)).error.message, /max_tokens/);
  const missing = await post('/v1/nothing', '{}');
  assert.equal(missing.status, 404);
  assert.equal((await json<ErrorBody>(missing)).error.type, 'not_found_error');
});

test('records method, path, parsed body and the scenario; scenarios are taken in order, then the default', async () => {
  fake.script({ text: 'first' }, { text: 'second' });
  for (let i = 0; i < 3; i++) {
    await (await post('/v1/messages', body({ stream: true }))).text();
  }
  const texts = fake.requests.map((r: RecordedRequest) => r.scenario?.text);
  assert.deepEqual(texts, ['first', 'second', undefined]);
  assert.equal(fake.requests[0].method, 'POST');
  assert.equal(fake.requests[0].path, '/v1/messages');
  assert.deepEqual((fake.requests[0].body as { messages: unknown }).messages, [{ role: 'user', content: 'hi' }]);
  assert.equal(fake.requests[2].outcome, 'streamed');
});

test('records when the client closed the connection mid-stream', async () => {
  fake.script({ text: 'x'.repeat(100), chunkSize: 1, delayMs: 1000 });
  const controller = new AbortController();
  const res = await post('/v1/messages', body({ stream: true }), undefined, controller.signal);
  const reader = res.body!.getReader();
  await reader.read();
  const abortedAt = Date.now();
  controller.abort();
  const closed = await fake.waitForClose(0, 1000);
  assert.equal(closed.closed, true);
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - abortedAt < 500);
});

test('a completed response is closed but not client-aborted', async () => {
  await (await post('/v1/messages', body({ stream: true }))).text();
  const closed = await fake.waitForClose(0, 1000);
  assert.equal(closed.clientAborted, false);
});

test('control endpoints: script (array and object forms), requests, reset', async () => {
  const control = (path: string, payload?: unknown) =>
    fetch(`${fake.url}/__control/${path}`, { method: 'POST', body: payload === undefined ? undefined : JSON.stringify(payload) });

  assert.equal((await control('script', [{ status: 529 }])).status, 200);
  assert.equal((await control('script', { scenarios: [{ text: 'scripted' }], default: { text: 'new default' } })).status, 200);
  assert.equal((await post('/v1/messages', body())).status, 529);
  assert.equal((await json<MessageBody>(await post('/v1/messages', body()))).content[0].text, 'scripted');
  assert.equal((await json<MessageBody>(await post('/v1/messages', body()))).content[0].text, 'new default');

  const listed = await json<RecordedRequest[]>(await fetch(`${fake.url}/__control/requests`));
  assert.equal(listed.length, 3, 'control requests are not recorded');
  assert.equal(listed[0].headers['authorization'], '[REDACTED]');

  assert.equal((await control('reset')).status, 200);
  assert.equal(fake.requests.length, 0);
  assert.equal((await json<MessageBody>(await post('/v1/messages', body()))).content[0].text, DEFAULT_REPLY);
});

test('command line: prints {"url"} on stdout, streams the default reply with a delay, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'fake-anthropic', 'server.js'), '--port', '0', '--valid-key', KEY], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    const { url } = JSON.parse(String(line)) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const started = Date.now();
    const res = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: body({ stream: true }),
    });
    const frames = parseSse(await res.text());
    const deltas = frames.filter((f) => f.event === 'content_block_delta');
    assert.ok(deltas.length > 10, 'small deltas');
    assert.equal(deltas.map((f) => f.data.delta?.text).join(''), DEFAULT_REPLY);
    assert.ok(Date.now() - started >= deltas.length * 5, 'with a delay between deltas');
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0);
});
