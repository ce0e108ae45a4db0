/**
 * streamArchitectReply against the fake Anthropic server, through the real SDK and real HTTP.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LlmCancelledError, LlmTimeoutError } from '../../../../src/core/llm/errors';
import { buildMessageParams, isCancellation, streamArchitectReply } from '../../../../src/core/llm/stream';
import type { ArchitectRequest, ConnectionSettings, StreamEvent } from '../../../../src/core/llm/types';
import type { FakeAnthropic } from '../../../fake-anthropic/server';
import { useFakeAnthropic } from '../../support/fakeApi';

const KEY = 'fake-key-test-stream-0123456789';
let fake: FakeAnthropic;

const settings = (extra: Partial<ConnectionSettings> = {}): ConnectionSettings => ({
  apiKey: KEY,
  baseUrl: fake.url,
  maxRetries: 0,
  ...extra,
});

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: 'You are the LinguaLeap backend architect.',
  messages: [
    { role: 'user', content: 'First question' },
    { role: 'assistant', content: 'First answer' },
    { role: 'user', content: 'Review this:\n```ts\nconst x = 1;\n```' },
  ],
  maxTokens: 2048,
};

async function collect(gen: AsyncGenerator<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of gen) {
    events.push(event);
  }
  return events;
}

useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));

test('streams text deltas in order, then done with usage and the request id', async () => {
  const text = 'Hello **world**, here is `code`.\n\n- one\n- two\n';
  fake.script({
    text,
    chunkSize: 5,
    requestId: 'req_stream_1',
    usage: { input_tokens: 120, output_tokens: 34, cache_read_input_tokens: 7, cache_creation_input_tokens: 11 },
    stopReason: 'max_tokens',
  });
  const events = await collect(streamArchitectReply(settings(), request, new AbortController().signal));

  // message_start's usage comes with the start: billed from then on (the output is 1 until the end).
  assert.deepEqual(events[0], {
    type: 'start',
    requestId: 'req_stream_1',
    model: 'claude-sonnet-5-5',
    usage: { inputTokens: 120, outputTokens: 1, cacheReadTokens: 7, cacheWriteTokens: 11 },
  });
  const deltas = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text);
  assert.equal(deltas.length, Math.ceil(text.length / 5));
  assert.equal(deltas.join(''), text);
  assert.deepEqual(events[events.length - 1], {
    type: 'done',
    stopReason: 'max_tokens',
    requestId: 'req_stream_1',
    usage: { inputTokens: 120, outputTokens: 34, cacheReadTokens: 7, cacheWriteTokens: 11 },
  });
  assert.equal(events.filter((e) => e.type === 'start').length, 1);
  assert.equal(events.filter((e) => e.type === 'done').length, 1);
});

test('start reports the model the API answered with', async () => {
  fake.script({ model: 'claude-sonnet-5-5-20261001' });
  const events = await collect(streamArchitectReply(settings(), request, new AbortController().signal));
  assert.equal(events[0].type === 'start' && events[0].model, 'claude-sonnet-5-5-20261001');
});

test('sends the agent body as a cached system block, with model, max_tokens and messages', async () => {
  await collect(streamArchitectReply(settings(), request, new AbortController().signal));
  const sent = fake.requests[0];
  assert.equal(sent.method, 'POST');
  assert.equal(sent.path, '/v1/messages');
  assert.deepEqual(sent.body, {
    model: 'claude-sonnet-5-5',
    max_tokens: 2048,
    stream: true,
    system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }],
    // The previous answer and the new question carry cache breakpoints (see cacheBreakpoints.test.ts).
    messages: request.messages.map((m, i) =>
      i === 0 ? { role: m.role, content: m.content } : { role: m.role, content: [{ type: 'text', text: m.content, cache_control: { type: 'ephemeral' } }] },
    ),
  });
  // The key went as a bearer token, and the recorded headers do not hold it.
  assert.equal(sent.authScheme, 'bearer');
  assert.equal(sent.authorized, true);
  assert.equal(sent.headers['authorization'], '[REDACTED]');
  assert.ok(!JSON.stringify(fake.requests).includes(KEY));
  assert.equal(sent.headers['anthropic-version'], '2026-10-21');
  assert.equal(sent.headers['traceparent'], undefined, 'no tracing headers leave the machine');
});

test('a second request with the same system prompt reads the prompt cache', async () => {
  const first = await collect(streamArchitectReply(settings(), request, new AbortController().signal));
  const second = await collect(streamArchitectReply(settings(), request, new AbortController().signal));
  const usage = (events: StreamEvent[]) => {
    const done = events[events.length - 1];
    assert.equal(done.type, 'done');
    return done.type === 'done' ? done.usage : undefined;
  };
  assert.ok(usage(first)!.cacheWriteTokens > 0);
  assert.equal(usage(first)!.cacheReadTokens, 0);
  assert.ok(usage(second)!.cacheReadTokens > 0);
  assert.equal(usage(second)!.cacheWriteTokens, 0);
});

test('cacheSystemPrompt: false sends the system prompt as a plain string', async () => {
  await collect(streamArchitectReply(settings(), { ...request, cacheSystemPrompt: false }, new AbortController().signal));
  assert.equal((fake.requests[0].body as { system: unknown }).system, request.system);
});

test('an empty agent body sends no system parameter (the API rejects empty text blocks)', () => {
  const params = buildMessageParams({ ...request, system: '  ' });
  assert.equal('system' in params, false);
});

test('aborting mid-stream closes the connection at once, not at the next chunk', async () => {
  // 1 s between deltas: a close seen well before that cannot be a between-chunks check.
  fake.script({ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 3, delayMs: 1000 });
  const controller = new AbortController();
  const texts: string[] = [];
  let abortedAt = 0;
  await assert.rejects(
    (async () => {
      for await (const event of streamArchitectReply(settings(), request, controller.signal)) {
        if (event.type === 'text') {
          texts.push(event.text);
          abortedAt = Date.now();
          controller.abort();
        }
      }
    })(),
    (err: unknown) => err instanceof LlmCancelledError && isCancellation(err),
  );
  const rejectedAfter = Date.now() - abortedAt;
  const closed = await fake.waitForClose(0, 2000);
  assert.deepEqual(texts, ['abc']);
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - abortedAt < 400, `server saw the close after ${closed.closedAt! - abortedAt} ms`);
  assert.ok(rejectedAfter < 400, `generator ended ${rejectedAfter} ms after abort`);
});

test('aborting while waiting for the response headers is a cancellation too', async () => {
  fake.script({ headersDelayMs: 2000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await assert.rejects(collect(streamArchitectReply(settings(), request, controller.signal)), LlmCancelledError);
  assert.ok(Date.now() - started < 1000);
  const closed = await fake.waitForClose(0, 3000);
  assert.equal(closed.clientAborted, true);
});

test('an already aborted signal sends nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(collect(streamArchitectReply(settings(), request, controller.signal)), LlmCancelledError);
  assert.equal(fake.requests.length, 0);
});

test('returning early from the generator closes the connection', async () => {
  fake.script({ text: 'x'.repeat(60), chunkSize: 2, delayMs: 300 });
  for await (const event of streamArchitectReply(settings(), request, new AbortController().signal)) {
    if (event.type === 'text') {
      break;
    }
  }
  const closed = await fake.waitForClose(0, 1000);
  assert.equal(closed.clientAborted, true);
});

test('a stall after the headers times out after idleTimeoutMs and closes the connection', async () => {
  fake.script({ text: 'abcdef', chunkSize: 2, delayMs: 0, interrupt: { action: 'stall', afterDeltas: 1 } });
  const started = Date.now();
  const texts: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const event of streamArchitectReply(settings({ idleTimeoutMs: 300 }), request, new AbortController().signal)) {
        if (event.type === 'text') {
          texts.push(event.text);
        }
      }
    })(),
    (err: unknown) => err instanceof LlmTimeoutError && !isCancellation(err),
  );
  const elapsed = Date.now() - started;
  assert.deepEqual(texts, ['ab']);
  assert.ok(elapsed >= 280 && elapsed < 1500, `timed out after ${elapsed} ms`);
  assert.equal((await fake.waitForClose(0, 1000)).clientAborted, true);
});

test('a stall before message_start times out too', async () => {
  fake.script({ interrupt: { action: 'stall', afterHeaders: true } });
  await assert.rejects(
    collect(streamArchitectReply(settings({ idleTimeoutMs: 200 }), request, new AbortController().signal)),
    LlmTimeoutError,
  );
});

test('a slow but steady stream does not time out: activity restarts the idle timer', async () => {
  // 100 ms between deltas, 600 ms idle limit, 1.2 s in total.
  fake.script({ text: 'a'.repeat(24), chunkSize: 2, delayMs: 100 });
  const events = await collect(streamArchitectReply(settings({ idleTimeoutMs: 600 }), request, new AbortController().signal));
  assert.equal(events[events.length - 1].type, 'done');
});

test('no response headers within idleTimeoutMs is a timeout, not a cancellation', async () => {
  fake.script({ headersDelayMs: 3000 });
  const started = Date.now();
  await assert.rejects(
    collect(streamArchitectReply(settings({ idleTimeoutMs: 200 }), request, new AbortController().signal)),
    LlmTimeoutError,
  );
  assert.ok(Date.now() - started < 1500);
  assert.equal((await fake.waitForClose(0, 1000)).clientAborted, true);
});
