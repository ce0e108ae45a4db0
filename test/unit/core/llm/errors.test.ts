/**
 * Every failure the fake can produce, through the real SDK, mapped to kind, sentence and actions.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { APIError, AuthenticationError, NotFoundError, OverloadedError } from '@anthropic-ai/sdk';
import {
  describeFailure,
  incompleteAnswerMarkdown,
  LlmCancelledError,
  MissingApiKeyError,
  isCancellation,
  withoutIncompleteNote,
} from '../../../../src/core/llm/errors';
import { anthropicReplies, runArchitectTurn, type LlmLogger, type TurnResult } from '../../../../src/core/llm/pipeline';
import { streamArchitectReply } from '../../../../src/core/llm/stream';
import type { ArchitectRequest, ConnectionSettings, LlmFailure } from '../../../../src/core/llm/types';
import { startFakeAnthropic, type FakeAnthropic, type Scenario } from '../../../fake-anthropic/server';
import { useFakeAnthropic } from '../../support/fakeApi';

const KEY = 'fake-key-test-errors-0123456789';
let fake: FakeAnthropic;

const request: ArchitectRequest = {
  model: 'claude-x',
  system: 'You are the architect.',
  messages: [{ role: 'user', content: 'Is this safe?' }],
  maxTokens: 1024,
};

const silent: LlmLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function turn(extra: Partial<ConnectionSettings> = {}, modelSource?: string): Promise<TurnResult> {
  return runArchitectTurn({
    source: anthropicReplies({ apiKey: KEY, baseUrl: fake.url, maxRetries: 0, ...extra }),
    request,
    signal: new AbortController().signal,
    onText: () => undefined,
    logger: silent,
    modelSource,
  });
}

async function failure(scenario: Scenario | undefined, extra: Partial<ConnectionSettings> = {}): Promise<LlmFailure> {
  if (scenario) {
    fake.script(scenario);
  }
  const result = await turn(extra);
  assert.equal(result.status, 'failed', `expected a failure, got ${result.status}`);
  return result.status === 'failed' ? result.failure : assert.fail('unreachable');
}

/** One sentence: one line, ends with a full stop, no stack frames, no key. */
function assertOneSentence(message: string): void {
  assert.ok(!message.includes('\n'), `multi-line: ${message}`);
  assert.match(message, /[.]$/);
  assert.ok(!/\bat .+:\d+:\d+/.test(message), `stack in: ${message}`);
  assert.ok(!message.includes(KEY), 'key in message');
}

useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));

test('no key: noKey with the Set API Key action, and nothing is sent', async () => {
  const f = await failure(undefined, { apiKey: '   ' });
  assert.equal(f.kind, 'noKey');
  assert.deepEqual(f.actions, ['setApiKey']);
  assert.match(f.message, /No Anthropic API key is set/);
  assertOneSentence(f.message);
  assert.equal(fake.requests.length, 0);
});

test('401: auth, asks for a valid key, carries status and request id', async () => {
  const f = await failure(undefined, { apiKey: 'fake-key-wrong-key-000000000' });
  assert.equal(f.kind, 'auth');
  assert.equal(f.status, 401);
  assert.deepEqual(f.actions, ['setApiKey']);
  assert.match(f.message, /rejected the API key/);
  assert.equal(f.requestId, fake.requests[0].requestId);
  assert.match(f.requestId ?? '', /^req_fake_/);
  assert.ok(!f.message.includes('fake-key-wrong-key'));
  assertOneSentence(f.message);
});

test('403: permission, names the model, Set API Key', async () => {
  const f = await failure({ status: 403 });
  assert.equal(f.kind, 'permission');
  assert.equal(f.status, 403);
  assert.deepEqual(f.actions, ['setApiKey']);
  assert.match(f.message, /“claude-x”/);
  assertOneSentence(f.message);
});

test('404: names the model and where it came from', async () => {
  fake.script({ status: 404, errorMessage: 'model: claude-x' });
  const result = await turn();
  assert.equal(result.status, 'failed');
  const f = result.status === 'failed' ? result.failure : assert.fail();
  assert.equal(f.kind, 'notFound');
  assert.equal(f.status, 404);
  assert.equal(
    f.message,
    "The model “claude-x” was not found; check the `lingualeap.model` setting or the agent file's model.",
  );
  assert.deepEqual(f.actions, ['openSettings']);

  fake.script({ status: 404 });
  const named = await turn({}, 'the "lingualeap.model" setting');
  assert.equal(
    named.status === 'failed' && named.failure.message,
    'The model “claude-x” was not found; check the "lingualeap.model" setting.',
  );
});

test('404 from a fake that knows only some models, as the real API answers', async () => {
  const strict = await startFakeAnthropic({ validKey: KEY, knownModels: ['claude-sonnet-5-5'] });
  try {
    const result = await runArchitectTurn({
      source: anthropicReplies({ apiKey: KEY, baseUrl: strict.url, maxRetries: 0 }),
      request,
      signal: new AbortController().signal,
      onText: () => undefined,
      logger: silent,
    });
    assert.equal(result.status === 'failed' && result.failure.kind, 'notFound');
  } finally {
    await strict.close();
  }
});

