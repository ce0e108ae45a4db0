/**
 * What one answer that uses tools costs, request by request: the shipped agent as the system
 * prompt, the real tool definitions, the real tools running on a copy of the sample workspace,
 * the real SDK path (`runToolLoop`) against the fake Anthropic server, whose prompt cache is
 * accounted by prefix as the API's is. The same turn runs with the prompt cache on (as the
 * extension sends it) and off. Bundled for Node by `toolTurn.mjs`, which prints the table.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModel } from '../../src/core/agent/models';
import { parseAgentFile } from '../../src/core/agent/parse';
import { runToolLoop, type RequestReceipt } from '../../src/core/llm/toolLoop';
import { costOf } from '../../src/core/llm/pricing';
import type { ArchitectRequest } from '../../src/core/llm/types';
import { buildArchitectRequest } from '../../src/core/prompt/request';
import { grantTools, runTool, toolDefinitions } from '../../src/core/tools';
import type { TurnUsage } from '../../src/shared/protocol';
import { startFakeAnthropic, type FakeAnthropic, type Scenario, type WireUsage } from '../fake-anthropic/server';
import { newSession, testHost } from '../unit/core/tools/support';
import { REPO_ROOT } from '../unit/support/paths';

const KEY = 'fake-key-bench-0000000000000000';
const AGENT_FILE = 'agents/lingualeap-backend-architect.md';
const QUESTION = 'How are lessons listed, and will that query hold up as the lesson table grows?';
/** Claude Sonnet's smallest cacheable prefix: shorter prefixes are neither written nor read. */
const MIN_CACHEABLE_TOKENS = 1024;

/** Glob -> Read -> Grep -> answer: four requests, as the model would make them. */
const SCRIPT: readonly Scenario[] = [
  { text: 'I will start from the Prisma schema, then look at how lessons are queried.', toolCalls: [{ name: 'Glob', input: { pattern: '**/*.prisma' } }] },
  { toolCalls: [{ name: 'Read', input: { file_path: 'prisma/schema.prisma' } }] },
  { toolCalls: [{ name: 'Grep', input: { pattern: 'findMany', output_mode: 'content', '-n': true, '-C': 3 } }] },
  {
    text: [
      '## Lesson listing',
      '',
      '`LessonService.listByLanguage` runs `findMany` filtered by `language` and ordered by `createdAt`,',
      'but `Lesson` has neither a `createdAt` column nor an index on `language`: every listing scans the table.',
      '',
      '- Add `createdAt DateTime @default(now())` and `@@index([language, createdAt])`.',
      '- Page with a cursor on `(createdAt, id)` instead of `take` alone.',
    ].join('\n'),
  },
];

/** One request of the turn as the bench reports it. */
export interface StepRow {
  /** The tool the model called in this request's reply, or `answer`. */
  readonly reply: string;
  /** Our accounting (the SDK path's receipt). */
  readonly usage: TurnUsage;
  /** What the fake server reported on the wire for the same request. */
  readonly wire: WireUsage;
  /** Every input token: fresh + cache write + cache read. */
  readonly inputTokens: number;
  /** The share of the input read from the cache. */
  readonly readShare: number;
  /** Dollars at the model's list price, output included. */
  readonly dollars: number;
  /** Bytes of the request body: what the request carried. */
  readonly bodyBytes: number;
}

export interface TurnRun {
  readonly status: string;
  readonly steps: readonly StepRow[];
  readonly total: TurnUsage;
  readonly dollars: number;
  /** The tool results each request after the first carried, as the tools really answered. */
  readonly toolResults: readonly string[];
}

export interface ToolTurnBench {
  readonly model: string;
  readonly agent: string;
  readonly tools: readonly string[];
  /** Estimated tokens of the tool definitions and the system prompt (the fake's chars/4). */
  readonly toolTokens: number;
  readonly systemTokens: number;
  readonly minCacheableTokens: number;
  readonly cached: TurnRun;
  readonly uncached: TurnRun;
}

