/**
 * runToolLoop against the fake Anthropic server, through the real SDK and real HTTP: the tool
 * results, server tool blocks and cache breakpoints are checked on the wire, in the requests
 * the fake recorded; usage and cache reads are the fake's prefix accounting.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAgentFile } from '../../../../src/core/agent/parse';
import {
  runToolLoop,
  stepLimitNote,
  toolCallCutNote,
  type ServerToolEvent,
  type ToolCall,
  type ToolLoopInput,
  type ToolLoopResult,
  type ToolResult,
} from '../../../../src/core/llm/toolLoop';
import type { ArchitectRequest } from '../../../../src/core/llm/types';
import { buildArchitectRequest } from '../../../../src/core/prompt/request';
import type { FakeAnthropic, RecordedRequest, Scenario } from '../../../fake-anthropic/server';
import { logRecorders, useFakeAnthropic, type RecordingLogger } from '../../support/fakeApi';
import { repoPath } from '../../support/paths';

const KEY = 'fake-key-test-toolloop-0123456789abcdef';
const CODE = 'export function computeLessonScore(user: User) { return user.xp * secretMultiplier; }';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));
/** Every line any test logs is checked for the key and for code that went to the model. */
const recorder = logRecorders([KEY, 'secretMultiplier', 'computeLessonScore']);

const TOOLS = [
  {
    name: 'Glob',
    description: 'Finds files by glob pattern.',
    input_schema: { type: 'object', properties: { pattern: { type: 'string' } }, required: ['pattern'] },
  },
  {
    name: 'Read',
    description: 'Reads a file of the workspace.',
    input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
  },
  {
    name: 'Grep',
    description: 'Searches file contents with a regular expression.',
    input_schema: { type: 'object', properties: { pattern: { type: 'string' }, path: { type: 'string' } }, required: ['pattern'] },
  },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
];

const QUESTION = 'How are lesson scores computed, and is it safe under load?';

const request: ArchitectRequest = {
  model: 'claude-sonnet-5-5',
  system: 'You are the LinguaLeap backend architect.',
  messages: [{ role: 'user', content: QUESTION }],
  maxTokens: 4096,
  tools: TOOLS,
};

const GLOB_OUTPUT = 'src/lessons/service.ts\nsrc/lessons/repository.ts\nsrc/lessons/score.ts';
const READ_OUTPUT = [
  "import { db } from '../db';",
  '',
  CODE,
  '',
  'export async function lessonScores(ids: string[]) {',
  '  return Promise.all(ids.map((id) => db.query(`SELECT * FROM scores WHERE id = ${id}`)));',
  '}',
].join('\n');
const GREP_OUTPUT = 'src/lessons/service.ts:3: computeLessonScore(user)\nsrc/api/routes.ts:41: computeLessonScore(req.user)';

/** Canned tool outputs, and every call the loop made, in order. */
function recordingTools(outputs: Record<string, ToolResult | Error> = {}) {
  const calls: ToolCall[] = [];
  const signals: AbortSignal[] = [];
  const defaults: Record<string, ToolResult> = {
    Glob: { content: GLOB_OUTPUT, isError: false },
    Read: { content: READ_OUTPUT, isError: false },
    Grep: { content: GREP_OUTPUT, isError: false },
  };
  const executeTool = (call: ToolCall, signal: AbortSignal): Promise<ToolResult> => {
    calls.push(call);
    signals.push(signal);
    const output = outputs[call.name] ?? defaults[call.name] ?? { content: `No tool ${call.name}`, isError: true };
    return output instanceof Error ? Promise.reject(output) : Promise.resolve(output);
  };
  return { calls, signals, executeTool };
}

interface Run {
  readonly result: ToolLoopResult;
  readonly deltas: string[];
  readonly events: string[];
  readonly server: ServerToolEvent[];
  readonly logger: RecordingLogger;
}

async function run(overrides: Partial<ToolLoopInput> = {}): Promise<Run> {
  const deltas: string[] = [];
  const events: string[] = [];
  const server: ServerToolEvent[] = [];
  const logger = recorder();
  const result = await runToolLoop({
    settings: { apiKey: KEY, baseUrl: fake.url, maxRetries: 0 },
    request,
    signal: new AbortController().signal,
    maxSteps: 8,
    executeTool: recordingTools().executeTool,
    onText: (text) => deltas.push(text),
    onToolCall: (call) => events.push(`call ${call.name} ${call.id}`),
    onToolResult: (call, r) => events.push(`result ${call.name} ${call.id}${r.isError ? ' error' : ''}`),
    onServerTool: (event) => server.push(event),
    logger,
    ...overrides,
  });
  return { result, deltas, events, server, logger };
}

