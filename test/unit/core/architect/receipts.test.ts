/**
 * What a question sends and what it costs, through the architect against the fake Anthropic API:
 * the estimate before sending (the budget's token counter) against the fake's `count_tokens` of
 * the very request that went out; a receipt for every answer (tool-less and with tools) whose
 * numbers are the usage on the wire; a stopped or failed answer's usage from `message_start`;
 * the spending check (refuse, Send Anyway, declined confirmation: nothing on the wire); usage
 * rows recorded; the receipt in the log; the conversation keeps it (totals, Export to Markdown).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { parseAgentFile, type AgentDefinition } from '../../../../src/core/agent/parse';
import { Architect, type ArchitectDeps, type ArchitectSettings, type AskInput, type SpendCheck, type SpendDecision } from '../../../../src/core/architect/architect';
import { finishTurn, newConversation, previousRequest, snapshotOf, startTurn, totalOf } from '../../../../src/core/conversation/conversation';
import { conversationToMarkdown } from '../../../../src/core/conversation/markdown';
import { anthropicReplies, runArchitectTurn } from '../../../../src/core/llm/pipeline';
import type { ChatTurn } from '../../../../src/core/llm/types';
import type { CodeContext } from '../../../../src/core/prompt/context';
import { estimateTokens } from '../../../../src/core/prompt/tokens';
import { estimateText, type QuestionEstimate } from '../../../../src/core/usage/answer';
import { budgetDecision, shouldConfirm } from '../../../../src/core/usage/budget';
import { UsageLedger, type UsageRow } from '../../../../src/core/usage/ledger';
import { receiptOf } from '../../../../src/core/usage/receipt';
import type { FakeAnthropic, RecordedRequest } from '../../../fake-anthropic/server';
import { logRecorders, useFakeAnthropic, type RecordingLogger } from '../../support/fakeApi';
import { REPO_ROOT } from '../../support/paths';
import { tempTree, testHost, type TempTree } from '../tools/support';

const KEY = 'fake-key-test-receipts-0123456789abcdef';
const SECRET_CODE = 'const lessonSecret = scoreLearner(user);';
let fake: FakeAnthropic;
useFakeAnthropic({ validKey: KEY, defaultScenario: { delayMs: 0 } }, (started) => (fake = started));
/** No log line may hold the key or the code that was sent. */
const recorder = logRecorders([KEY, 'lessonSecret']);

const parsed = parseAgentFile(readFileSync(`${REPO_ROOT}/agents/lingualeap-backend-architect.md`, 'utf8'), 'agents/lingualeap-backend-architect.md');
assert.ok(parsed.agent, JSON.stringify(parsed.problems));
const AGENT: AgentDefinition = parsed.agent;

let tree: TempTree;
before(() => {
  tree = tempTree({ 'src/lessons.ts': `${SECRET_CODE}\nexport const list = () => db.lesson.findMany();\n`, 'README.md': '# LinguaLeap\n' });
});
after(() => tree.dispose());

function settings(overrides: Partial<ArchitectSettings> = {}): ArchitectSettings {
  return {
    modelOverride: '',
    baseUrl: fake.url,
    maxTokens: 2048,
    maxInputTokens: 0,
    maxRetries: 0,
    idleTimeoutMs: 20_000,
    toolsMaxSteps: 8,
    toolsWeb: true,
    ...overrides,
  };
}

interface Made {
  readonly architect: Architect;
  readonly rows: UsageRow[];
  readonly checks: SpendCheck[];
  readonly log: RecordingLogger;
}

/** An architect over the fake; `tools: false` for the tool-less path (no workspace). */
function architect(options: { tools?: boolean; settings?: Partial<ArchitectSettings>; spending?: (check: SpendCheck) => SpendDecision } = {}): Made {
  const rows: UsageRow[] = [];
  const checks: SpendCheck[] = [];
  const log = recorder();
  const deps: ArchitectDeps = {
    agents: { get: () => Promise.resolve(AGENT) },
    keys: { get: () => Promise.resolve(KEY) },
    settings: () => settings(options.settings),
    log,
    ...(options.tools === false ? {} : { tools: () => testHost([tree.root]) }),
    spending: (check) => {
      checks.push(check);
      return Promise.resolve(options.spending?.(check) ?? { action: 'send' });
    },
    recordUsage: (recorded) => rows.push(...recorded),
  };
  return { architect: new Architect(deps), rows, checks, log };
}

