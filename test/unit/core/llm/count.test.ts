/**
 * The API's token count of a request (`count_tokens`) against the fake Anthropic server,
 * through the real SDK over real HTTP, and the budget that asks for it: the wire body, one
 * try, the timeout, Stop, and a failed count never failing the question.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { APIConnectionTimeoutError, InternalServerError } from '@anthropic-ai/sdk';
import type { AgentDefinition } from '../../../../src/core/agent/parse';
import { countRequestTokens } from '../../../../src/core/llm/count';
import { isCancellation } from '../../../../src/core/llm/errors';
import type { ArchitectRequest, ConnectionSettings, RequestMessage } from '../../../../src/core/llm/types';
import { fitRequest, type FitInput } from '../../../../src/core/prompt/budget';
import { buildArchitectRequest } from '../../../../src/core/prompt/request';
import { estimateRequestTokens } from '../../../../src/core/prompt/tokens';
import type { FakeAnthropic } from '../../../fake-anthropic/server';
import { useFakeAnthropic } from '../../support/fakeApi';

const KEY = 'fake-key-test-count-0123456789abcdef';
let fake: FakeAnthropic;
let settings: ConnectionSettings;

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: 'You are the architect.',
  maxTokens: 2048,
  messages: [
    { role: 'user', content: 'Is this route safe?' },
    { role: 'assistant', content: 'Mostly; validate the id.' },
    { role: 'user', content: 'How do I validate it?' },
  ],
};

interface CountBody {
  readonly model: string;
  readonly system: ReadonlyArray<{ readonly text: string; readonly cache_control?: unknown }>;
  readonly messages: ReadonlyArray<{ readonly role: string }>;
  readonly max_tokens?: unknown;
  readonly stream?: unknown;
}

useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => {
  fake = started;
  settings = { apiKey: KEY, baseUrl: fake.url, maxRetries: 2 };
});

test('the request is counted as it would be sent: same system, messages and cache breakpoints', async () => {
  fake.setCountTokens({ inputTokens: 4321 });
  assert.equal(await countRequestTokens(settings, request, new AbortController().signal), 4321);
  assert.equal(fake.requests.length, 1);
  const [recorded] = fake.requests;
  assert.equal(recorded.path, '/v1/messages/count_tokens');
  const body = recorded.body as CountBody;
  assert.equal(body.model, 'claude-sonnet-5-5');
  assert.equal(body.system[0].text, 'You are the architect.');
  assert.ok(body.system[0].cache_control, 'the system block keeps its breakpoint');
  assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(body.max_tokens, undefined, 'count_tokens takes no max_tokens');
  assert.equal(body.stream, undefined);
  assert.equal(recorded.authorized, true, 'with the key');
});

test('a tool turn is counted with its tools and content-block messages', async () => {
  const tools = [{ name: 'Read', description: 'Reads a file.', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }];
  const turn: ArchitectRequest<RequestMessage> = {
    ...request,
    tools,
    messages: [
      { role: 'user', content: 'What does a.ts export?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.ts' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export const a = 1;' }] },
    ],
  };
  const counted = await countRequestTokens(settings, turn, new AbortController().signal);
  const body = fake.requests[0].body as CountBody & { tools: { name: string; cache_control?: unknown }[] };
  assert.deepEqual(body.tools.map((t) => [t.name, t.cache_control]), [['Read', { type: 'ephemeral' }]]);
  assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  // The fake's estimate (chars/4) of everything sent, tools included: more than the messages alone.
  const toolChars = JSON.stringify(tools[0]).length;
  assert.ok(counted > toolChars / 4, `${counted} tokens`);
});

test('a failed count is not retried', async () => {
  fake.setCountTokens({ status: 500 });
  await assert.rejects(countRequestTokens(settings, request, new AbortController().signal), InternalServerError);
  assert.equal(fake.requests.length, 1, 'one try, whatever maxRetries says');
});

test('a slow count gives up after the timeout', async () => {
  fake.setCountTokens({ delayMs: 3000 });
  const started = Date.now();
  await assert.rejects(countRequestTokens(settings, request, new AbortController().signal, 200), APIConnectionTimeoutError);
  assert.ok(Date.now() - started < 2000, `gave up after ${Date.now() - started} ms`);
});

test('Stop aborts the count and closes its connection', async () => {
  fake.setCountTokens({ delayMs: 5000 });
  const controller = new AbortController();
  const counting = countRequestTokens(settings, request, controller.signal);
  await fake.waitForRequest(0);
  controller.abort();
  await assert.rejects(counting, (err: unknown) => isCancellation(err));
  const closed = await fake.waitForClose(0);
  assert.equal(closed.clientAborted, true);
});

test('an aborted signal sends nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(countRequestTokens(settings, request, controller.signal), (err: unknown) => isCancellation(err));
  assert.equal(fake.requests.length, 0);
});

const agent: AgentDefinition = { name: 'a', description: 'd', tools: [], body: 'You are the architect.', source: 'agents/a.md' };
const longTurns = Array.from({ length: 4 }, (_, i) => [
  { role: 'user' as const, content: `Question ${i + 1}` },
  { role: 'assistant' as const, content: `Answer ${i + 1}: ${'Use Redis for sessions. '.repeat(40)}` },
]).flat();
const input: FitInput = { agent, model: 'claude-sonnet-5-5', maxTokens: 1024, question: 'And now?', contexts: [], history: longTurns };

test('the budget asks the API near the limit and trusts its count', async () => {
  const estimate = estimateRequestTokens(buildArchitectRequest(input));
  fake.setCountTokens({ inputTokens: estimate - 100 });
  const signal = new AbortController().signal;
  const fit = await fitRequest(input, { budget: { tokens: estimate - 50, limitedBy: 'window' }, count: (r) => countRequestTokens(settings, r, signal) });
  assert.equal(fake.requests.filter((r) => r.path === '/v1/messages/count_tokens').length, 1);
  assert.equal(fit.countedTokens, estimate - 100);
  assert.equal(fit.droppedTurns, 0, 'the count says it fits');
});

test('when counting fails the estimate decides and the question still goes', async () => {
  fake.setCountTokens({ status: 529 });
  const estimate = estimateRequestTokens(buildArchitectRequest(input));
  const signal = new AbortController().signal;
  const fit = await fitRequest(input, { budget: { tokens: Math.floor(estimate * 0.6), limitedBy: 'window' }, count: (r) => countRequestTokens(settings, r, signal) });
  assert.ok(fit.countError, 'the failure is reported for the log');
  assert.ok(fit.droppedTurns > 0);
  assert.ok(fit.tokens <= Math.floor(estimate * 0.6));
});
