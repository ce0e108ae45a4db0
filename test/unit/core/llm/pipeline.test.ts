/**
 * runArchitectTurn, the pipeline both the panel and the chat participant call: results,
 * cancellation, retries and what it logs.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { anthropicReplies, runArchitectTurn, type TurnInput, type TurnResult } from '../../../../src/core/llm/pipeline';
import type { ArchitectRequest } from '../../../../src/core/llm/types';
import type { FakeAnthropic } from '../../../fake-anthropic/server';
import { logRecorders, useFakeAnthropic } from '../../support/fakeApi';

const KEY = 'fake-key-test-pipeline-0123456789abcdef';
const CODE = 'const secretBusinessLogic = computeLessonScore(user);';
const SYSTEM = 'You are the LinguaLeap backend architect. Be precise.';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));
/** Every line any test logs is checked for the key, the code and the system prompt. */
const recorder = logRecorders([KEY, 'secretBusinessLogic', 'Be precise']);

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: SYSTEM,
  messages: [{ role: 'user', content: `Review:\n\`\`\`ts\n${CODE}\n\`\`\`` }],
  maxTokens: 1024,
};

function run(overrides: Partial<TurnInput> = {}): Promise<TurnResult> {
  return runArchitectTurn({
    source: anthropicReplies({ apiKey: KEY, baseUrl: fake.url, maxRetries: 0 }),
    request,
    signal: new AbortController().signal,
    onText: () => undefined,
    logger: recorder(),
    ...overrides,
  });
}

test('completed: forwards every delta in order and returns text, usage, stop reason and request id', async () => {
  const text = '## Title\n\n- a\n- b\n\n```ts\nlet x = 1;\n```\n';
  fake.script({ text, chunkSize: 4, requestId: 'req_pipe_1', usage: { input_tokens: 50, output_tokens: 9 } });
  const deltas: string[] = [];
  const logger = recorder();
  const result = await run({ onText: (t) => deltas.push(t), logger });

  assert.equal(result.status, 'completed');
  assert.equal(result.text, text);
  assert.equal(deltas.join(''), text);
  assert.equal(deltas.length, Math.ceil(text.length / 4));
  assert.equal(result.requestId, 'req_pipe_1');
  assert.equal(result.model, 'claude-sonnet-5-5');
  assert.ok(result.durationMs >= 0);
  if (result.status === 'completed') {
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(result.usage.inputTokens, 50);
    assert.equal(result.usage.outputTokens, 9);
  }
});

test('logs one line per request: model, size, id, duration, outcome, usage; never the code or the key', async () => {
  fake.script({ requestId: 'req_pipe_log', usage: { input_tokens: 50, output_tokens: 9, cache_read_input_tokens: 3 } });
  const logger = recorder();
  await run({ logger });
  assert.equal(logger.lines.length, 1);
  const [line] = logger.lines;
  assert.equal(line.level, 'info');
  const chars = SYSTEM.length + request.messages[0].content.length;
  assert.match(line.message, /model=claude-sonnet-5-5/);
  assert.match(line.message, new RegExp(`request=${chars} chars \\(system ${SYSTEM.length}, 1 message `));
  assert.match(line.message, /id=req_pipe_log/);
  assert.match(line.message, /duration=\d+ ms/);
  assert.match(line.message, /outcome=completed/);
  assert.match(line.message, /usage in=50 out=9 cacheRead=3 cacheWrite=\d+/);
  assert.ok(!line.message.includes('secretBusinessLogic'), 'code in the log');
  assert.ok(!line.message.includes('Be precise'), 'system prompt in the log');
});

test('Stop mid-stream: cancelled (not failed), partial text kept, connection closed promptly', async () => {
  // 1 s between deltas: a close seen well before that cannot be a between-chunks check.
  fake.script({ text: 'one two three four five six seven', chunkSize: 4, delayMs: 1000 });
  const controller = new AbortController();
  const logger = recorder();
  let abortedAt = 0;
  const result = await run({
    signal: controller.signal,
    logger,
    onText: () => {
      if (!controller.signal.aborted) {
        abortedAt = Date.now();
        controller.abort();
      }
    },
  });
  const settledAfter = Date.now() - abortedAt;
  assert.equal(result.status, 'cancelled');
  assert.equal(result.text, 'one ');
  assert.match(result.requestId ?? '', /^req_fake_/);
  assert.ok(settledAfter < 400, `settled ${settledAfter} ms after Stop`);
  const closed = await fake.waitForClose(0, 1000);
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - abortedAt < 400, `server saw the close ${closed.closedAt! - abortedAt} ms after Stop`);
  assert.deepEqual(
    logger.lines.map((l) => l.level),
    ['info'],
  );
  assert.match(logger.lines[0].message, /outcome=cancelled/);
});

