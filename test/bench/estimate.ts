/**
 * What the estimate under the question box costs to compute, with the product's own path: the
 * shipped agent, the tool definitions it grants, `Architect.estimate` (the budget's fit without
 * a count, the budget's token counter, the cached share, the price), for a 60,000-character
 * selection in a 20-turn conversation. Nothing here touches the network. `estimate.mjs`
 * bundles it for Node and prints the table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAgentFile } from '../../src/core/agent/parse';
import { Architect } from '../../src/core/architect/architect';
import type { ChatTurn } from '../../src/core/llm/types';
import type { CodeContext } from '../../src/core/prompt/context';
import type { QuestionEstimate } from '../../src/core/usage/answer';
import { REPO_ROOT } from '../unit/support/paths';

const AGENT_FILE = 'agents/lingualeap-backend-architect.md';

export interface EstimateBench {
  readonly selectionChars: number;
  readonly turns: number;
  readonly conversationChars: number;
  readonly runs: number;
  /** Milliseconds per estimate, sorted. */
  readonly times: readonly number[];
  readonly estimate: QuestionEstimate;
}

/** A selection of realistic TypeScript, `chars` long. */
function selection(chars: number): CodeContext {
  const source = readFileSync(join(REPO_ROOT, 'src/core/usage/ledger.ts'), 'utf8');
  let code = '';
  while (code.length < chars) {
    code += source;
  }
  code = code.slice(0, chars);
  const totalLines = code.split('\n').length;
  return { code, totalLines, reference: { path: 'src/core/usage/ledger.ts', languageId: 'typescript', startLine: 1, endLine: totalLines, kind: 'selection', truncated: false } };
}

/** `turns` questions and answers of a few hundred words each. */
function conversation(turns: number): ChatTurn[] {
  const answer = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').slice(0, 2400);
  return Array.from({ length: turns }, (_, i): ChatTurn[] => [
    { role: 'user', content: `Question ${i + 1}: how should the lesson service cache its reads, and what should the TTL be for lesson ${i + 1}?` },
    { role: 'assistant', content: `${answer}\n\nFor lesson ${i + 1}: cache under \`lesson:${i + 1}\`.` },
  ]).flat();
}

export async function estimateBench(runs = 200): Promise<EstimateBench> {
  const parsed = parseAgentFile(readFileSync(join(REPO_ROOT, AGENT_FILE), 'utf8'), AGENT_FILE);
  const agent = parsed.agent;
  if (!agent) {
    throw new Error(`${AGENT_FILE} does not parse: ${JSON.stringify(parsed.problems)}`);
  }
  const architect = new Architect({
    agents: { get: () => Promise.resolve(agent) },
    keys: { get: () => Promise.resolve('unused') },
    settings: () => ({ modelOverride: '', baseUrl: undefined, maxTokens: 4096, maxInputTokens: 0, maxRetries: 0, idleTimeoutMs: 60_000, toolsMaxSteps: 25, toolsWeb: true }),
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    // Only whether there is a workspace matters to the estimate: the tools are declared.
    tools: () => {
      throw new Error('the estimate runs no tool');
    },
  });
  const code = selection(60_000);
  const history = conversation(20);
  const previous = { model: 'claude-sonnet-5-5', promptTokens: 30_000, at: Date.now() };
  const query = { agent, question: 'How should this scale to 100k concurrent learners?', contexts: [code], history, previous };
  // Warm-up: the JIT, and the first read of everything.
  for (let i = 0; i < 20; i++) {
    await architect.estimate(query);
  }
  const times: number[] = [];
  let estimate: QuestionEstimate | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    estimate = await architect.estimate({ ...query, question: `${query.question} ${'more '.repeat(i % 7)}` });
    times.push(performance.now() - started);
  }
  if (!estimate) {
    throw new Error('no estimate');
  }
  return {
    selectionChars: code.code.length,
    turns: history.length / 2,
    conversationChars: history.reduce((sum, turn) => sum + turn.content.length, 0),
    runs,
    times: times.sort((a, b) => a - b),
    estimate,
  };
}