interface WireBlock {
  readonly type: string;
  readonly cache_control?: unknown;
  readonly [field: string]: unknown;
}
interface WireMessage {
  readonly role: string;
  readonly content: string | WireBlock[];
}
interface WireBody {
  readonly messages: WireMessage[];
  readonly tools?: Record<string, unknown>[];
  readonly system?: unknown;
}

const bodyOf = (r: RecordedRequest): WireBody => r.body as WireBody;

/** A deep copy without `cache_control` (checked on its own in the cache tests). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => (key === 'cache_control' ? undefined : v)) as T;
}

const blocks = (message: WireMessage | undefined): WireBlock[] => {
  assert.ok(message && Array.isArray(message.content), 'a message of content blocks');
  return plain(message.content);
};

const toolUse = (id: string, name: string, input: unknown): WireBlock => ({ type: 'tool_use', id, name, input, caller: { type: 'direct' } });

/** Glob -> Read -> Grep -> answer, as the model would script it. */
const GLOB_READ_GREP: Scenario[] = [
  { text: 'Let me find the lesson services.', toolCalls: [{ name: 'Glob', input: { pattern: 'src/**/*.ts' } }] },
  { toolCalls: [{ name: 'Read', input: { file_path: 'src/lessons/service.ts' } }] },
  { text: 'Checking who calls it.', toolCalls: [{ name: 'Grep', input: { pattern: 'computeLessonScore', path: 'src' } }] },
  { text: '## Findings\n\nScores are computed per request; the query interpolates ids.', chunkSize: 7 },
];

