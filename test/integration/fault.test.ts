/**
 * Every API fault, through the real extension in a real extension host, against the fake
 * Anthropic server speaking the real wire format: what the user is told, what is retried
 * (counted on the wire), what is kept, and that each outcome is logged with its request id.
 * No fault may leave an unhandled promise rejection behind.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { findExtensionLogs, logLineWith } from './faultSupport';
import type { RecordedRequest } from '../fake-anthropic/server';
import { closePanels, config, panelTabs, useFakeApi } from './workbench';

interface Failure {
  readonly kind: string;
  readonly message: string;
  readonly actions: readonly string[];
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
}

interface TurnResult {
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly text: string;
  readonly requestId?: string;
  readonly failure?: Failure;
}

function ask(question: string): Thenable<TurnResult | undefined> {
  return vscode.commands.executeCommand<TurnResult | undefined>('lingualeap.ask', { question });
}

async function failed(question: string): Promise<TurnResult & { failure: Failure }> {
  const result = await ask(question);
  assert.equal(result?.status, 'failed', `expected a failure, got ${JSON.stringify(result)}`);
  assert.ok(result.failure);
  return result as TurnResult & { failure: Failure };
}

function assertOneSentence(message: string): void {
  assert.doesNotMatch(message, /\n/, 'one line');
  assert.ok(message.length < 300, `short: ${message}`);
  assert.doesNotMatch(message, /\bat \S+:\d+:\d+|Error:|undefined|\[object/, `no stack or internals: ${message}`);
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`${what} not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

suite('faults: the panel path (lingualeap.ask)', function () {
  this.timeout(60_000);
  const fake = useFakeApi({ settings: { maxRetries: 2 }, resets: ['idleTimeoutSeconds', 'model'] });
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  const messagesRequests = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/messages');

  suiteSetup(() => {
    process.on('unhandledRejection', onRejection);
  });

  suiteTeardown(() => {
    process.off('unhandledRejection', onRejection);
  });

  teardown(() => {
    assert.deepEqual(rejections.splice(0).map(String), [], 'no unhandled promise rejection in the extension host');
  });

  test('no key: one sentence, Set API Key, nothing sent', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    await vscode.commands.executeCommand('lingualeap.clearApiKey');
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const { failure } = await failed('Anyone there?');
      assert.equal(failure.kind, 'noKey');
      assert.deepEqual(failure.actions, ['setApiKey']);
      assertOneSentence(failure.message);
      assert.equal(messagesRequests().length, 0, 'no request without a key');
    } finally {
      process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  for (const status of [401, 403] as const) {
    test(`${status}: one sentence, Set API Key, not retried, logged with the request id`, async () => {
      fake.script({ status, requestId: `req_fault_${status}` });
      const { failure } = await failed(`Status ${status}?`);
      assert.equal(failure.kind, status === 401 ? 'auth' : 'permission');
      assert.deepEqual(failure.actions, ['setApiKey']);
      assert.match(failure.message, new RegExp(`\\(${status}\\)`));
      assertOneSentence(failure.message);
      assert.equal(messagesRequests().length, 1, 'exactly one request: auth errors are not retried');
      assert.equal(failure.requestId, `req_fault_${status}`);
      const line = await logLineWith(`req_fault_${status}`);
      assert.match(line, /outcome=failed/);
      assert.match(line, new RegExp(`status=${status}`));
    });
  }

  test('404: names the model and the setting that chose it', async () => {
    await config().update('model', 'claude-nonexistent-9', vscode.ConfigurationTarget.Global);
    try {
      fake.script({ status: 404, errorMessage: 'model: claude-nonexistent-9', requestId: 'req_fault_404' });
      const { failure } = await failed('Which model?');
      assert.equal(failure.kind, 'notFound');
      assert.match(failure.message, /claude-nonexistent-9/);
      assert.match(failure.message, /lingualeap\.model/);
      assertOneSentence(failure.message);
      assert.equal(messagesRequests().length, 1, '404 is not retried');
      await logLineWith('req_fault_404', /kind=notFound/);
    } finally {
      await config().update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('404 with the agent model: names the agent file field', async () => {
    fake.script({ status: 404, errorMessage: 'model: claude-sonnet-5-5' });
    const { failure } = await failed('Which model now?');
    assert.match(failure.message, /claude-sonnet-5-5/);
    assert.match(failure.message, /"model" field of .*lingualeap-backend-architect\.md/);
  });

  test('429 with retry-after: retried after the delay the server asked for', async () => {
    fake.script({ status: 429, retryAfter: 1, requestId: 'req_fault_429a' }, { text: 'Recovered.', requestId: 'req_fault_429b' });
    const result = await ask('Rate limited?');
    assert.equal(result?.status, 'completed');
    assert.equal(result.text, 'Recovered.');
    const [first, second] = messagesRequests();
    assert.equal(messagesRequests().length, 2);
    const gap = second.receivedAt - first.receivedAt;
    assert.ok(gap >= 950, `the retry waited ${gap} ms; retry-after asked for 1000`);
    assert.ok(gap < 5000, `the retry waited ${gap} ms, far longer than retry-after`);
    await logLineWith('req_fault_429b', /outcome=completed/);
  });

  test('429 that persists: says when to try again, offers Retry, after maxRetries', async () => {
    const limited = { status: 429, retryAfter: 1 };
    fake.script(limited, limited, { ...limited, requestId: 'req_fault_429c' });
    const { failure } = await failed('Still limited?');
    assert.equal(failure.kind, 'rateLimit');
    assert.match(failure.message, /try again in 1 second/);
    assert.ok(failure.actions.includes('retry'));
    assertOneSentence(failure.message);
    assert.equal(messagesRequests().length, 3, 'one request and lingualeap.maxRetries (2) retries');
    await logLineWith('req_fault_429c', /kind=rateLimit/);
  });

  test('lingualeap.maxRetries = 0: a 429 is not retried', async () => {
    await config().update('maxRetries', 0, vscode.ConfigurationTarget.Global);
    try {
      fake.script({ status: 429, retryAfter: 1 });
      await failed('No retries?');
      assert.equal(messagesRequests().length, 1);
    } finally {
      await config().update('maxRetries', 2, vscode.ConfigurationTarget.Global);
    }
  });

  for (const status of [529, 500] as const) {
    test(`${status}: retried with backoff, then a clear message and Retry`, async () => {
      fake.script({ status }, { status }, { status, requestId: `req_fault_${status}` });
      const { failure } = await failed(`Server ${status}?`);
      assert.equal(failure.kind, status === 529 ? 'overloaded' : 'server');
      assert.match(failure.message, new RegExp(`\\(${status}\\)`));
      assert.ok(failure.actions.includes('retry'));
      assertOneSentence(failure.message);
      const requests = messagesRequests();
      assert.equal(requests.length, 3, 'one request and two retries');
      const gaps = [requests[1].receivedAt - requests[0].receivedAt, requests[2].receivedAt - requests[1].receivedAt];
      assert.ok(gaps[0] >= 300, `first backoff ${gaps[0]} ms`);
      assert.ok(gaps[1] > gaps[0], `the backoff grows: ${gaps.join(' ms, ')} ms`);
      await logLineWith(`req_fault_${status}`, new RegExp(`status=${status}`));
    });

    test(`${status} once, then success: the answer arrives`, async () => {
      fake.script({ status }, { text: 'Fine now.' });
      const result = await ask(`Transient ${status}?`);
      assert.equal(result?.status, 'completed');
      assert.equal(result.text, 'Fine now.');
      assert.equal(messagesRequests().length, 2);
    });
  }

  test('event: error mid-stream: the text so far stays, Retry offered, logged with the id', async () => {
    fake.script({
      text: 'Part one. Part two. Part three.',
      chunkSize: 10,
      requestId: 'req_fault_sse',
      interrupt: { action: 'error', afterDeltas: 2, errorType: 'overloaded_error', errorMessage: 'Overloaded' },
    });
    const result = await failed('Mid-stream error?');
    assert.equal(result.text, 'Part one. Part two. ');
    assert.equal(result.failure.kind, 'streamError');
    assert.ok(result.failure.actions.includes('retry'));
    assertOneSentence(result.failure.message);
    assert.equal(result.failure.requestId, 'req_fault_sse');
    assert.equal(messagesRequests().length, 1, 'a stream that already started is not silently re-sent');
    await logLineWith('req_fault_sse', /^(?=.*kind=streamError)(?=.*received=20 chars)/);
  });

  test('connection reset mid-stream: the text so far stays, Retry offered', async () => {
    fake.script({ text: 'Alpha beta gamma delta.', chunkSize: 6, requestId: 'req_fault_reset', interrupt: { action: 'reset', afterDeltas: 2 } });
    const result = await failed('Reset?');
    assert.equal(result.text, 'Alpha beta g');
    assert.equal(result.failure.kind, 'network');
    assert.ok(result.failure.actions.includes('retry'));
    assertOneSentence(result.failure.message);
    await logLineWith('req_fault_reset', /kind=network/);
  });

  test('stall after some text: stopped after lingualeap.idleTimeoutSeconds, text kept, connection closed', async () => {
    await config().update('idleTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      fake.script({ text: 'Thinking hard about it.', chunkSize: 9, requestId: 'req_fault_stall', interrupt: { action: 'stall', afterDeltas: 1 } });
      const started = Date.now();
      const result = await failed('Stall?');
      const took = Date.now() - started;
      assert.equal(result.text, 'Thinking ');
      assert.equal(result.failure.kind, 'timeout');
      assert.match(result.failure.message, /2 seconds/);
      assert.ok(result.failure.actions.includes('retry'));
      assertOneSentence(result.failure.message);
      assert.ok(took >= 1900 && took < 10_000, `timed out after ${took} ms`);
      const closed = await fake.waitForClose(0, 5000);
      assert.equal(closed.clientAborted, true, 'the client closed the stalled connection');
      await logLineWith('req_fault_stall', /kind=timeout/);
    } finally {
      await config().update('idleTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('stall right after the headers: times out the same way', async () => {
    await config().update('idleTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      fake.script({ interrupt: { action: 'stall', afterHeaders: true } });
      const result = await failed('Silent?');
      assert.equal(result.text, '');
      assert.equal(result.failure.kind, 'timeout');
      assert.equal((await fake.waitForClose(0, 5000)).clientAborted, true);
    } finally {
      await config().update('idleTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Stop: connection closed at once, no error, partial text kept, logged as cancelled', async () => {
    fake.script({ text: 'word '.repeat(2000), chunkSize: 5, delayMs: 20, requestId: 'req_fault_stop' });
    const pending = ask('Long answer, please');
    const request = await fake.waitForRequest(0, 20_000);
    await waitUntil(() => Date.now() - request.receivedAt > 400, 5000);
    const stoppedAt = Date.now();
    await vscode.commands.executeCommand('lingualeap.stop');
    const closed = await fake.waitForClose(0, 5000);
    const result = await pending;
    assert.ok((closed.closedAt ?? Infinity) - stoppedAt < 1000, `closed ${(closed.closedAt ?? 0) - stoppedAt} ms after Stop`);
    assert.equal(closed.clientAborted, true);
    assert.equal(result?.status, 'cancelled');
    assert.equal(result.failure, undefined, 'cancellation is not an error');
    assert.ok(result.text.length > 0, 'the partial text is kept');
    await logLineWith('req_fault_stop', /outcome=cancelled/);
  });

  test('panel closed mid-stream: connection closed, no error, nothing unhandled', async () => {
    fake.script({ text: 'slow '.repeat(2000), chunkSize: 5, delayMs: 20 });
    const pending = ask('Then close the panel');
    await fake.waitForRequest(0, 20_000);
    await waitUntil(() => panelTabs().length > 0, 10_000, 'the panel opens');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await closePanels();
    const closed = await fake.waitForClose(0, 5000);
    assert.equal(closed.clientAborted, true);
    const result = await pending;
    assert.equal(result?.status, 'cancelled');
    assert.equal(result.failure, undefined);
  });

  test('the API key never appears in any result, message or log line', async () => {
    const key = process.env.ANTHROPIC_API_KEY ?? '';
    assert.ok(key.length >= 8, 'the test environment provides a key');
    fake.script({ status: 401, errorMessage: `invalid x-api-key ${key}` });
    const result = await failed('Leak the key?');
    assert.ok(!JSON.stringify(result).includes(key), 'the result holds the key');
    for (const file of findExtensionLogs()) {
      assert.ok(!readFileSync(file, 'utf8').includes(key), `${file} holds the key`);
    }
  });
});