function question(overrides: Partial<AskInput> = {}): AskInput {
  return { question: 'How are lessons listed?', contexts: [], history: [], signal: new AbortController().signal, onText: () => undefined, ...overrides };
}

const messages = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/messages');

/** What the fake's `count_tokens` says of exactly the body a request sent. */
async function countOf(request: RecordedRequest): Promise<number> {
  const { model, system, messages: sent, tools } = request.body as Record<string, unknown>;
  const response = await fetch(`${fake.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, system, messages: sent, ...(tools ? { tools } : {}) }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { input_tokens: number }).input_tokens;
}

/** The usage the fake sent for a request, as a receipt keeps it. */
function wireUsage(request: RecordedRequest) {
  const u = request.usage;
  assert.ok(u, `request #${request.index} has usage`);
  return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadTokens: u.cache_read_input_tokens ?? 0, cacheWriteTokens: u.cache_creation_input_tokens ?? 0 };
}

function selection(chars: number): CodeContext {
  const lines: string[] = [];
  for (let i = 0; lines.join('\n').length < chars; i++) {
    lines.push(`  export function lessonScore${i}(learner: Learner, attempts: number[]): number { return attempts.reduce((a, b) => a + b, 0) / ${i + 1}; }`);
  }
  const code = lines.join('\n').slice(0, chars);
  const totalLines = code.split('\n').length;
  return { code, totalLines, reference: { path: 'src/scoring.ts', languageId: 'typescript', startLine: 1, endLine: totalLines, kind: 'selection', truncated: false } };
}

function conversation(turns: number): ChatTurn[] {
  return Array.from({ length: turns }, (_, i): ChatTurn[] => [
    { role: 'user', content: `Question ${i + 1}: how should lesson ${i + 1} be cached in Redis, and for how long?` },
    { role: 'assistant', content: `Answer ${i + 1}: cache it under \`lesson:${i + 1}\` for 10 minutes, invalidated on write. `.repeat(12) },
  ]).flat();
}

test('the estimate counts what is sent: at least the fake count_tokens of the request that went out, at most twice it, for a bare question, a 60,000-character selection and a 20-turn conversation', async () => {
  const cases: { name: string; input: Partial<AskInput> }[] = [
    { name: 'bare question', input: {} },
    { name: '60,000-character selection', input: { contexts: [selection(60_000)] } },
    { name: '20-turn conversation', input: { history: conversation(20) } },
  ];
  for (const { name, input } of cases) {
    fake.reset();
    const { architect: a } = architect();
    const estimate = await a.estimate(question(input));
    assert.ok(estimate, name);
    fake.script({ text: 'ok' });
    const result = await a.ask(question(input));
    assert.equal(result.status, 'completed', name);
    const [sent] = messages();
    const counted = await countOf(sent);
    const u = wireUsage(sent);
    // The fake's count of a body and the prompt it billed are the same number.
    assert.equal(counted, u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, name);
    assert.ok(estimate.inputTokens >= counted, `${name}: estimate ${estimate.inputTokens} < count ${counted} (it must err high)`);
    assert.ok(estimate.inputTokens <= 2 * counted, `${name}: estimate ${estimate.inputTokens} > 2 × count ${counted}`);
    assert.equal(estimate.instructions + estimate.conversation + estimate.code + estimate.question, estimate.inputTokens, `${name}: the parts add up`);
    assert.equal(estimate.maxOutputTokens, 2048);
    assert.equal(estimate.cachedTokens, 0, `${name}: nothing cached before the first answer`);
    assert.ok(estimate.cost && estimate.cost.total > 0, name);
  }
});

test('the estimate and the question leave out the same turns to fit (the budget is the same function); the estimate says so', async () => {
  // Near the limit the question also asks the API's count, which may keep more: here it fails, so the estimate decides both.
  fake.setCountTokens({ status: 500 });
  const history = conversation(20);
  const { architect: a } = architect({ settings: { maxInputTokens: 9_000 } });
  const estimate = await a.estimate(question({ history }));
  assert.ok(estimate);
  assert.match(estimate.omitted[0] ?? '', /^\d+ earlier questions and their answers$/);
  const dropped = Number(/^(\d+)/.exec(estimate.omitted[0])?.[1]);
  fake.script({ text: 'ok' });
  const result = await a.ask(question({ history }));
  assert.equal(result.status, 'completed');
  const body = messages()[0].body as { messages: unknown[] };
  assert.equal(body.messages.length, 2 * (20 - dropped) + 1, 'the request left out the turns the estimate named');
  assert.deepEqual(result.receipt?.context.omitted, estimate.omitted);
  assert.match(estimateText(estimate).detail, /Left out to fit: \d+ earlier questions and their answers\./);
});

