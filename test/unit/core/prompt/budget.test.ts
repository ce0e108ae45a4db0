/**
 * The token budget: which turns are left out, how the code is cut, what the user is told, and
 * that the request still has a valid shape (roles, cache breakpoints) afterwards.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW } from '../../../../src/core/agent/models';
import type { AgentDefinition } from '../../../../src/core/agent/parse';
import { buildMessageParams } from '../../../../src/core/llm/stream';
import type { ArchitectRequest, ChatTurn } from '../../../../src/core/llm/types';
import {
  COUNT_THRESHOLD,
  fitNotice,
  fitNoticeMarkdown,
  fitRequest,
  inputBudget,
  SAFETY_MARGIN,
  TRIM_WATERMARK,
  withoutFitNotice,
  type FitInput,
  type FitOptions,
  type FittedRequest,
  type TokenBudget,
} from '../../../../src/core/prompt/budget';
import { boundCode, shrinkContext, type CodeContext } from '../../../../src/core/prompt/context';
import { buildArchitectRequest, buildUserMessage, codeBlock } from '../../../../src/core/prompt/request';
import { estimateRequestTokens } from '../../../../src/core/prompt/tokens';

const agent: AgentDefinition = { name: 'architect', description: 'd', tools: [], body: 'You are the LinguaLeap backend architect.', source: 'agents/a.md' };

const answer = (n: number): string => `Answer ${n}: ${'Cache the lesson list in Redis with a short TTL. '.repeat(20)}`;
const question = (n: number): string => `Question ${n}: how should lessons be cached?`;

/** `pairs` earlier questions and answers, oldest first. */
function history(pairs: number, first = 1): ChatTurn[] {
  return Array.from({ length: pairs }, (_, i): ChatTurn[] => [
    { role: 'user', content: question(first + i) },
    { role: 'assistant', content: answer(first + i) },
  ]).flat();
}

function code(lines: number, path = 'src/big.ts'): CodeContext {
  const text = Array.from({ length: lines }, (_, i) => `export const value${i} = ${i};`).join('\n');
  return boundCode({ text, path, languageId: 'typescript', startLine: 1, kind: 'file' }, 1_000_000);
}

function input(overrides: Partial<FitInput> = {}): FitInput {
  return { agent, model: 'claude-sonnet-5-5', maxTokens: 1024, question: 'And now?', contexts: [], history: history(5), ...overrides };
}

const window = (tokens: number): TokenBudget => ({ tokens, limitedBy: 'window' });

/** The estimate of the request that keeps only the last `kept` pairs of `base`. */
function sizeKeeping(base: FitInput, kept: number, extra: Partial<FitInput> = {}): number {
  const turns = base.history ?? [];
  return estimateRequestTokens(buildArchitectRequest({ ...base, history: turns.slice(turns.length - 2 * kept), ...extra }));
}

function texts(request: ArchitectRequest): string[] {
  return request.messages.map((m) => m.content);
}

void test('a request within the budget goes as built, without asking for a count', async () => {
  const base = input();
  let counted = 0;
  const fit = await fitRequest(base, {
    budget: window(100_000),
    count: () => {
      counted++;
      return Promise.resolve(1);
    },
  });
  assert.deepEqual(fit.request, buildArchitectRequest(base));
  assert.equal(counted, 0, 'far from the budget, nothing is counted');
  assert.equal(fit.droppedTurns, 0);
  assert.equal(fit.notice, undefined);
  assert.equal(fit.tokens, fit.estimatedTokens);
});

void test('over the budget, the oldest pairs go first; the system prompt, the newest pairs and the question stay', async () => {
  const base = input();
  const fit = await fitRequest(base, { budget: window(sizeKeeping(base, 2)) });
  assert.equal(fit.droppedTurns, 3);
  assert.equal(fit.request.system, agent.body);
  assert.deepEqual(texts(fit.request), [question(4), answer(4), question(5), answer(5), 'And now?']);
  assert.equal(fit.notice, "3 earlier questions and their answers were left out to fit the model's context window.");
  assert.ok(fit.tokens <= fit.budget.tokens);
  assert.equal(fit.overBudget, false);
});