test('429 then success: retried after the retry-after the server asked for', async () => {
  fake.script({ status: 429, retryAfter: 1 }, { text: 'after the wait' });
  const result = await run({ source: anthropicReplies({ apiKey: KEY, baseUrl: fake.url, maxRetries: 2 }) });
  assert.equal(result.status, 'completed');
  assert.equal(result.text, 'after the wait');
  assert.equal(fake.requests.length, 2);
  const gap = fake.requests[1].receivedAt - fake.requests[0].receivedAt;
  assert.ok(gap >= 950 && gap < 3000, `retried after ${gap} ms, asked for 1000`);
  assert.equal(fake.requests[1].headers['x-stainless-retry-count'], '1');
});

test('429 with maxRetries 0 fails at once with the wait in the message', async () => {
  fake.script({ status: 429, retryAfter: 20 });
  const logger = recorder();
  const result = await run({ logger });
  assert.equal(result.status, 'failed');
  assert.equal(fake.requests.length, 1);
  if (result.status === 'failed') {
    assert.match(result.failure.message, /try again in 20 seconds/);
  }
  // Worth a retry: logged as a warning.
  assert.equal(logger.lines[0].level, 'warn');
  assert.match(logger.lines[0].message, /outcome=failed kind=rateLimit status=429/);
});

test('an event: error frame is not retried', async () => {
  fake.script({ interrupt: { action: 'error', afterDeltas: 1 } });
  const result = await run({ source: anthropicReplies({ apiKey: KEY, baseUrl: fake.url, maxRetries: 2 }) });
  assert.equal(result.status, 'failed');
  assert.equal(fake.requests.length, 1);
});

test('a wrong key fails as auth, logged as an error, without the key anywhere', async () => {
  const wrong = 'fake-key-wrong-0123456789abcdef';
  const logger = recorder();
  const result = await run({ source: anthropicReplies({ apiKey: wrong, baseUrl: fake.url, maxRetries: 0 }), logger });
  assert.equal(result.status, 'failed');
  assert.equal(logger.lines[0].level, 'error');
  assert.ok(!JSON.stringify(result).includes(wrong));
  assert.ok(!logger.lines.some((l) => l.message.includes(wrong)));
});

test('a key echoed back by a proxy is redacted from the failure and the log', async () => {
  fake.script({ status: 400, errorMessage: `invalid header value: Bearer ${KEY}` });
  const logger = recorder();
  const result = await run({ logger });
  assert.equal(result.status, 'failed');
  assert.ok(!JSON.stringify(result).includes(KEY), 'key in the result');
  if (result.status === 'failed') {
    assert.match(result.failure.message, /\[REDACTED\]/);
  }
  assert.ok(!logger.lines.some((l) => l.message.includes(KEY)));
});

test('never rejects: a throwing onText becomes a failed result with the text so far', async () => {
  fake.script({ text: 'abcdef', chunkSize: 2 });
  let calls = 0;
  const logger = recorder();
  const result = await run({
    logger,
    onText: () => {
      calls++;
      if (calls === 2) {
        throw new Error('webview went away');
      }
    },
  });
  assert.equal(result.status, 'failed');
  assert.equal(result.text, 'abcd');
  if (result.status === 'failed') {
    assert.equal(result.failure.kind, 'unknown');
  }
  assert.ok(logger.lines.some((l) => l.level === 'error' && l.message.includes('webview went away')));
  // The pipeline stopped reading: the connection is closed, not left streaming.
  assert.equal((await fake.waitForClose(0, 1000)).closed, true);
});

test('no key: failed with noKey, nothing sent, one log line', async () => {
  const logger = recorder();
  const result = await run({ source: anthropicReplies({ apiKey: '' }), logger });
  assert.equal(result.status, 'failed');
  if (result.status === 'failed') {
    assert.equal(result.failure.kind, 'noKey');
    assert.deepEqual(result.failure.actions, ['setApiKey']);
  }
  assert.equal(fake.requests.length, 0);
  assert.equal(logger.lines.length, 1);
});