test('the estimate of a follow-up counts the previous answer’s prompt as cached, and prices it at the cache-read price', async () => {
  const { architect: a } = architect({ tools: false });
  fake.script({ text: 'The first answer.' });
  const first = await a.ask(question());
  assert.ok(first.receipt);
  const conv = newConversation();
  const { turn } = startTurn(conv, 'How are lessons listed?', []);
  turn.answer = first.text;
  finishTurn(conv, turn, first);
  const previous = previousRequest(conv);
  const u = wireUsage(messages()[0]);
  assert.deepEqual(previous, { model: first.receipt.requests[0].model, promptTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, at: first.receipt.at });
  const history = [
    { role: 'user' as const, content: 'How are lessons listed?' },
    { role: 'assistant' as const, content: first.text },
  ];
  const cold = await a.estimate(question({ question: 'And paged?', history }));
  const warm = await a.estimate(question({ question: 'And paged?', history, previous }));
  assert.ok(cold?.cost && warm?.cost);
  assert.equal(warm.cachedTokens, previous?.promptTokens);
  assert.ok(warm.cost.input < cold.cost.input, `cached ${warm.cost.input} < cold ${cold.cost.input}`);
  assert.match(estimateText(warm).line, new RegExp(`, ${warm.cachedTokens.toLocaleString('en-US')} from cache · up to \\$`));
});

test('a tool-less answer: one receipt line equal to the usage on the wire, its request id, one usage row, the receipt in the log', async () => {
  const made = architect({ tools: false });
  fake.script({ text: 'Lessons are listed with findMany.', requestId: 'req_receipt_plain', usage: { cache_read_input_tokens: 0 } });
  const code = selection(400);
  const result = await made.architect.ask(question({ contexts: [code] }));
  assert.equal(result.status, 'completed');
  const [sent] = messages();
  const receipt = result.receipt;
  assert.ok(receipt);
  assert.equal(receipt.requests.length, 1);
  assert.deepEqual(receipt.requests[0].usage, wireUsage(sent));
  assert.equal(receipt.requests[0].requestId, 'req_receipt_plain');
  assert.equal(receipt.requests[0].partial, false);
  assert.deepEqual(receipt.context.code, [`src/scoring.ts:1-${code.totalLines}`]);
  assert.equal(receipt.context.billedTo, 'key');
  assert.equal(receipt.agentName, 'lingualeap-backend-architect');
  assert.equal(made.rows.length, 1);
  assert.equal(made.rows[0].requestId, 'req_receipt_plain');
  assert.equal(made.rows[0].agent, 'lingualeap-backend-architect');
  assert.equal(made.rows[0].cost, receiptOf(receipt.requests).cost);
  const logged = made.log.lines.find((l) => l.message.startsWith('Receipt\n'));
  assert.ok(logged, 'the receipt is logged');
  assert.match(logged.message, /\| \*\*Total\*\* \|/);
  assert.match(logged.message, /`req_receipt_plain`/);
  assert.match(logged.message, /Code sent: `src\/scoring\.ts:1-\d+`/);
  assert.equal(made.checks.length, 1, 'the spending check ran once, before sending');
});

test('a tool turn: a receipt line per request, each equal to its usage on the wire; the files the tools read, workspace-relative, and what they open', async () => {
  const made = architect();
  fake.script({ toolCalls: [{ name: 'Read', input: { file_path: 'src/lessons.ts' } }] }, { text: 'They use findMany.' });
  const result = await made.architect.ask(question());
  assert.equal(result.status, 'completed', JSON.stringify(result));
  const sent = messages();
  assert.equal(sent.length, 2);
  const receipt = result.receipt;
  assert.ok(receipt);
  assert.deepEqual(
    receipt.requests.map((r) => r.usage),
    sent.map(wireUsage),
  );
  assert.ok(receipt.requests[1].usage.cacheReadTokens > 0, 'the second request read the first one’s prefix');
  assert.deepEqual(receipt.context.files, ['src/lessons.ts:1-2']);
  assert.equal(receipt.fileRefs[0].path, `${tree.root}/src/lessons.ts`);
  assert.equal(made.rows.length, 2);
  const r = receiptOf(receipt.requests);
  assert.equal(r.tokens.total, sent.map(wireUsage).reduce((sum, u) => sum + u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens, 0));
});