void test('one pair left out reads in the singular; a budget from the setting is named', async () => {
  const base = input({ history: history(1) });
  const fit = await fitRequest(base, { budget: { tokens: sizeKeeping(base, 0), limitedBy: 'setting' } });
  assert.equal(fit.droppedTurns, 1);
  assert.equal(fit.notice, '1 earlier question and its answer was left out to stay within lingualeap.maxInputTokens.');
});

void test('pairs go until the request is down to the watermark, not just under the budget', async () => {
  // Every request so far fitted; this one is over by less than a pair.
  const base = input({ question: question(6) });
  const budget = sizeKeeping(base, 4);
  assert.ok(estimateRequestTokens(buildArchitectRequest(base)) > budget);
  const fit = await fitRequest(base, { budget: window(budget) });
  const watermark = budget * TRIM_WATERMARK;
  // The fewest pairs that bring it down to the watermark: more than the one that would just fit.
  const expected = [1, 2, 3, 4, 5].find((dropped) => sizeKeeping(base, 5 - dropped) <= watermark);
  assert.equal(expected, 3);
  assert.equal(fit.droppedTurns, expected);
  assert.ok(fit.tokens <= watermark, `${fit.tokens} > ${watermark}`);
  assert.deepEqual(texts(fit.request), [question(4), answer(4), question(5), answer(5), question(6)]);
  assert.equal(fit.notice, "3 earlier questions and their answers were left out to fit the model's context window.");
});

void test('the newest pair is not left out for the watermark, only when the budget needs it', async () => {
  const big = (n: number): string => answer(n).repeat(4);
  const turns: ChatTurn[] = [1, 2].flatMap((n): ChatTurn[] => [
    { role: 'user', content: question(n) },
    { role: 'assistant', content: big(n) },
  ]);
  const base = input({ history: turns, question: question(3) });
  // The newest pair alone is over the watermark, yet within the budget.
  const budget = Math.ceil(sizeKeeping(base, 1) / ((1 + TRIM_WATERMARK) / 2));
  assert.ok(sizeKeeping(base, 1) > budget * TRIM_WATERMARK && estimateRequestTokens(buildArchitectRequest(base)) > budget);
  const fit = await fitRequest(base, { budget: window(budget) });
  assert.equal(fit.droppedTurns, 1);
  assert.deepEqual(texts(fit.request), [question(2), big(2), question(3)]);
});

/**
 * A conversation asked one question at a time, as the panel asks it: each request carries the
 * questions as they were sent and the answers before it. Answers of varied length.
 */
async function converse(questions: number, options: FitOptions): Promise<{ fits: FittedRequest[]; inputs: FitInput[] }> {
  const turns: ChatTurn[] = [];
  const fits: FittedRequest[] = [];
  const inputs: FitInput[] = [];
  for (let n = 1; n <= questions; n++) {
    inputs.push(input({ history: [...turns], question: question(n) }));
    fits.push(await fitRequest(inputs[n - 1], options));
    const reply = `Answer ${n}: ${'Cache the lesson list in Redis with a short TTL. '.repeat(5 + ((n * 7) % 31))}`;
    turns.push({ role: 'user', content: question(n) }, { role: 'assistant', content: reply });
  }
  return { fits, inputs };
}

/** The API counting 30% more than the estimate, and a little more on top: not a constant ratio. */
const higherCount = (request: ArchitectRequest): number => Math.ceil(estimateRequestTokens(request) * 1.3) + 40;