test('429: rateLimit, says when to try again from retry-after, Retry', async () => {
  const f = await failure({ status: 429, retryAfter: 30 });
  assert.equal(f.kind, 'rateLimit');
  assert.equal(f.status, 429);
  assert.equal(f.retryAfterSeconds, 30);
  assert.deepEqual(f.actions, ['retry']);
  assert.match(f.message, /try again in 30 seconds\.$/);
  assertOneSentence(f.message);
  assert.equal(fake.requests.length, 1, 'maxRetries 0: no retry');
});

test('429 without retry-after still says when to try again', async () => {
  const f = await failure({ status: 429 });
  assert.equal(f.retryAfterSeconds, undefined);
  assert.match(f.message, /try again in a minute\.$/);
});

test('529: overloaded, Retry', async () => {
  const f = await failure({ status: 529 });
  assert.equal(f.kind, 'overloaded');
  assert.equal(f.status, 529);
  assert.deepEqual(f.actions, ['retry']);
  assert.match(f.message, /overloaded/);
  assertOneSentence(f.message);
});

test('500: server, Retry', async () => {
  const f = await failure({ status: 500 });
  assert.equal(f.kind, 'server');
  assert.equal(f.status, 500);
  assert.deepEqual(f.actions, ['retry']);
  assertOneSentence(f.message);
});

test('400: badRequest with the API reason, no retry', async () => {
  const f = await failure({ status: 400, errorMessage: 'messages: roles must alternate between "user" and "assistant"' });
  assert.equal(f.kind, 'badRequest');
  assert.equal(f.status, 400);
  assert.ok(!f.actions.includes('retry'));
  assert.equal(f.message, 'The Anthropic API refused the request (400): messages: roles must alternate between "user" and "assistant".');
});

test('413: the request is too large, with the settings that make it smaller', async () => {
  const f = await failure({ status: 413 });
  assert.equal(f.kind, 'badRequest');
  assert.deepEqual(f.actions, ['openSettings']);
  assert.match(f.message, /\(413\).*`lingualeap\.maxContextChars`/);
  assertOneSentence(f.message);
});

test('400 "prompt is too long": the context window in one sentence, with what to do', async () => {
  const f = await failure({ status: 400, errorMessage: 'prompt is too long: 210000 tokens > 200000 maximum' });
  assert.equal(f.kind, 'badRequest');
  assert.equal(f.status, 400);
  assert.deepEqual(f.actions, ['openSettings']);
  assert.equal(
    f.message,
    "The request is too long for the model's context window (400: 210,000 tokens, at most 200,000); start a new conversation, select less code or set `lingualeap.maxInputTokens` lower.",
  );
  assertOneSentence(f.message);
  const bare = await failure({ status: 400, errorMessage: 'Prompt is too long' });
  assert.match(bare.message, /^The request is too long for the model's context window \(400\); /);
});

test('event: error mid-stream: streamError, Retry, partial text kept', async () => {
  fake.script({ text: 'abcdefghij', chunkSize: 2, interrupt: { action: 'error', afterDeltas: 2 } });
  const result = await turn();
  assert.equal(result.status, 'failed');
  assert.equal(result.text, 'abcd');
  const f = result.status === 'failed' ? result.failure : assert.fail();
  assert.equal(f.kind, 'streamError');
  assert.deepEqual(f.actions, ['retry']);
  assert.match(f.message, /overloaded part-way through the answer/);
  assert.equal(f.requestId, fake.requests[0].requestId);
  assertOneSentence(f.message);
});

test('event: error of another type names it', async () => {
  const f = await failure({ interrupt: { action: 'error', errorType: 'api_error' } });
  assert.equal(f.kind, 'streamError');
  assert.match(f.message, /\(api_error\)/);
});

test('connection reset mid-stream: network, Retry, partial text and request id kept', async () => {
  fake.script({ text: 'abcdefghij', chunkSize: 2, interrupt: { action: 'reset', afterDeltas: 3 } });
  const result = await turn();
  assert.equal(result.status, 'failed');
  assert.equal(result.text, 'abcdef');
  const f = result.status === 'failed' ? result.failure : assert.fail();
  assert.equal(f.kind, 'network');
  assert.deepEqual(f.actions, ['retry']);
  assert.match(f.message, /lost part-way/);
  assert.equal(f.requestId, fake.requests[0].requestId);
});

test('stall: timeout after idleTimeoutMs, Retry', async () => {
  const f = await failure({ interrupt: { action: 'stall', afterDeltas: 1 } }, { idleTimeoutMs: 200 });
  assert.equal(f.kind, 'timeout');
  assert.deepEqual(f.actions, ['retry']);
  assertOneSentence(f.message);
});

test('nothing listening: network, Retry and Open Settings', async () => {
  // Take a free port, then close it so the connection is refused.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const f = await failure(undefined, { baseUrl: `http://127.0.0.1:${port}` });
  assert.equal(f.kind, 'network');
  assert.deepEqual(f.actions, ['retry', 'openSettings']);
  assertOneSentence(f.message);
});

test('the stream ending without message_stop is a failure, not a completed answer', async () => {
  // A server that sends a valid start of stream, then ends the response cleanly.
  const truncating = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_cut' });
    res.end(
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n' +
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"half"}}\n\n',
    );
  });
  await new Promise<void>((resolve) => truncating.listen(0, '127.0.0.1', resolve));
  try {
    const f = await failure(undefined, { baseUrl: `http://127.0.0.1:${(truncating.address() as AddressInfo).port}` });
    assert.equal(f.kind, 'network');
    assert.equal(f.requestId, 'req_cut');
  } finally {
    await new Promise<void>((resolve) => truncating.close(() => resolve()));
  }
});