test('a stopped answer: its usage from message_start on the wire (input and cache), the output as far as it streamed, partial; recorded and totalled', async () => {
  for (const tools of [false, true]) {
    fake.reset();
    const made = architect({ tools });
    const controller = new AbortController();
    let text = '';
    fake.script({ text: 'one two three four five six seven eight nine ten eleven twelve', chunkSize: 8, delayMs: 150 });
    const result = await made.architect.ask(
      question({
        signal: controller.signal,
        onText: (t) => {
          text += t;
          if (text.length >= 16) {
            controller.abort();
          }
        },
      }),
    );
    assert.equal(result.status, 'cancelled', `tools=${tools}`);
    const [sent] = messages();
    const wire = wireUsage(sent);
    const receipt = result.receipt;
    assert.ok(receipt, `tools=${tools}: a stopped answer has a receipt`);
    assert.equal(receipt.requests.length, 1);
    const [line] = receipt.requests;
    assert.equal(line.partial, true);
    assert.equal(line.outcome, 'cancelled');
    assert.equal(line.usage.inputTokens, wire.inputTokens);
    assert.equal(line.usage.cacheReadTokens, wire.cacheReadTokens);
    assert.equal(line.usage.cacheWriteTokens, wire.cacheWriteTokens);
    // message_start says 1 output token; what streamed is more, and the whole reply was more still.
    assert.equal(line.usage.outputTokens, Math.max(1, estimateTokens(result.text)));
    assert.ok(line.usage.outputTokens > 1 && line.usage.outputTokens < wire.outputTokens, `${line.usage.outputTokens} of ${wire.outputTokens}`);
    assert.equal(made.rows.length, 1);
    assert.equal(made.rows[0].partial, true);
    assert.ok((made.rows[0].cost ?? 0) > 0, 'a stopped answer costs money');

    const conv = newConversation();
    const { turn } = startTurn(conv, 'q', []);
    turn.answer = result.text;
    finishTurn(conv, turn, result);
    const total = totalOf(conv);
    assert.ok(total && total.cost !== undefined && total.cost > 0, 'the total includes the stopped answer');
    assert.equal(total.usage.inputTokens, wire.inputTokens);
    assert.equal(snapshotOf(turn).receipt?.partialRequests, 1);
    assert.match(snapshotOf(turn).receipt?.summary ?? '', /1 request \(1 partial\)$/);
  }
});