test('Glob -> Read -> Grep -> answer: each call runs in order and its tool_result goes back on the wire', async () => {
  fake.script(...GLOB_READ_GREP);
  const tools = recordingTools();
  const { result, deltas, events, logger } = await run({ executeTool: tools.executeTool });

  assert.equal(result.status, 'completed');
  assert.deepEqual(
    tools.calls.map((c) => [c.name, c.id, c.input]),
    [
      ['Glob', 'toolu_fake_0_0', { pattern: 'src/**/*.ts' }],
      ['Read', 'toolu_fake_1_0', { file_path: 'src/lessons/service.ts' }],
      ['Grep', 'toolu_fake_2_0', { pattern: 'computeLessonScore', path: 'src' }],
    ],
  );
  assert.deepEqual(events, [
    'call Glob toolu_fake_0_0',
    'result Glob toolu_fake_0_0',
    'call Read toolu_fake_1_0',
    'result Read toolu_fake_1_0',
    'call Grep toolu_fake_2_0',
    'result Grep toolu_fake_2_0',
  ]);

  // On the wire: every request carries the tools; each continuation ends with the assistant's
  // tool_use and the user's tool_result answering its id.
  assert.equal(fake.requests.length, 4);
  for (const r of fake.requests) {
    assert.deepEqual(plain(bodyOf(r).tools), TOOLS);
  }
  const second = bodyOf(fake.requests[1]).messages;
  assert.deepEqual(second.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.deepEqual(blocks(second[1]), [{ type: 'text', text: 'Let me find the lesson services.' }, toolUse('toolu_fake_0_0', 'Glob', { pattern: 'src/**/*.ts' })]);
  assert.deepEqual(blocks(second[2]), [{ type: 'tool_result', tool_use_id: 'toolu_fake_0_0', content: GLOB_OUTPUT }]);
  const third = bodyOf(fake.requests[2]).messages;
  assert.equal(third.length, 5);
  assert.deepEqual(blocks(third[3]), [toolUse('toolu_fake_1_0', 'Read', { file_path: 'src/lessons/service.ts' })]);
  assert.deepEqual(blocks(third[4]), [{ type: 'tool_result', tool_use_id: 'toolu_fake_1_0', content: READ_OUTPUT }]);
  const fourth = bodyOf(fake.requests[3]).messages;
  assert.equal(fourth.length, 7);
  assert.deepEqual(blocks(fourth[6]), [{ type: 'tool_result', tool_use_id: 'toolu_fake_2_0', content: GREP_OUTPUT }]);
  assert.deepEqual(plain(fourth.slice(0, 5)), plain(third), 'each request extends the previous one unchanged');

  // The text of every step, a paragraph apart, exactly as it was streamed.
  const answer = '## Findings\n\nScores are computed per request; the query interpolates ids.';
  assert.equal(result.text, `Let me find the lesson services.\n\nChecking who calls it.\n\n${answer}`);
  assert.equal(deltas.join(''), result.text);
  assert.ok(deltas.length > 10, 'streamed as deltas, not at the end');
  if (result.status === 'completed') {
    assert.equal(result.stopReason, 'end_turn');
    assert.equal(result.stepLimitReached, false);
    assert.equal(result.note, undefined);
  }
  assert.deepEqual(
    result.steps.map((s) => [s.name, s.isError, s.server]),
    [
      ['Glob', false, false],
      ['Read', false, false],
      ['Grep', false, false],
    ],
  );
  assert.deepEqual(
    result.requests.map((r) => [r.requestId, r.outcome, r.partial, r.stopReason]),
    fake.requests.map((r, i) => [r.requestId, 'completed', false, i < 3 ? 'tool_use' : 'end_turn']),
  );
  // The turn's messages continue the conversation as they are: 3 exchanges and the answer.
  assert.deepEqual(result.messages.map((m) => m.role), ['assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  assert.deepEqual(plain(result.messages.slice(0, 6)), plain(fourth.slice(1)));

  // One line per request, one for the turn; never the code (checked after every test).
  const stepLines = logger.lines.filter((l) => l.message.startsWith('Tool turn step'));
  assert.equal(stepLines.length, 4);
  assert.match(stepLines[1].message, /^Tool turn step 2\/8: model=claude-sonnet-5-5 request=\d+ chars .* id=req_fake_\d+ .*outcome=completed received=0 chars, 1 tool call stop=tool_use usage in=/);
  const turnLine = logger.lines.find((l) => l.message.startsWith('Tool turn:'));
  assert.match(turnLine?.message ?? '', /requests=4 tools=3 .*outcome=completed /);
});

test('a failing tool and a tool that throws both answer with is_error, in call order, in one user message', async () => {
  fake.script(
    {
      toolCalls: [
        { name: 'Read', input: { file_path: 'src/missing.ts' } },
        { name: 'Grep', input: { pattern: '(' } },
      ],
    },
    { text: 'The file does not exist.' },
  );
  const tools = recordingTools({ Read: { content: 'File not found: src/missing.ts', isError: true }, Grep: new Error('rg exited with code 2') });
  const { result, events, logger } = await run({ executeTool: tools.executeTool });

  assert.equal(result.status, 'completed');
  const sent = bodyOf(fake.requests[1]).messages;
  assert.deepEqual(blocks(sent[2]), [
    { type: 'tool_result', tool_use_id: 'toolu_fake_0_0', content: 'File not found: src/missing.ts', is_error: true },
    { type: 'tool_result', tool_use_id: 'toolu_fake_0_1', content: 'The tool failed: rg exited with code 2', is_error: true },
  ]);
  assert.deepEqual(events, ['call Read toolu_fake_0_0', 'result Read toolu_fake_0_0 error', 'call Grep toolu_fake_0_1', 'result Grep toolu_fake_0_1 error']);
  assert.deepEqual(result.steps.map((s) => s.isError), [true, true]);
  assert.ok(logger.lines.some((l) => l.level === 'warn' && /Tool Grep threw/.test(l.message)), 'a throwing tool is logged');
});

test('a call whose input is not valid JSON does not run: its tool_result says so and the turn goes on', async () => {
  fake.script(
    { text: 'Reading it.', toolCalls: [{ name: 'Read', rawJson: '{"file_path": "src/less', jsonChunkSize: 4 }] },
    { toolCalls: [{ name: 'Read', input: { file_path: 'src/lessons/service.ts' } }] },
    { text: 'Done.' },
  );
  const tools = recordingTools();
  const seen: ToolCall[] = [];
  const { result } = await run({ executeTool: tools.executeTool, onToolCall: (call) => seen.push(call) });

  assert.equal(result.status, 'completed');
  assert.deepEqual(tools.calls.map((c) => c.id), ['toolu_fake_1_0'], 'only the valid call ran');
  assert.equal(seen[0].input, '{"file_path": "src/less', 'the raw text is what the UI can show');
  const sent = bodyOf(fake.requests[1]).messages;
  // The API needs an object as input, so the cut call goes back with an empty one.
  assert.deepEqual(blocks(sent[1])[1], toolUse('toolu_fake_0_0', 'Read', {}));
  const [answer] = blocks(sent[2]);
  assert.equal(answer.tool_use_id, 'toolu_fake_0_0');
  assert.equal(answer.is_error, true);
  assert.match(String(answer.content), /input of this call to Read was not a valid JSON object .*Send the call again/);
  assert.deepEqual(result.steps.map((s) => [s.name, s.isError]), [
    ['Read', true],
    ['Read', false],
  ]);
});

test('web search and fetch blocks go back verbatim and are reported with their URLs; the request counts them', async () => {
  fake.script(
    {
      text: 'Let me check the docs.',
      serverToolCalls: [
        {
          name: 'web_search',
          input: { query: 'node-postgres pool size' },
          results: [
            { url: 'https://node-postgres.com/apis/pool', title: 'pg.Pool', text: 'max: maximum number of clients the pool should contain' },
            { url: 'https://example.org/pooling', title: 'Pooling' },
          ],
        },
        { name: 'web_fetch', input: { url: 'https://blocked.example/' }, errorCode: 'url_not_accessible' },
      ],
      textAfter: 'The pool caps clients with max.',
      toolCalls: [{ name: 'Read', input: { file_path: 'src/db.ts' } }],
    },
    { text: 'Set max to 10.' },
  );
  const { result, server } = await run();

  assert.equal(result.status, 'completed');
  assert.deepEqual(server, [
    {
      kind: 'search',
      id: 'srvtoolu_fake_0_0',
      query: 'node-postgres pool size',
      results: [
        { url: 'https://node-postgres.com/apis/pool', title: 'pg.Pool' },
        { url: 'https://example.org/pooling', title: 'Pooling' },
      ],
    },
    { kind: 'fetch', id: 'srvtoolu_fake_0_1', url: 'https://blocked.example/', results: [], error: 'url_not_accessible' },
  ]);
  // The assistant message goes back with every block as it came (the fake validates the pairs).
  const assistant = blocks(bodyOf(fake.requests[1]).messages[1]);
  assert.deepEqual(
    assistant.map((b) => b.type),
    ['text', 'server_tool_use', 'web_search_tool_result', 'server_tool_use', 'web_fetch_tool_result', 'text', 'tool_use'],
  );
  assert.deepEqual(assistant[1], { type: 'server_tool_use', id: 'srvtoolu_fake_0_0', name: 'web_search', input: { query: 'node-postgres pool size' }, caller: { type: 'direct' } });
  const found = assistant[2].content as { type: string; url: string; encrypted_content: string }[];
  assert.deepEqual(found.map((r) => [r.type, r.url]), [
    ['web_search_result', 'https://node-postgres.com/apis/pool'],
    ['web_search_result', 'https://example.org/pooling'],
  ]);
  assert.ok(found[0].encrypted_content.length > 0);
  assert.deepEqual(assistant[4].content, { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' });
  const cited = assistant[5] as WireBlock & { text: string; citations: { type: string; url: string }[] };
  assert.equal(cited.text, 'The pool caps clients with max.');
  assert.deepEqual(cited.citations.map((c) => [c.type, c.url]), [['web_search_result_location', 'https://node-postgres.com/apis/pool']]);

  assert.equal(result.text, 'Let me check the docs.\n\nThe pool caps clients with max.\n\nSet max to 10.');
  assert.deepEqual(
    result.steps.map((s) => [s.name, s.server, s.isError]),
    [
      ['web_search', true, false],
      ['web_fetch', true, true],
      ['Read', false, false],
    ],
  );
  assert.deepEqual(
    result.requests.map((r) => [r.webSearches, r.webFetches]),
    [
      [1, 1],
      [0, 0],
    ],
  );
});

test('pause_turn: the paused assistant content goes back as it is, as the last message, and the turn resumes', async () => {
  fake.script(
    { text: 'Looking this up.', serverToolCalls: [{ name: 'web_search', input: { query: 'redis ttl sessions' } }], stopReason: 'pause_turn' },
    { text: 'Use a 30 minute TTL.' },
  );
  const { result, server } = await run();

  assert.equal(result.status, 'completed');
  assert.equal(fake.requests.length, 2);
  const resumed = bodyOf(fake.requests[1]).messages;
  assert.deepEqual(resumed.map((m) => m.role), ['user', 'assistant'], 'no user message after the paused content');
  assert.deepEqual(blocks(resumed[1]).map((b) => b.type), ['text', 'server_tool_use', 'web_search_tool_result']);
  assert.equal(server.length, 1);
  assert.equal(result.text, 'Looking this up.\n\nUse a 30 minute TTL.');
  // The turn's messages: one assistant message, the paused part and what followed it.
  assert.deepEqual(result.messages.map((m) => m.role), ['assistant']);
  assert.deepEqual(plain(result.messages[0].content).map((b) => b.type), ['text', 'server_tool_use', 'web_search_tool_result', 'text']);
  assert.deepEqual(result.requests.map((r) => r.stopReason), ['pause_turn', 'end_turn']);
});

test('maxSteps: the turn ends after that many requests with the text so far and a note; the last calls do not run', async () => {
  fake.script(
    { text: 'Step one.', toolCalls: [{ name: 'Glob', input: { pattern: '**/*.ts' } }] },
    { text: 'Step two.', toolCalls: [{ name: 'Read', input: { file_path: 'a.ts' } }] },
    { text: 'never asked for' },
  );
  const tools = recordingTools();
  const { result, deltas } = await run({ executeTool: tools.executeTool, maxSteps: 2 });

  assert.equal(result.status, 'completed');
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(tools.calls.map((c) => c.name), ['Glob']);
  const note = stepLimitNote(2);
  assert.match(note, /2 steps/);
  if (result.status === 'completed') {
    assert.equal(result.stepLimitReached, true);
    assert.equal(result.note, note);
    assert.equal(result.stopReason, 'tool_use');
  }
  assert.equal(result.text, `Step one.\n\nStep two.\n\n*${note}*`);
  assert.equal(deltas.join(''), result.text, 'the note is streamed too');
  // The unanswered call is not in the messages the turn hands back (they must stay valid to send).
  const last = result.messages[result.messages.length - 1];
  assert.equal(last.role, 'assistant');
  assert.deepEqual(plain(last.content), [{ type: 'text', text: 'Step two.' }]);
});

test('max_tokens in the middle of a tool_use: the turn ends with the text so far and a note, nothing runs', async () => {
  fake.script({ text: 'I will read the service.\n```ts\nconst x = 1;', toolCalls: [{ name: 'Read', rawJson: '{"file_path": "src/le' }], stopReason: 'max_tokens' });
  const tools = recordingTools();
  const { result, deltas } = await run({ executeTool: tools.executeTool });

  assert.equal(result.status, 'completed');
  assert.equal(tools.calls.length, 0);
  assert.equal(fake.requests.length, 1);
  const note = toolCallCutNote('Read');
  if (result.status === 'completed') {
    assert.equal(result.stopReason, 'max_tokens');
    assert.equal(result.note, note);
  }
  // The open code block is closed first, so the note is not read as code.
  assert.equal(result.text, `I will read the service.\n\`\`\`ts\nconst x = 1;\n\`\`\`\n\n*${note}*`);
  assert.equal(deltas.join(''), result.text);
});

test('Stop during a request: the connection closes at once, cancelled, the text shown is kept, the usage so far counted', async () => {
  fake.script(
    { text: 'Looking.', toolCalls: [{ name: 'Glob', input: { pattern: '*.ts' } }] },
    // 1 s between deltas: a close seen well before that cannot be a between-chunks check.
    { text: 'abcdefghijklmnop', chunkSize: 4, delayMs: 1000 },
  );
  const controller = new AbortController();
  let abortedAt = 0;
  const { result } = await run({
    signal: controller.signal,
    onText: (text) => {
      if (text.includes('abcd')) {
        abortedAt = Date.now();
        controller.abort();
      }
    },
  });
  const settledAfter = Date.now() - abortedAt;

  assert.equal(result.status, 'cancelled');
  assert.equal(result.text, 'Looking.\n\nabcd');
  assert.ok(settledAfter < 400, `settled ${settledAfter} ms after Stop`);
  const closed = await fake.waitForClose(1, 2000);
  assert.equal(closed.clientAborted, true);
  assert.ok(closed.closedAt! - abortedAt < 400, `the fake saw the close after ${closed.closedAt! - abortedAt} ms`);

  // The stopped request still cost what its message_start reported.
  const stopped = result.requests[1];
  assert.equal(stopped.partial, true);
  assert.equal(stopped.outcome, 'cancelled');
  const wire = fake.requests[1].usage!;
  assert.ok(wire.input_tokens + wire.cache_read_input_tokens > 0);
  assert.deepEqual(stopped.usage, {
    inputTokens: wire.input_tokens,
    outputTokens: 1,
    cacheReadTokens: wire.cache_read_input_tokens,
    cacheWriteTokens: wire.cache_creation_input_tokens,
  });
  assert.equal(result.usage.inputTokens, result.requests[0].usage.inputTokens + stopped.usage.inputTokens);
  assert.equal(result.usage.cacheReadTokens, result.requests[0].usage.cacheReadTokens + stopped.usage.cacheReadTokens);
});

test('Stop during a slow tool: the turn ends at once, cancelled, with the text shown; the tool got the signal; nothing more is sent', async () => {
  fake.script({ text: 'Reading the service.', toolCalls: [{ name: 'Read', input: { file_path: 'src/big.ts' } }] });
  const controller = new AbortController();
  let toolSignal: AbortSignal | undefined;
  let abortedAt = 0;
  const { result, logger } = await run({
    signal: controller.signal,
    // A tool that ignores Stop: the loop must not wait for it.
    executeTool: (_call, signal) => {
      toolSignal = signal;
      setTimeout(() => {
        abortedAt = Date.now();
        controller.abort();
      }, 100);
      return new Promise((resolve) => setTimeout(() => resolve({ content: 'late', isError: false }), 3000).unref());
    },
  });
  const settledAfter = Date.now() - abortedAt;

  assert.equal(result.status, 'cancelled');
  assert.ok(settledAfter < 400, `settled ${settledAfter} ms after Stop`);
  assert.equal(result.text, 'Reading the service.');
  assert.equal(toolSignal?.aborted, true, 'the tool was handed the turn signal');
  assert.equal((await fake.waitForClose(0, 1000)).closed, true, 'the HTTP connection is closed');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(fake.requests.length, 1, 'no request after Stop');
  assert.deepEqual(result.steps, [], 'the stopped call has no result');
  // The unanswered call is left out of the messages handed back; the text before it stays.
  assert.deepEqual(plain(result.messages), [{ role: 'assistant', content: [{ type: 'text', text: 'Reading the service.' }] }]);
  assert.match(logger.lines.at(-1)?.message ?? '', /^Tool turn: .*outcome=cancelled during a tool/);
});

test('prompt cache: in a 4-step turn every step after the first reads the whole earlier prefix, >= 80% of its input', async () => {
  const agentFile = readFileSync(repoPath('agents', 'lingualeap-backend-architect.md'), 'utf8');
  const agent = parseAgentFile(agentFile, 'lingualeap-backend-architect.md').agent;
  assert.ok(agent, 'the shipped agent parses');
  fake.script(...GLOB_READ_GREP);
  const { result } = await run({ request: { ...request, system: agent.body } });

  assert.equal(result.status, 'completed');
  const usages = fake.requests.map((r) => r.usage!);
  assert.equal(usages.length, 4);
  assert.equal(usages[0].cache_read_input_tokens, 0);
  assert.ok(usages[0].cache_creation_input_tokens > 0);
  for (let k = 1; k < usages.length; k++) {
    const u = usages[k];
    const before = usages[k - 1];
    const input = u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens;
    assert.equal(u.cache_read_input_tokens, before.cache_read_input_tokens + before.cache_creation_input_tokens, `step ${k + 1} reads all that step ${k} wrote`);
    assert.ok(u.cache_read_input_tokens / input >= 0.8, `step ${k + 1} read ${u.cache_read_input_tokens} of ${input} tokens from the cache`);
  }

  // Where the breakpoints sit: the last tool, the system prompt, the end of the previous
  // request (two messages back) and the newest message; never more than four.
  for (const [k, r] of fake.requests.entries()) {
    const body = bodyOf(r);
    const marked = (list: readonly { cache_control?: unknown }[]) => list.flatMap((b, i) => (b.cache_control ? [i] : []));
    assert.deepEqual(marked(body.tools ?? []), [TOOLS.length - 1]);
    assert.deepEqual(marked(body.system as { cache_control?: unknown }[]), [0]);
    const messages = body.messages.flatMap((m, i) => (Array.isArray(m.content) && marked(m.content).length > 0 ? [i] : []));
    assert.deepEqual(messages, k === 0 ? [0] : [body.messages.length - 3, body.messages.length - 1]);
  }

  // The turn's usage is every request's, added up; each request keeps its own.
  const sum = (field: 'input_tokens' | 'output_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens') =>
    usages.reduce((n, u) => n + u[field], 0);
  assert.deepEqual(result.usage, {
    inputTokens: sum('input_tokens'),
    outputTokens: sum('output_tokens'),
    cacheReadTokens: sum('cache_read_input_tokens'),
    cacheWriteTokens: sum('cache_creation_input_tokens'),
  });
  assert.deepEqual(
    result.requests.map((r) => r.usage.cacheReadTokens),
    usages.map((u) => u.cache_read_input_tokens),
  );
});

test('a request that fails after message_start still counts the usage it reported there (partial), and the turn fails', async () => {
  fake.script(
    { text: 'Looking.', toolCalls: [{ name: 'Glob', input: { pattern: '*.ts' } }] },
    { text: 'abcdefgh', chunkSize: 2, interrupt: { action: 'error', afterDeltas: 1, errorType: 'overloaded_error' } },
  );
  const { result } = await run();

  assert.equal(result.status, 'failed');
  assert.equal(result.text, 'Looking.\n\nab', 'the text shown is kept');
  if (result.status === 'failed') {
    assert.equal(result.failure.kind, 'streamError');
    assert.equal(result.failure.requestId, fake.requests[1].requestId);
  }
  const failed = result.requests[1];
  assert.equal(failed.partial, true);
  assert.equal(failed.outcome, 'failed');
  const wire = fake.requests[1].usage!;
  assert.equal(failed.usage.inputTokens, wire.input_tokens);
  assert.equal(failed.usage.cacheReadTokens, wire.cache_read_input_tokens);
  assert.ok(failed.usage.cacheReadTokens > 0, 'the second request read the first one from the cache');
  assert.equal(result.usage.cacheReadTokens, result.requests[0].usage.cacheReadTokens + failed.usage.cacheReadTokens);
});

test('without tool calls the loop is one request: the text, one log line', async () => {
  const { result, deltas, logger } = await run({ request: { ...request, tools: undefined } });
  assert.equal(result.status, 'completed');
  assert.equal(fake.requests.length, 1);
  assert.equal((bodyOf(fake.requests[0]) as { tools?: unknown }).tools, undefined);
  assert.equal(deltas.join(''), result.text);
  assert.match(result.text, /^## Architecture review/);
  assert.equal(logger.lines.length, 1);
  assert.deepEqual(result.messages.map((m) => m.role), ['assistant']);
});

test('an exception thrown by a callback ends the turn as a failure, not a rejection', async () => {
  fake.script({ toolCalls: [{ name: 'Glob', input: { pattern: '*' } }] }, { text: 'unused' });
  const { result, logger } = await run({
    onToolResult: () => {
      throw new Error('renderer went away');
    },
  });
  assert.equal(result.status, 'failed');
  if (result.status === 'failed') {
    assert.equal(result.failure.kind, 'unknown');
  }
  assert.equal(fake.requests.length, 1);
  assert.ok(logger.lines.some((l) => l.level === 'error' && /renderer went away/.test(l.message)));
});

test('an already aborted signal sends nothing and is cancelled', async () => {
  const controller = new AbortController();
  controller.abort();
  const { result } = await run({ signal: controller.signal });
  assert.equal(result.status, 'cancelled');
  assert.equal(fake.requests.length, 0);
  assert.equal(result.requests.length, 1);
  assert.equal(result.requests[0].partial, true);
  assert.deepEqual(result.usage, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 });
});

test('a request built from a question carries the tools to the loop (and none when there are none)', async () => {
  const agent = { name: 'architect', description: 'd', tools: [], body: 'You are the architect.', source: 'agents/a.md' };
  const built = buildArchitectRequest({ agent, model: 'claude-sonnet-5-5', maxTokens: 1024, question: QUESTION, contexts: [], tools: TOOLS });
  fake.script({ toolCalls: [{ name: 'Glob', input: { pattern: '*' } }] }, { text: 'ok' });
  const { result } = await run({ request: built });
  assert.equal(result.status, 'completed');
  assert.deepEqual(plain(bodyOf(fake.requests[1]).tools), TOOLS);
  assert.equal('tools' in buildArchitectRequest({ agent, model: 'm', maxTokens: 1, question: 'q', contexts: [], tools: [] }), false);
});