test('describeFailure uses the SDK classes, not the wording', () => {
  const headers = new Headers({ 'request-id': 'req_direct' });
  const auth = describeFailure(new AuthenticationError(401, { type: 'error' }, 'nonsense', headers), { model: 'm' });
  assert.equal(auth.kind, 'auth');
  assert.equal(auth.requestId, 'req_direct');
  const notFound = describeFailure(new NotFoundError(404, undefined, 'whatever', headers), { model: 'claude-q' });
  assert.equal(notFound.kind, 'notFound');
  assert.match(notFound.message, /claude-q/);
  const overloaded = describeFailure(new OverloadedError(529, undefined, undefined, headers), { model: 'm' });
  assert.equal(overloaded.kind, 'overloaded');
  const frame = describeFailure(new APIError(undefined, { type: 'error', error: { type: 'api_error' } }, undefined, headers, 'api_error'), {
    model: 'm',
  });
  assert.equal(frame.kind, 'streamError');
  assert.equal(describeFailure(new MissingApiKeyError(), { model: 'm' }).kind, 'noKey');
  assert.equal(describeFailure(new Error('boom'), { model: 'm' }).kind, 'unknown');
  assert.deepEqual(describeFailure('a string', { model: 'm' }).actions, ['openLog', 'retry']);
});

test('retry-after given as an HTTP date and as retry-after-ms', () => {
  const inTen = new Date(Date.now() + 10_000).toUTCString();
  // APIError.generate is the SDK's own status -> class factory.
  const rate = APIError.generate(429, undefined, undefined, new Headers({ 'retry-after': inTen }));
  const f = describeFailure(rate, { model: 'm' });
  assert.equal(f.kind, 'rateLimit');
  assert.ok(f.retryAfterSeconds! >= 9 && f.retryAfterSeconds! <= 10, String(f.retryAfterSeconds));
  const ms = describeFailure(APIError.generate(429, undefined, undefined, new Headers({ 'retry-after-ms': '2500' })), {
    model: 'm',
  });
  assert.equal(ms.retryAfterSeconds, 3);
});

test('cancellation is recognised and is not described as a failure by the pipeline', async () => {
  assert.equal(isCancellation(new LlmCancelledError()), true);
  assert.equal(isCancellation(new Error('nope')), false);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    (async () => {
      for await (const event of streamArchitectReply({ apiKey: KEY, baseUrl: fake.url }, request, controller.signal)) {
        assert.fail(`no event expected, got ${event.type}`);
      }
    })(),
    (err: unknown) => isCancellation(err),
  );
});

/** The note in English, as the user sees it without a translation. */
const INCOMPLETE_ANSWER_NOTE = 'Incomplete answer: it was cut off by the error below.';

test('a cut answer gets the incomplete note, after closing a code block left open', () => {
  const note = `\n\n*${INCOMPLETE_ANSWER_NOTE}*`;
  assert.equal(incompleteAnswerMarkdown('Use a pool. Then'), note);
  assert.equal(incompleteAnswerMarkdown('Like this:\n\n```ts\nconst pool = new Pool('), `\n\`\`\`${note}`);
  assert.equal(incompleteAnswerMarkdown('````md\n```ts\nx\n```\n'), `\n\`\`\`\`${note}`, 'a shorter fence inside does not close it');
  assert.equal(incompleteAnswerMarkdown('~~~\ncode\n'), `\n~~~${note}`);
  assert.equal(incompleteAnswerMarkdown('```ts\nx\n```\nDone, then'), note, 'a closed block needs nothing');
  assert.equal(incompleteAnswerMarkdown('Run ```npm ci``` first, then'), note, 'inline code is not a fence');
  for (const partial of ['Use a pool. Then', '```ts\nconst a =']) {
    const shown = partial + incompleteAnswerMarkdown(partial);
    assert.ok(!withoutIncompleteNote(shown).includes(INCOMPLETE_ANSWER_NOTE), 'the note is not sent back as history');
    assert.ok(withoutIncompleteNote(shown).startsWith(partial));
  }
  assert.equal(withoutIncompleteNote('A complete answer.'), 'A complete answer.');
});