test('stopped or failed on the wire, directly through the pipeline: message_start usage kept; a failure before message_start bills nothing', async () => {
  const source = anthropicReplies({ apiKey: KEY, baseUrl: fake.url, maxRetries: 0 });
  const request = { model: 'claude-sonnet-5-5', system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Hi there, how are lessons listed?' }], maxTokens: 512 };
  const run = (signal = new AbortController().signal) => runArchitectTurn({ source, request, signal, onText: () => undefined, logger: recorder() });

  fake.script({ text: 'abcdefghijklmnopqrstuvwxyz'.repeat(3), chunkSize: 6, interrupt: { action: 'error', afterDeltas: 2, errorType: 'overloaded_error' } });
  const failed = await run();
  assert.equal(failed.status, 'failed');
  assert.equal(failed.requests?.length, 1);
  const wire = wireUsage(messages()[0]);
  assert.deepEqual(failed.requests?.[0].usage, { ...wire, outputTokens: Math.max(1, estimateTokens(failed.text)) });
  assert.equal(failed.requests?.[0].outcome, 'failed');

  fake.reset();
  fake.script({ status: 529 });
  const refused = await run();
  assert.equal(refused.status, 'failed');
  assert.deepEqual(refused.requests, [], 'no message_start, nothing billed');

  fake.reset();
  fake.script({ text: 'late', headersDelayMs: 2000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const early = await run(controller.signal);
  assert.equal(early.status, 'cancelled');
  assert.deepEqual(early.requests, [], 'stopped before message_start: nothing billed');
});

test('a failure before message_start: no receipt, no usage row', async () => {
  const made = architect({ tools: false });
  fake.script({ status: 500 });
  const result = await made.architect.ask(question());
  assert.equal(result.status, 'failed');
  assert.equal(result.receipt, undefined);
  assert.deepEqual(made.rows, []);
});

/** The editor's gate in pure form: the budget decision, then the confirmation (scripted). */
function gate(spent: number, budget: number, threshold: number, confirm: 'send' | 'cancel' = 'send') {
  const ledger = new UsageLedger([
    { at: Date.now(), agent: 'a', model: 'claude-sonnet-5-5', inputTokens: 1, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 1, cost: spent, partial: false, billedTo: 'key' },
  ]);
  return (check: SpendCheck): SpendDecision => {
    const decision = budgetDecision({ monthlyDollars: budget, spentThisMonth: ledger.monthToDate(Date.now()), estimate: check.estimate.cost?.total, warnedMonth: undefined, now: Date.now() });
    if (decision.action === 'refuse' && !check.sendAnyway) {
      return { action: 'refuse', message: decision.message };
    }
    return !check.sendAnyway && shouldConfirm(check.estimate.cost?.total, threshold) ? { action: confirm } : { action: 'send' };
  };
}

test('the budget refuses with one sentence and Send Anyway / Raise Budget, nothing on the wire; Send Anyway sends it', async () => {
  const made = architect({ tools: false, spending: gate(9.99, 10, 0) });
  const refused = await made.architect.ask(question());
  assert.equal(refused.status, 'failed');
  assert.equal(messages().length, 0, 'nothing was sent');
  if (refused.status === 'failed') {
    assert.equal(refused.failure.kind, 'budget');
    assert.deepEqual(refused.failure.actions, ['sendAnyway', 'raiseBudget']);
    assert.match(refused.failure.message, /^This question could cost up to \$[\d.]+, which would take this month's spend of \$9\.99 past your monthly budget of \$10\.00\.$/);
  }
  assert.equal(made.checks[0].sendAnyway, false);
  const estimate = await made.architect.estimate(question());
  assert.deepEqual(made.checks[0].estimate, estimate, 'the check saw the estimate the box shows');

  fake.script({ text: 'sent anyway' });
  const sent = await made.architect.ask(question({ sendAnyway: true }));
  assert.equal(sent.status, 'completed');
  assert.equal(made.checks[1].sendAnyway, true);
  assert.equal(messages().length, 1);
});

test('above the confirmation threshold: declined is "not sent" (nothing on the wire, no receipt); accepted goes out', async () => {
  const declined = architect({ tools: false, spending: gate(0, 0, 0.000001, 'cancel') });
  const result = await declined.architect.ask(question());
  assert.equal(result.status, 'cancelled');
  assert.equal(result.notSent, true);
  assert.equal(result.receipt, undefined);
  assert.equal(messages().length, 0);
  const conv = newConversation();
  const { turn } = startTurn(conv, 'q', []);
  finishTurn(conv, turn, result);
  assert.equal(snapshotOf(turn).notSent, true);

  const accepted = architect({ tools: false, spending: gate(0, 0, 0.000001, 'send') });
  fake.script({ text: 'ok' });
  assert.equal((await accepted.architect.ask(question())).status, 'completed');
  assert.equal(messages().length, 1);
});

test('Export to Markdown carries each answer’s receipt: the table, the request ids, the code sent', async () => {
  const made = architect({ tools: false });
  fake.script({ text: 'Use an index on createdAt.', requestId: 'req_export_1' });
  const code = selection(300);
  const result = await made.architect.ask(question({ contexts: [code] }));
  const conv = newConversation();
  const { turn } = startTurn(conv, 'How are lessons listed?', [code]);
  turn.answer = result.text;
  finishTurn(conv, turn, result);
  const markdown = conversationToMarkdown(conv, 'LinguaLeap Backend Architect');
  assert.match(markdown, /\*\*Receipt\*\* · LinguaLeap Backend Architect · `claude-sonnet-5-5`/);
  assert.match(markdown, /\| Fresh input \| [\d,]+ \| \$[\d.]+ \|/);
  assert.match(markdown, /`req_export_1`/);
  assert.match(markdown, /Billed to your Anthropic API key\./);
});

test('the estimate text names every part, the cached share and both prices; price unknown is never $0', () => {
  const estimate: QuestionEstimate = {
    model: 'claude-sonnet-5-5',
    instructions: 3100,
    conversation: 9800,
    code: 1300,
    question: 10,
    inputTokens: 14210,
    cachedTokens: 9800,
    maxOutputTokens: 4096,
    cost: { input: 0.0123, maxOutput: 0.0614, total: 0.0737 },
    billedTo: 'key',
    omitted: [],
  };
  assert.equal(
    estimateText(estimate).line,
    '≈ 14,210 tokens in (instructions 3,100 · conversation 9,800 · code 1,300 · question 10), 9,800 from cache · up to $0.01 + $0.06 for the answer',
  );
  const unknown = { ...estimate, model: 'claude-unknown-1', cost: undefined };
  assert.match(estimateText(unknown).line, /· price unknown$/);
});
