/**
 * getClient: explicit key only, base URL only when given, and an SDK that never prints.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { getClient, resetClientCache } from '../../../../src/core/llm/client';
import { MissingApiKeyError } from '../../../../src/core/llm/errors';
import { anthropicReplies, runArchitectTurn } from '../../../../src/core/llm/pipeline';
import type { ArchitectRequest } from '../../../../src/core/llm/types';
import { startFakeAnthropic, type FakeAnthropic } from '../../../fake-anthropic/server';

const KEY = 'fake-key-test-client-0123456789';
let fake: FakeAnthropic;
const savedEnv = { ...process.env };

const request: ArchitectRequest = {
  model: 'claude-haiku-5-5',
  system: 'system',
  messages: [{ role: 'user', content: 'hello' }],
  maxTokens: 256,
};

const turn = (apiKey: string, baseUrl?: string) =>
  runArchitectTurn({
    source: anthropicReplies({ apiKey, baseUrl, maxRetries: 0 }),
    request,
    signal: new AbortController().signal,
    onText: () => undefined,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

before(async () => {
  fake = await startFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } });
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  resetClientCache();
});
afterEach(() => {
  process.env = { ...savedEnv };
});

test('an empty or blank key throws MissingApiKeyError before anything is sent', () => {
  assert.throws(() => getClient({ apiKey: '' }), MissingApiKeyError);
  assert.throws(() => getClient({ apiKey: '  \n' }), MissingApiKeyError);
});

test('one client per key and base URL', () => {
  const a = getClient({ apiKey: KEY, baseUrl: fake.url });
  assert.equal(getClient({ apiKey: KEY, baseUrl: fake.url, maxRetries: 5 }), a);
  assert.notEqual(getClient({ apiKey: `${KEY}x`, baseUrl: fake.url }), a);
  const b = getClient({ apiKey: KEY, baseUrl: `${fake.url}/` });
  assert.notEqual(b, a);
  assert.equal(b.maxRetries, 2);
});

test('the key given wins over ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN in the environment', async () => {
  process.env.ANTHROPIC_API_KEY = 'fake-key-from-env-should-not-be-used';
  process.env.ANTHROPIC_AUTH_TOKEN = 'token-from-env-should-not-be-used';
  const result = await turn(KEY, fake.url);
  assert.equal(result.status, 'completed');
  assert.equal(fake.requests[0].authorized, true);
  assert.equal(fake.requests[0].authScheme, 'bearer');
});

test('without a baseUrl the SDK falls back to ANTHROPIC_BASE_URL', async () => {
  process.env.ANTHROPIC_BASE_URL = fake.url;
  const result = await turn(KEY, undefined);
  assert.equal(result.status, 'completed');
  assert.equal(fake.requests.length, 1);
});

// The SDK's logger is `console` unless told otherwise, so watching console covers it.
test('the SDK prints nothing, even with ANTHROPIC_LOG=debug and on errors', async () => {
  process.env.ANTHROPIC_LOG = 'debug';
  const printed: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((m) => Object.getOwnPropertyDescriptor(console, m)!);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => void printed.push(`${m}: ${args.map(String).join(' ')}`);
  }
  try {
    fake.script({ status: 500 }, {});
    await turn(KEY, fake.url);
    await turn(KEY, fake.url);
    await turn('fake-key-wrong-key-0000000000', fake.url);
  } finally {
    methods.forEach((m, i) => Object.defineProperty(console, m, saved[i]));
  }
  assert.deepEqual(printed, []);
});