const estimate = (text: string): number => Math.ceil(text.length / 4);

async function runTurn(fake: FakeAnthropic, request: ArchitectRequest, workspace: string): Promise<TurnRun> {
  fake.reset();
  fake.script(...SCRIPT.map((scenario) => ({ delayMs: 0, chunkSize: 200, ...scenario })));
  const host = testHost([workspace]);
  const session = newSession();
  const lines: string[] = [];
  const result = await runToolLoop({
    settings: { apiKey: KEY, baseUrl: fake.url, maxRetries: 0 },
    request,
    signal: new AbortController().signal,
    maxSteps: 8,
    executeTool: async (call, signal) => {
      const outcome = await runTool(call.name, call.input, host, session, signal);
      return { content: outcome.content, isError: outcome.isError };
    },
    onText: () => undefined,
    logger: { info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) },
  });
  if (result.status !== 'completed') {
    throw new Error(`the turn did not complete (${result.status}): ${lines.join('\n')}`);
  }
  const receipts: readonly RequestReceipt[] = result.requests;
  const recorded = fake.requests.filter((r) => r.path === '/v1/messages');
  if (receipts.length !== recorded.length) {
    throw new Error(`${receipts.length} receipts for ${recorded.length} requests`);
  }
  const steps = receipts.map((receipt, k): StepRow => {
    const usage = receipt.usage;
    const inputTokens = usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
    const call = SCRIPT[k].toolCalls?.[0]?.name;
    return {
      reply: call ?? 'answer',
      usage,
      wire: recorded[k].usage!,
      inputTokens,
      readShare: inputTokens === 0 ? 0 : usage.cacheReadTokens / inputTokens,
      dollars: costOf(receipt.model, usage) ?? Number.NaN,
      bodyBytes: Buffer.byteLength(JSON.stringify(recorded[k].body)),
    };
  });
  const toolResults = result.messages
    .filter((message) => message.role === 'user')
    .flatMap((message) => [...message.content])
    .flatMap((block) => (block.type === 'tool_result' ? [typeof block.content === 'string' ? block.content : JSON.stringify(block.content)] : []));
  return { status: result.status, steps, total: result.usage, dollars: costOf(request.model, result.usage) ?? Number.NaN, toolResults };
}

/** Runs the 4-step turn with the prompt cache on, then off, and reports both. */
export async function toolTurnBench(): Promise<ToolTurnBench> {
  const parsed = parseAgentFile(readFileSync(join(REPO_ROOT, AGENT_FILE), 'utf8'), AGENT_FILE);
  const agent = parsed.agent;
  if (!agent) {
    throw new Error(`${AGENT_FILE} does not parse: ${JSON.stringify(parsed.problems)}`);
  }
  const model = resolveModel(agent.model, '').id;
  const granted = grantTools(agent.tools.length > 0 ? agent.tools : undefined).granted;
  const tools = toolDefinitions(granted, { web: true });
  const request = buildArchitectRequest({ agent, model, maxTokens: 4096, question: QUESTION, contexts: [], tools });

  const workspace = join(mkdtempSync(join(tmpdir(), 'lingualeap-bench-')), 'lingualeap-backend');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const fake = await startFakeAnthropic({ validKey: KEY, minCacheableTokens: MIN_CACHEABLE_TOKENS });
  try {
    const cached = await runTurn(fake, request, workspace);
    const uncached = await runTurn(fake, { ...request, cacheSystemPrompt: false, cacheConversation: false }, workspace);
    return {
      model,
      agent: agent.name,
      tools: tools.map((tool) => ('name' in tool ? tool.name : tool.type)),
      toolTokens: estimate(JSON.stringify(tools)),
      systemTokens: estimate(agent.body),
      minCacheableTokens: MIN_CACHEABLE_TOKENS,
      cached,
      uncached,
    };
  } finally {
    await fake.close();
    rmSync(join(workspace, '..'), { recursive: true, force: true });
  }
}