for (const [by, count] of [
  ['the estimate', undefined],
  ['the API count', higherCount],
] as const) {
  void test(`a growing conversation keeps the same first pair for several follow-ups in a row, within the budget (by ${by})`, async () => {
    const budget = window(4000);
    // Trimming goes by the count's correction of the estimate rounded up, by at most 2^(1/16).
    const over = (request: ArchitectRequest): boolean =>
      count ? count(request) * 2 ** (1 / 16) > budget.tokens : estimateRequestTokens(request) > budget.tokens;
    const { fits, inputs } = await converse(40, { budget, count: count && ((request) => Promise.resolve(count(request))) });
    fits.forEach((fit, i) => {
      assert.ok(fit.tokens <= budget.tokens && !fit.overBudget, `question ${i + 1}: ${fit.tokens} tokens`);
      // The newest pairs, in order, then the question; the note names exactly what was left out.
      const sent = texts(fit.request);
      assert.equal(sent.length, 2 * (i - fit.droppedTurns) + 1);
      assert.equal(sent[0], question(fit.droppedTurns + 1));
      assert.equal(sent.at(-1), question(i + 1));
      const noted = fit.notice?.match(/^(\d+) earlier questions and their answers were left out to fit the model's context window\.$/)?.[1];
      assert.equal(Number(noted ?? 0), fit.droppedTurns, fit.notice);
    });
    const first = fits.findIndex((fit) => fit.droppedTurns > 0);
    assert.ok(first > 0 && first < 20, `trimming starts at question ${first + 1}`);

    let moves = 0;
    for (let i = first; i < fits.length; i++) {
      const [before, fit] = [fits[i - 1], fits[i]];
      if (fit.droppedTurns === before.droppedTurns) {
        // The request before it, whole, then its answer and the new question: the cached prefix.
        assert.deepEqual(fit.request.messages.slice(0, before.request.messages.length), before.request.messages, `question ${i + 1}`);
        continue;
      }
      moves++;
      assert.ok(fit.droppedTurns > before.droppedTurns, 'a pair once left out stays out');
      // It moved because it had to, and as far as the watermark, so that the next ones need not.
      const keepingBefore = buildArchitectRequest({ ...inputs[i], history: inputs[i].history?.slice(2 * before.droppedTurns) });
      assert.ok(over(keepingBefore), `question ${i + 1} moved on without need`);
      assert.ok(fit.tokens <= budget.tokens * TRIM_WATERMARK, `question ${i + 1}: ${fit.tokens} tokens after a trim`);
    }
    // Leaving out just enough would start nearly every one of these one pair later.
    const trimmed = fits.length - first;
    assert.ok(moves >= 4 && moves <= trimmed / 3, `the first pair moved ${moves} times in ${trimmed} requests`);
  });
}

void test('near the budget the API count decides: when it fits, nothing is left out', async () => {
  const base = input();
  const full = estimateRequestTokens(buildArchitectRequest(base));
  const asked: ArchitectRequest[] = [];
  const fit = await fitRequest(base, {
    budget: window(full - 10),
    count: (request) => {
      asked.push(request);
      return Promise.resolve(full - 500);
    },
  });
  assert.equal(asked.length, 1);
  assert.deepEqual(asked[0], buildArchitectRequest(base), 'the whole request is counted');
  assert.equal(fit.droppedTurns, 0);
  assert.equal(fit.countedTokens, full - 500);
  assert.equal(fit.tokens, full - 500);
  assert.equal(fit.notice, undefined);
});

void test('within the count threshold of the budget the API is asked even when the estimate fits', async () => {
  const base = input();
  const full = estimateRequestTokens(buildArchitectRequest(base));
  let asked = 0;
  const count = () => {
    asked++;
    return Promise.resolve(full);
  };
  await fitRequest(base, { budget: window(Math.ceil(full / COUNT_THRESHOLD) - 1), count });
  assert.equal(asked, 1);
  await fitRequest(base, { budget: window(Math.ceil(full / COUNT_THRESHOLD) + 1), count });
  assert.equal(asked, 1, 'below the threshold the estimate is enough');
});

void test('when the count is higher than the estimate, trimming goes by the count', async () => {
  const base = input();
  const full = estimateRequestTokens(buildArchitectRequest(base));
  // The estimate alone would fit; the API says twice as many tokens.
  const fit = await fitRequest(base, { budget: window(full), count: () => Promise.resolve(2 * full) });
  assert.equal(fit.countedTokens, 2 * full);
  assert.ok(fit.droppedTurns >= 3, `${fit.droppedTurns} pairs left out`);
  assert.equal(fit.tokens, Math.ceil(estimateRequestTokens(fit.request) * 2));
  assert.ok(fit.tokens <= full);
  assert.deepEqual(texts(fit.request).slice(-3), [question(5), answer(5), 'And now?'], 'the newest pair stays');
});

void test('a count that fails leaves the estimate in charge and never fails the question', async () => {
  const base = input();
  const failure = new Error('connection refused');
  const count = () => Promise.reject(failure);
  const fits = await fitRequest(base, { budget: window(estimateRequestTokens(buildArchitectRequest(base))), count });
  assert.equal(fits.countError, failure);
  assert.equal(fits.droppedTurns, 0, 'the estimate fits');
  const over = await fitRequest(base, { budget: window(sizeKeeping(base, 2)), count });
  assert.equal(over.countError, failure);
  assert.equal(over.droppedTurns, 3);
});

void test('code an earlier question carried goes with the new question when that question is left out', async () => {
  const selection = code(20, 'src/routes/lessons.ts');
  const turns: ChatTurn[] = [
    { role: 'user', content: buildUserMessage('Is this route safe?', [selection]) },
    { role: 'assistant', content: answer(1) },
    ...history(2, 2),
  ];
  const base = input({ history: turns, carriedContexts: [selection] });
  // Down to the watermark, the newest pair goes with the question and the code it takes along.
  const budget = Math.ceil(sizeKeeping(base, 1, { contexts: [selection] }) / TRIM_WATERMARK);
  const fit = await fitRequest(base, { budget: window(budget) });
  assert.equal(fit.droppedTurns, 2);
  assert.deepEqual(texts(fit.request).slice(0, 2), [question(3), answer(3)]);
  assert.equal(fit.movedCode, true);
  assert.deepEqual(fit.contexts, [selection]);
  const last = texts(fit.request).at(-1) ?? '';
  assert.ok(last.startsWith('And now?'), last.slice(0, 40));
  assert.ok(last.includes(codeBlock(selection)), 'the code goes with the new question');
  assert.equal(
    fit.notice,
    "2 earlier questions and their answers were left out to fit the model's context window. The code they were about goes with this question instead.",
  );
  assert.ok(fit.tokens <= budget);
});

void test('carried code stays where it is while the question that carries it is kept', async () => {
  const selection = code(20, 'src/routes/lessons.ts');
  const turns: ChatTurn[] = [...history(2), { role: 'user', content: buildUserMessage('Is this route safe?', [selection]) }, { role: 'assistant', content: answer(3) }];
  const base = input({ history: turns, carriedContexts: [selection] });
  const fit = await fitRequest(base, { budget: window(sizeKeeping(base, 1)) });
  assert.equal(fit.droppedTurns, 2);
  assert.equal(fit.movedCode, false);
  assert.deepEqual(fit.contexts, []);
  assert.equal(texts(fit.request).at(-1), 'And now?');
  assert.equal(texts(fit.request).filter((t) => t.includes(codeBlock(selection))).length, 1, 'the code is sent once');
});

void test('when leaving out every earlier pair is not enough, the code is cut further at a line boundary, and the note says how much', async () => {
  const big = code(400);
  const base = input({ history: history(2), contexts: [big] });
  const withoutHistory = sizeKeeping(base, 0);
  const budget = Math.floor(withoutHistory * 0.6);
  const fit = await fitRequest(base, { budget: window(budget) });
  assert.equal(fit.droppedTurns, 2);
  const [sent] = fit.contexts;
  assert.ok(sent, 'the code still goes');
  assert.equal(sent.reference.truncated, true);
  assert.equal(sent.totalLines, 400);
  const lines = sent.reference.endLine - sent.reference.startLine + 1;
  assert.ok(lines > 100 && lines < 400, `${lines} lines sent`);
  assert.ok(big.code.startsWith(sent.code) && sent.code.endsWith(';'), 'cut at a line boundary');
  assert.ok(fit.tokens <= budget, `${fit.tokens} > ${budget}`);
  assert.deepEqual(fit.cutCode, [{ reference: sent.reference, totalLines: 400, sentLines: lines }]);
  const message = texts(fit.request).at(-1) ?? '';
  assert.ok(message.includes(`Note: only the first ${lines} of 400 lines were sent`), 'the model is told too');
  assert.equal(
    fit.notice,
    `2 earlier questions and their answers were left out and only the first ${lines} of 400 lines of src/big.ts were sent, to fit the model's context window.`,
  );
});

void test('code that cannot fit at all is left out, and the note says so', async () => {
  const big = code(400);
  const base = input({ history: [], contexts: [big] });
  const budget = estimateRequestTokens(buildArchitectRequest({ ...base, contexts: [] })) + 5;
  const fit = await fitRequest(base, { budget: window(budget) });
  assert.deepEqual(fit.contexts, []);
  assert.deepEqual(texts(fit.request), ['And now?']);
  assert.equal(fit.notice, "The code from src/big.ts was left out to fit the model's context window.");
  assert.equal(fit.overBudget, false);
});

void test('a question too long on its own is sent whole, and the note warns', async () => {
  const base = input({ history: [], question: 'Why? '.repeat(200) });
  const fit = await fitRequest(base, { budget: window(50) });
  assert.deepEqual(fit.request, buildArchitectRequest(base));
  assert.equal(fit.overBudget, true);
  assert.equal(fit.notice, "The request may be too long for the model's context window; shorten the question or start a new conversation.");
});

void test('a last question without an answer stays with the new one (chat history after a failed answer)', async () => {
  const turns: ChatTurn[] = [...history(3), { role: 'user', content: 'The question that failed' }];
  const base = input({ history: turns });
  const full = buildArchitectRequest(base);
  assert.equal(full.messages.at(-1)?.content, 'The question that failed\n\nAnd now?');
  const fit = await fitRequest(base, { budget: window(estimateRequestTokens({ system: full.system, messages: full.messages.slice(-3) })) });
  assert.equal(fit.droppedTurns, 2);
  assert.deepEqual(texts(fit.request), [question(3), answer(3), 'The question that failed\n\nAnd now?']);
});

void test('after trimming the request alternates from a question and its cache breakpoints are still valid', async () => {
  for (const kept of [0, 1, 3]) {
    const base = input({ history: history(6) });
    const fit = await fitRequest(base, { budget: window(sizeKeeping(base, kept)) });
    const params = buildMessageParams(fit.request);
    assert.equal(params.messages.length, 2 * kept + 1);
    params.messages.forEach((message, i) => assert.equal(message.role, i % 2 === 0 ? 'user' : 'assistant'));
    const marked = params.messages.flatMap((message, i) =>
      Array.isArray(message.content) && message.content.some((block) => 'cache_control' in block && block.cache_control) ? [i] : [],
    );
    const last = params.messages.length - 1;
    assert.deepEqual(marked, kept === 0 ? [0] : [last - 1, last], `kept ${kept}`);
    const systemMarks = Array.isArray(params.system) ? params.system.filter((block) => block.cache_control).length : 0;
    assert.ok(systemMarks + marked.length <= 4, 'at most the four breakpoints the API allows');
  }
});

void test('the budget: the window less the answer and a safety margin, or the lower setting', () => {
  assert.equal(SAFETY_MARGIN, 0.05);
  assert.deepEqual(inputBudget({ contextWindow: 200_000, outputTokens: 4096 }), { tokens: 190_000 - 4096, limitedBy: 'window' });
  assert.deepEqual(inputBudget({ contextWindow: 200_000, outputTokens: 4096, maxInputTokens: 0 }), { tokens: 185_904, limitedBy: 'window' });
  assert.deepEqual(inputBudget({ contextWindow: 200_000, outputTokens: 4096, maxInputTokens: 3000 }), { tokens: 3000, limitedBy: 'setting' });
  assert.deepEqual(inputBudget({ contextWindow: 200_000, outputTokens: 4096, maxInputTokens: 900_000 }), { tokens: 185_904, limitedBy: 'window' });
  assert.deepEqual(inputBudget({ contextWindow: 128_000, outputTokens: 0 }), { tokens: 121_600, limitedBy: 'window' }, 'an input-only limit');
  assert.deepEqual(inputBudget({ contextWindow: 1000, outputTokens: 4096 }), { tokens: 0, limitedBy: 'window' });
});

void test('context windows come from one table; dated snapshots match, unknown models get the default', () => {
  assert.equal(contextWindowOf('claude-sonnet-5-5'), 200_000);
  assert.equal(contextWindowOf('claude-opus-5-5-20261001'), 200_000);
  assert.equal(contextWindowOf('some-gateway-model'), DEFAULT_CONTEXT_WINDOW);
});

void test('shrinking code keeps the original line count and marks it cut', () => {
  const big = code(50);
  assert.equal(shrinkContext(big, big.code.length), big, 'unchanged when it fits');
  assert.equal(shrinkContext(big, 0), undefined);
  const small = shrinkContext(big, 100);
  assert.ok(small);
  assert.equal(small.totalLines, 50);
  assert.equal(small.reference.truncated, true);
  assert.equal(small.reference.endLine, small.code.split('\n').length);
  assert.ok(small.code.length <= 100);
});

void test('the notice names everything that was left out, once', () => {
  const reference = code(10).reference;
  const budget = window(1000);
  assert.equal(fitNotice({ droppedTurns: 0, cutCode: [], movedCode: false, overBudget: false, budget }), undefined);
  assert.equal(
    fitNotice({
      droppedTurns: 4,
      cutCode: [
        { reference: { ...reference, path: 'a.ts' }, totalLines: 900, sentLines: 40 },
        { reference: { ...reference, path: 'b.ts' }, totalLines: 10, sentLines: 0 },
      ],
      movedCode: false,
      overBudget: true,
      budget,
    }),
    "4 earlier questions and their answers were left out, only the first 40 of 900 lines of a.ts were sent and the code from b.ts was left out, to fit the model's context window. Even so, the request may be too long for the model; shorten the question or start a new conversation.",
  );
  assert.equal(
    fitNotice({ droppedTurns: 1, cutCode: [], movedCode: true, overBudget: false, budget }),
    "1 earlier question and its answer was left out to fit the model's context window. The code it was about goes with this question instead.",
  );
});

void test('the notice shown above a chat answer is taken out again before the answer goes back as history', () => {
  const notice = "2 earlier questions and their answers were left out to fit the model's context window.";
  const answer = 'Use one queue per job type.\n\n> Quoted advice stays.';
  assert.equal(withoutFitNotice(fitNoticeMarkdown(notice) + answer), answer);
  const setting = 'Only the first 40 of 900 lines of src/app.ts were sent, to stay within lingualeap.maxInputTokens.';
  assert.equal(withoutFitNotice(fitNoticeMarkdown(setting) + answer), answer);
  // An answer that merely starts with a quote keeps it.
  const quoted = '> Premature optimization is the root of all evil.\n\nSo measure first.';
  assert.equal(withoutFitNotice(quoted), quoted);
  assert.equal(withoutFitNotice(answer), answer);
});
