/**
 * ClaudeChatModelProvider, the model-picker adapter, against the fake Anthropic server over
 * real HTTP. The editor's part classes, error class and enums are small stand-ins with the
 * same shapes (the provider takes them as `api`); everything below the adapter is real.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import type * as vscode from 'vscode';
import { MODEL_ALIASES } from '../../../src/core/agent/models';
import { resetClientCache } from '../../../src/core/llm/client';
import { IMAGE_TOKEN_ESTIMATE } from '../../../src/modelPicker/stream';
import { MODEL_VENDOR } from '../../../src/contributes/ids';
import { claudeModels, type ClaudeModelInformation } from '../../../src/modelPicker/models';
import { ClaudeChatModelProvider, type LmEditorApi } from '../../../src/modelPicker/provider';
import { estimateTokens } from '../../../src/core/prompt/tokens';
import { startFakeAnthropic, type FakeAnthropic } from '../../fake-anthropic/server';

// --- Stand-ins for the editor's classes -------------------------------------------------

class TextPart {
  constructor(public value: string) {}
}
class ToolCallPart {
  constructor(
    public callId: string,
    public name: string,
    public input: object,
  ) {}
}
class ToolResultPart {
  constructor(
    public callId: string,
    public content: unknown[],
  ) {}
}
class PromptTsxPart {
  constructor(public value: unknown) {}
}
class LanguageModelError extends Error {
  constructor(
    message?: string,
    readonly code = 'Unknown',
  ) {
    super(message);
  }
  static NoPermissions(message?: string) {
    return new LanguageModelError(message, 'NoPermissions');
  }
  static Blocked(message?: string) {
    return new LanguageModelError(message, 'Blocked');
  }
  static NotFound(message?: string) {
    return new LanguageModelError(message, 'NotFound');
  }
}
class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T) {
    this.listeners.forEach((l) => l(e));
  }
  dispose() {
    this.listeners.clear();
  }
}
const Role = { User: 1, Assistant: 2 } as const;
const ToolMode = { Auto: 1, Required: 2 } as const;
const api = {
  EventEmitter,
  LanguageModelChatMessageRole: Role,
  LanguageModelChatToolMode: ToolMode,
  LanguageModelError,
  LanguageModelPromptTsxPart: PromptTsxPart,
  LanguageModelTextPart: TextPart,
  LanguageModelToolCallPart: ToolCallPart,
  LanguageModelToolResultPart: ToolResultPart,
} as unknown as LmEditorApi;

function tokenSource() {
  let cancelled = false;
  const listeners = new Set<() => void>();
  const token = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested: (listener: () => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  } as unknown as vscode.CancellationToken;
  return {
    token,
    cancel: () => {
      cancelled = true;
      listeners.forEach((l) => l());
    },
    listeners: () => listeners.size,
  };
}

const message = (role: number, ...content: unknown[]) => ({ role, content, name: undefined }) as unknown as vscode.LanguageModelChatRequestMessage;
const options = (extra: Partial<vscode.ProvideLanguageModelChatResponseOptions> = {}): vscode.ProvideLanguageModelChatResponseOptions => ({
  toolMode: ToolMode.Auto,
  ...extra,
});

// --- Harness --------------------------------------------------------------------------

const KEY = 'fake-key-test-provider-0123456789abcdef';
let fake: FakeAnthropic;
let key: string | undefined;
let prompts = 0;
let lines: string[] = [];
let provider: ClaudeChatModelProvider;
const sonnet = (): ClaudeModelInformation => claudeModels(true).find((m) => m.id === MODEL_ALIASES.sonnet)!;

function makeProvider(): ClaudeChatModelProvider {
  const push = (line: string) => void lines.push(line);
  return new ClaudeChatModelProvider({
    api,
    connection: () => Promise.resolve({ apiKey: key, baseUrl: fake.url }),
    promptForKey: () => {
      prompts++;
      return Promise.resolve(false);
    },
    log: { info: push, warn: push, error: push },
  });
}

async function respond(
  messages: vscode.LanguageModelChatRequestMessage[],
  opts = options(),
  source = tokenSource(),
  onPart?: (part: unknown) => void,
): Promise<unknown[]> {
  const parts: unknown[] = [];
  try {
    await provider.provideLanguageModelChatResponse(
      sonnet(),
      messages,
      opts,
      {
        report: (part) => {
          parts.push(part);
          onPart?.(part);
        },
      },
      source.token,
    );
  } finally {
    assert.equal(source.listeners(), 0, 'the cancellation listener is disposed, failed or not');
  }
  return parts;
}

before(async () => {
  fake = await startFakeAnthropic({ validKey: KEY, knownModels: Object.values(MODEL_ALIASES), defaultScenario: { delayMs: 0 } });
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  key = KEY;
  prompts = 0;
  lines = [];
  provider = makeProvider();
});
afterEach(() => {
  provider.dispose();
  for (const line of lines) {
    assert.ok(!line.includes(KEY), `key in log line: ${line}`);
  }
});

// --- Model list -------------------------------------------------------------------------

test('lists the three current models from the alias table, with tool calling and images', async () => {
  const models = await provider.provideLanguageModelChatInformation({ silent: true }, tokenSource().token);
  assert.deepEqual(
    models.map((m) => [m.id, m.name, m.family, m.version]),
    [
      [MODEL_ALIASES.sonnet, 'Claude Sonnet 5.5', 'claude-sonnet', '5.5'],
      [MODEL_ALIASES.opus, 'Claude Opus 5.5', 'claude-opus', '5.5'],
      [MODEL_ALIASES.haiku, 'Claude Haiku 5.5', 'claude-haiku', '5.5'],
    ],
  );
  for (const m of models) {
    assert.deepEqual(m.capabilities, { toolCalling: true, imageInput: true });
    assert.equal(m.maxInputTokens, 200_000);
    assert.equal(m.maxOutputTokens, 64_000);
    assert.equal(m.isUserSelectable, true);
    assert.equal(m.detail, undefined);
  }
  assert.equal(MODEL_VENDOR, 'lingualeap-anthropic');
  assert.equal(prompts, 0);
  assert.equal(fake.requests.length, 0, 'listing sends nothing');
});

test('without a key: still listed (so @lingualeap is reachable), marked, and asked for only when not silent', async () => {
  key = undefined;
  const silent = await provider.provideLanguageModelChatInformation({ silent: true }, tokenSource().token);
  assert.equal(silent.length, 3);
  assert.ok(silent.every((m) => m.detail === 'API key needed' && /Set Anthropic API Key/.test(m.tooltip ?? '')));
  assert.equal(prompts, 0);

  await provider.provideLanguageModelChatInformation({ silent: false }, tokenSource().token);
  assert.equal(prompts, 1);
});

test('refresh() tells the editor to list the models again', () => {
  let fired = 0;
  provider.onDidChangeLanguageModelChatInformation(() => fired++);
  provider.refresh();
  assert.equal(fired, 1);
});

// --- Responses --------------------------------------------------------------------------

test('streams text as LanguageModelTextParts in order', async () => {
  fake.script({ text: 'Use one pg.Pool per process.', chunkSize: 5 });
  const parts = await respond([message(Role.User, new TextPart('How should I pool connections?'))]);
  assert.ok(parts.every((p) => p instanceof TextPart));
  assert.equal(parts.map((p) => p.value).join(''), 'Use one pg.Pool per process.');
  const body = fake.requests[0].body as { model: string; max_tokens: number; messages: unknown[] };
  assert.equal(body.model, MODEL_ALIASES.sonnet);
  assert.equal(body.max_tokens, 16_384);
  assert.match(lines[0], /^Model picker request: model=claude-sonnet-5-5 .*outcome=completed/);
});

test('modelOptions.max_tokens is honoured within the model limit', async () => {
  await respond([message(Role.User, new TextPart('Hi'))], options({ modelOptions: { max_tokens: 500 } }));
  await respond([message(Role.User, new TextPart('Hi'))], options({ modelOptions: { maxTokens: 10_000_000 } }));
  assert.equal((fake.requests[0].body as { max_tokens: number }).max_tokens, 500);
  assert.equal((fake.requests[1].body as { max_tokens: number }).max_tokens, 64_000);
});

test('tool round trip: editor tool call and result parts out, a streamed tool_use back as a LanguageModelToolCallPart', async () => {
  fake.script({ text: 'Checking the lockfile. ', chunkSize: 100, toolCalls: [{ id: 'toolu_2', name: 'read_file', input: { path: 'package-lock.json' }, jsonChunkSize: 4 }] });
  const screenshot = { mimeType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };
  const parts = await respond(
    [
      message(Role.User, new TextPart('Which version? Screenshot attached.'), screenshot),
      message(Role.Assistant, new TextPart('Reading package.json.'), new ToolCallPart('toolu_1', 'read_file', { path: 'package.json' })),
      message(
        Role.User,
        new ToolResultPart('toolu_1', [new TextPart('{"version":'), new PromptTsxPart({ node: { children: [{ type: 2, text: '"1.2.3"}' }] } })]),
      ),
    ],
    options({
      tools: [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
      toolMode: ToolMode.Required,
    }),
  );

  assert.equal(parts.length, 2);
  assert.ok(parts[0] instanceof TextPart && parts[0].value === 'Checking the lockfile. ');
  assert.ok(parts[1] instanceof ToolCallPart);
  assert.deepEqual({ ...parts[1] }, { callId: 'toolu_2', name: 'read_file', input: { path: 'package-lock.json' } });

  const body = fake.requests[0].body as {
    tool_choice: unknown;
    tools: { name: string }[];
    messages: { role: string; content: Record<string, unknown>[] }[];
  };
  assert.deepEqual(body.tool_choice, { type: 'any' });
  assert.equal(body.tools[0].name, 'read_file');
  assert.equal(body.messages[0].content[1].type, 'image');
  assert.deepEqual(body.messages[1].content[1], { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'package.json' } });
  assert.deepEqual(body.messages[2].content[0], {
    type: 'tool_result',
    tool_use_id: 'toolu_1',
    content: [
      { type: 'text', text: '{"version":' },
      { type: 'text', text: '"1.2.3"}' },
    ],
    cache_control: { type: 'ephemeral' },
  });
});

test('cancelling closes the HTTP connection at once and resolves quietly with what arrived', async () => {
  fake.script({ text: 'abcdefghijklmnopqrstuvwxyz', chunkSize: 3, delayMs: 400 });
  const source = tokenSource();
  let cancelledAt = 0;
  const parts = await respond([message(Role.User, new TextPart('Long answer please'))], options(), source, () => {
    if (!cancelledAt) {
      cancelledAt = Date.now();
      source.cancel();
    }
  });
  const resolvedAfter = Date.now() - cancelledAt;
  const closed = await fake.waitForClose(0, 2000);
  assert.deepEqual(
    parts.map((p) => (p as TextPart).value),
    ['abc'],
  );
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - cancelledAt < 200, `server saw the close ${closed.closedAt! - cancelledAt} ms after cancel`);
  assert.ok(resolvedAfter < 200, `resolved ${resolvedAfter} ms after cancel`);
  assert.match(lines[0], /outcome=cancelled/);
});

test('a token cancelled before the request sends nothing', async () => {
  const source = tokenSource();
  source.cancel();
  assert.deepEqual(await respond([message(Role.User, new TextPart('Hi'))], options(), source), []);
  assert.equal(fake.requests.length, 0);
});

// --- Errors -----------------------------------------------------------------------------

async function failure(setup: () => void): Promise<LanguageModelError> {
  setup();
  try {
    await respond([message(Role.User, new TextPart('Hi'))]);
  } catch (err) {
    assert.ok(err instanceof LanguageModelError, `not a LanguageModelError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a LanguageModelError');
}

test('no key: NoPermissions saying how to set one, and no request', async () => {
  const err = await failure(() => (key = undefined));
  assert.equal(err.code, 'NoPermissions');
  assert.equal(err.message, 'No Anthropic API key is set; use “Set Anthropic API Key” to add one.');
  assert.equal(fake.requests.length, 0);
});

test('a rejected key is NoPermissions, an unknown model NotFound, a rate limit Blocked, an outage a plain error', async () => {
  resetClientCache();
  const auth = await failure(() => (key = 'fake-key-wrong-key-000000000'));
  assert.equal(auth.code, 'NoPermissions');
  assert.match(auth.message, /rejected the API key \(401\)/);

  key = KEY;
  const unknownModel = await (async () => {
    try {
      await provider.provideLanguageModelChatResponse(
        { ...sonnet(), id: 'claude-unknown-0' },
        [message(Role.User, new TextPart('Hi'))],
        options(),
        { report: () => undefined },
        tokenSource().token,
      );
    } catch (err) {
      return err as LanguageModelError;
    }
    assert.fail('expected NotFound');
  })();
  assert.equal(unknownModel.code, 'NotFound');
  assert.match(unknownModel.message, /“claude-unknown-0” was not found/);

  // The client retries twice, as it does for the architect; each attempt gets the 429.
  const rateLimit = await failure(() => fake.script(...Array.from({ length: 3 }, () => ({ status: 429, retryAfterMs: 1 }))));
  assert.equal(rateLimit.code, 'Blocked');
  assert.match(rateLimit.message, /rate limit/);

  const outage = await failure(() => fake.script(...Array.from({ length: 3 }, () => ({ status: 500, retryAfterMs: 1 }))));
  assert.equal(outage.code, 'Unknown');
  assert.match(outage.message, /server error \(500\)/);
});

// --- Token counting -----------------------------------------------------------------------

test('provideTokenCount asks count_tokens for text and messages, and estimates without a key', async () => {
  const text = 'How many tokens is this?';
  const n = await provider.provideTokenCount(sonnet(), text, tokenSource().token);
  assert.equal(n, Math.ceil(text.length / 4), 'the fake counts chars/4');
  assert.equal(fake.requests[0].path, '/v1/messages/count_tokens');

  await provider.provideTokenCount(sonnet(), message(Role.Assistant, new TextPart('Calling'), new ToolCallPart('c', 'read_file', { path: 'a' })), tokenSource().token);
  assert.deepEqual((fake.requests[1].body as { messages: unknown[] }).messages, [{ role: 'user', content: 'Calling\nread_file {"path":"a"}' }]);

  key = undefined;
  assert.equal(await provider.provideTokenCount(sonnet(), 'Cache the lessons.', tokenSource().token), estimateTokens('Cache the lessons.'));
  assert.equal(fake.requests.length, 2);
});

test('provideTokenCount without a key estimates as the token budget does, not at four characters a token', async () => {
  key = undefined;
  const code = [
    'export async function getLesson(id: string): Promise<Lesson | null> {',
    '  const cached = await redis.get(`lesson:${id}`);',
    '  if (cached) return JSON.parse(cached) as Lesson;',
    '  return prisma.lesson.findUnique({ where: { id } });',
    '}',
  ].join('\n');
  const n = await provider.provideTokenCount(sonnet(), code, tokenSource().token);
  assert.equal(n, estimateTokens(code));
  assert.ok(n > Math.ceil(code.length / 4), `${n} tokens for ${code.length} characters`);

  assert.equal(await provider.provideTokenCount(sonnet(), message(Role.User, new TextPart(code)), tokenSource().token), n);
  const withImage = message(Role.User, new TextPart(code), { mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) });
  assert.ok((await provider.provideTokenCount(sonnet(), withImage, tokenSource().token)) >= IMAGE_TOKEN_ESTIMATE + n);
  assert.equal(fake.requests.length, 0, 'nothing is sent without a key');
});
