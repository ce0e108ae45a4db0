/**
 * Keeps a request within the model's context window, and says what had to go. Pure.
 *
 * The budget is the context window less the answer's `max_tokens` and a safety margin (or
 * `lingualeap.maxInputTokens` when that is lower). A request estimated over it loses, in
 * this order: the oldest question-and-answer pairs of the conversation, then part of the
 * current question's code. The system prompt and the current question are never cut. Near
 * the budget the API's exact count (`count_tokens`, injected as `count`) decides instead of
 * the estimate; a count that fails leaves the estimate in charge and never fails the question.
 *
 * Pairs are left out in large steps, with hysteresis, for Anthropic's prompt cache: a request
 * is cached up to its breakpoints, so a follow-up reads the conversation back from the cache
 * only if it starts with the same turns as the request before it. Leaving out "just enough"
 * would start every follow-up one pair later, and every one would miss. So a request keeps the
 * first turn the previous one kept while that still fits; when it no longer does, pairs go
 * until the request is down to `TRIM_WATERMARK` of the budget, which leaves room for the next
 * few follow-ups. Nothing is stored between requests: which pairs the earlier requests of the
 * conversation left out is worked out again from the history each time, the same way.
 */
import * as l10n from '@vscode/l10n';
import type { CodeReference } from '../../shared/protocol';
import type { ArchitectRequest, ChatTurn } from '../llm/types';
import { shrinkContext, type CodeContext } from './context';
import { buildArchitectRequest, buildUserMessage, codeBlock, normalizeHistory, type RequestInput } from './request';
import { estimateRequestTokens, messageTokens, REQUEST_OVERHEAD_TOKENS, systemTokens } from './tokens';

/** Share of the context window kept free for what the estimate may miss. */
export const SAFETY_MARGIN = 0.05;
/** From this share of the budget on, the API is asked for the exact count. */
export const COUNT_THRESHOLD = 0.9;
/**
 * When pairs have to go, they go until the request is down to this share of the budget (the
 * newest pair is kept for it, though): the room left lets the next follow-ups keep the same
 * first turn, and so the prompt cache.
 */
export const TRIM_WATERMARK = 0.75;

/** What limits a request's size. */
export interface BudgetLimits {
  /** The model's context window in tokens: the request and the answer together. */
  readonly contextWindow: number;
  /** Tokens kept for the answer (`max_tokens`); 0 when `contextWindow` counts the input only. */
  readonly outputTokens: number;
  /** `lingualeap.maxInputTokens`: a lower limit the user chose; 0 or undefined for none. */
  readonly maxInputTokens?: number;
}

/** The most input tokens a request may take, and what set that number. */
export interface TokenBudget {
  readonly tokens: number;
  readonly limitedBy: 'window' | 'setting';
}

/** The window less the answer and the safety margin, or the user's lower limit. */
export function inputBudget(limits: BudgetLimits): TokenBudget {
  const fromWindow = Math.max(0, Math.floor(limits.contextWindow * (1 - SAFETY_MARGIN)) - Math.max(0, limits.outputTokens));
  const chosen = limits.maxInputTokens ?? 0;
  return chosen > 0 && chosen < fromWindow ? { tokens: Math.floor(chosen), limitedBy: 'setting' } : { tokens: fromWindow, limitedBy: 'window' };
}

export interface FitInput extends RequestInput {
  /**
   * Code that an earlier question in `history` carries and this question relies on (a panel
   * follow-up about the code of an earlier question). If every question carrying it is left
   * out, it goes with this question instead, so the answer still sees it.
   */
  readonly carriedContexts?: readonly CodeContext[];
}

export interface FitOptions {
  readonly budget: TokenBudget;
  /**
   * The API's exact count of a request's input tokens, asked once when the estimate comes
   * within `COUNT_THRESHOLD` of the budget. A rejection leaves the estimate in charge.
   */
  readonly count?: (request: ArchitectRequest) => Promise<number>;
}

/** A piece of the current question's code that was cut further, or left out. */
interface CutCode {
  /** What was sent (`truncated`, the lines actually sent); before the cut when left out. */
  readonly reference: CodeReference;
  readonly totalLines: number;
  /** Lines sent; 0 when the code was left out. */
  readonly sentLines: number;
}

/** The request to send, and what was left out of it. */
export interface FittedRequest {
  readonly request: ArchitectRequest;
  /** The current question's code as sent: cut further, or joined by carried code. */
  readonly contexts: readonly CodeContext[];
  readonly budget: TokenBudget;
  /** The estimate of the whole request before fitting. */
  readonly estimatedTokens: number;
  /** The API's count of the whole request before fitting, when it was asked and answered. */
  readonly countedTokens?: number;
  /** Why counting failed, when it was asked and failed (the estimate stood). */
  readonly countError?: unknown;
  /** Tokens of the request sent: the count, or the estimate scaled by the count when there was one. */
  readonly tokens: number;
  /** Earlier question-and-answer pairs left out, the oldest first. */
  readonly droppedTurns: number;
  /** Code of the current question cut further or left out. */
  readonly cutCode: readonly CutCode[];
  /** Carried code now goes with the current question, because its question was left out. */
  readonly movedCode: boolean;
  /** Nothing else could be left out and the request is still over the budget. */
  readonly overBudget: boolean;
  /** What was left out, in one or two sentences for the user; undefined when nothing was. */
  readonly notice?: string;
}

/**
 * The request for `input` within `options.budget`. Resolves, never rejects: a failed count
 * is reported in `countError` and the estimate decides.
 */
export async function fitRequest(input: FitInput, options: FitOptions): Promise<FittedRequest> {
  const budget = options.budget.tokens;
  const full = buildArchitectRequest(input);
  const estimatedTokens = estimateRequestTokens(full);
  const unchanged = (tokens: number, counted?: Partial<FittedRequest>): FittedRequest => ({
    request: full,
    contexts: input.contexts,
    budget: options.budget,
    estimatedTokens,
    tokens,
    droppedTurns: 0,
    cutCode: [],
    movedCode: false,
    overBudget: false,
    ...counted,
  });
  if (estimatedTokens <= budget * COUNT_THRESHOLD) {
    return unchanged(estimatedTokens);
  }
  let scale = 1;
  let counting: Partial<FittedRequest> = {};
  if (options.count) {
    try {
      const counted = await options.count(full);
      if (Number.isFinite(counted) && counted > 0) {
        counting = { countedTokens: counted };
        if (counted <= budget) {
          return unchanged(counted, counting);
        }
        // The estimate is off by this much for this conversation: trim by the corrected numbers.
        scale = counted / estimatedTokens;
      }
    } catch (err) {
      counting = { countError: err };
    }
  }
  if (estimatedTokens * scale <= budget) {
    return unchanged(estimatedTokens, counting);
  }
  return { ...trim(input, options.budget, budget / steadyScale(scale), scale), estimatedTokens, ...counting };
}

/**
 * The count's correction of the estimate, rounded up to a step of about 4%. The correction
 * drifts a little from one follow-up to the next; trimming by a rounded one lets each follow-up
 * work out the earlier requests' trims as they were made (see `trim`), and errs on the safe side.
 */
function steadyScale(scale: number): number {
  return 2 ** (Math.ceil(Math.log2(scale) * 16) / 16);
}

type Trimmed = Omit<FittedRequest, 'estimatedTokens' | 'countedTokens' | 'countError'>;

/**
 * Leaves out the oldest pairs, in steps that keep the prompt cache, then cuts the current code,
 * until the estimate is within `limit`. `scale` turns the estimate into the count, for `tokens`.
 */
function trim(input: FitInput, budget: TokenBudget, limit: number, scale: number): Trimmed {
  const history = normalizeHistory(input.history ?? []);
  const pairs = Math.floor(history.length / 2);
  // A last question without an answer is merged into the current one by the request builder: it stays.
  const trailing: ChatTurn | undefined = history.length % 2 === 1 ? history[history.length - 1] : undefined;
  // firstCost[k]: the first k pairs; keptCost[k]: the pairs from k on (the first k left out).
  const firstCost = new Array<number>(pairs + 1).fill(0);
  for (let k = 0; k < pairs; k++) {
    firstCost[k + 1] = firstCost[k] + messageTokens(history[2 * k].content) + messageTokens(history[2 * k + 1].content);
  }
  const keptCost = firstCost.map((cost) => firstCost[pairs] - cost);
  const fixed = REQUEST_OVERHEAD_TOKENS + systemTokens(input.agent.body);
  const currentCost = (contexts: readonly CodeContext[]): number => {
    const message = buildUserMessage(input.question, contexts);
    return messageTokens(trailing ? `${trailing.content}\n\n${message}` : message);
  };

  // Carried code, and the last pair that carries it (-1: no pair does, so it is never moved).
  const own = new Set(input.contexts.map(codeBlock));
  const carried = (input.carriedContexts ?? [])
    .filter((context) => !own.has(codeBlock(context)) && !trailing?.content.includes(codeBlock(context)))
    .map((context) => {
      const block = codeBlock(context);
      let last = -1;
      for (let k = 0; k < pairs; k++) {
        if (history[2 * k].content.includes(block)) {
          last = k;
        }
      }
      return { context, last };
    })
    .filter(({ last }) => last >= 0);
  const contextsWhen = (dropped: number): CodeContext[] => [
    ...input.contexts,
    ...carried.filter(({ last }) => last < dropped).map(({ context }) => context),
  ];
  // The current message only changes when more carried code moves into it: cost each variant once.
  const costs = new Map<number, number>();
  const currentCostWhen = (dropped: number): number => {
    const contexts = contextsWhen(dropped);
    let cost = costs.get(contexts.length);
    if (cost === undefined) {
      cost = currentCost(contexts);
      costs.set(contexts.length, cost);
    }
    return cost;
  };

  // Replay the requests that asked the earlier questions (question k went with the pairs before
  // it) to find how many pairs the last of them left out. It is worked out from the history
  // alone, so every follow-up comes to the same answer; the panel's history holds each question
  // as it was sent, so it is also what was sent then (the Chat view's holds the prompt only).
  let dropped = 0;
  for (let k = 1; k < pairs; k++) {
    const question = messageTokens(history[2 * k].content);
    dropped = nextDropped(dropped, k, (d) => fixed + firstCost[k] - firstCost[d] + question, limit);
  }
  dropped = nextDropped(dropped, pairs, (d) => fixed + keptCost[d] + currentCostWhen(d), limit);

  const uncut = contextsWhen(dropped);
  let contexts: readonly CodeContext[] = uncut;
  if (fixed + keptCost[dropped] + currentCost(uncut) > limit && uncut.length > 0) {
    contexts = cutCode(uncut, (candidate) => fixed + keptCost[dropped] + currentCost(candidate) <= limit);
  }

  const request = buildArchitectRequest({
    ...input,
    contexts,
    // The pairs kept, and the unanswered last question (if any) that joins the current one.
    history: history.slice(2 * dropped),
  });
  const tokens = Math.ceil(estimateRequestTokens(request) * scale);
  const cut = cutReport(uncut, contexts);
  const movedCode = uncut.length > input.contexts.length;
  const overBudget = tokens > budget.tokens;
  return {
    request,
    contexts,
    budget,
    tokens,
    droppedTurns: dropped,
    cutCode: cut,
    movedCode,
    overBudget,
    notice: fitNotice({ droppedTurns: dropped, cutCode: cut, movedCode, overBudget, budget }),
  };
}

/**
 * How many of the oldest of `pairs` pairs a request leaves out, when the request before it left
 * out `previous` and leaving out `d` costs `cost(d)` tokens. The same as before while that fits
 * `limit`, so the request starts as the cached one did. Otherwise down to `TRIM_WATERMARK` of
 * the limit, keeping at least the newest pair; failing that, the fewest that fit; failing
 * that, all of them.
 */
function nextDropped(previous: number, pairs: number, cost: (dropped: number) => number, limit: number): number {
  if (cost(previous) <= limit) {
    return previous;
  }
  const watermark = limit * TRIM_WATERMARK;
  for (let d = previous + 1; d < pairs; d++) {
    if (cost(d) <= watermark) {
      return d;
    }
  }
  for (let d = previous + 1; d < pairs; d++) {
    if (cost(d) <= limit) {
      return d;
    }
  }
  return pairs;
}

/**
 * The most of `contexts` that `fits`: each cut to the same share of its characters (at a line
 * boundary), found by bisection; none at all when not even a line fits.
 */
function cutCode(contexts: readonly CodeContext[], fits: (candidate: readonly CodeContext[]) => boolean): readonly CodeContext[] {
  const at = (share: number): CodeContext[] =>
    contexts.flatMap((context) => shrinkContext(context, Math.floor(context.code.length * share)) ?? []);
  let low = 0;
  let high = 1;
  for (let step = 0; step < 16; step++) {
    const middle = (low + high) / 2;
    if (fits(at(middle))) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return at(low);
}

function cutReport(before: readonly CodeContext[], after: readonly CodeContext[]): CutCode[] {
  const report: CutCode[] = [];
  for (const context of before) {
    const sent = after.find((candidate) => sameSource(candidate.reference, context.reference));
    if (!sent) {
      report.push({ reference: context.reference, totalLines: context.totalLines, sentLines: 0 });
    } else if (sent !== context) {
      report.push({ reference: sent.reference, totalLines: sent.totalLines, sentLines: sent.reference.endLine - sent.reference.startLine + 1 });
    }
  }
  return report;
}

function sameSource(a: CodeReference, b: CodeReference): boolean {
  return a.path === b.path && a.startLine === b.startLine && a.kind === b.kind;
}

/**
 * What was left out, for the user: "3 earlier questions and their answers were left out to
 * fit the model's context window." Undefined when nothing was.
 */
export function fitNotice(fit: Pick<FittedRequest, 'droppedTurns' | 'cutCode' | 'movedCode' | 'overBudget' | 'budget'>): string | undefined {
  const clauses: string[] = [];
  if (fit.droppedTurns === 1) {
    clauses.push(l10n.t('1 earlier question and its answer was left out'));
  } else if (fit.droppedTurns > 1) {
    clauses.push(l10n.t('{0} earlier questions and their answers were left out', fit.droppedTurns));
  }
  for (const cut of fit.cutCode) {
    clauses.push(
      cut.sentLines === 0
        ? l10n.t('the code from {0} was left out', cut.reference.path)
        : l10n.t('only the first {0} of {1} lines of {2} were sent', cut.sentLines, cut.totalLines, cut.reference.path),
    );
  }
  const [tooLongAfterCuts, tooLong] = tooLongSentences();
  const sentences: string[] = [];
  if (clauses.length > 0) {
    const reason = fitReason(fit.budget.limitedBy);
    if (clauses.length === 1) {
      sentences.push(capitalized(l10n.t({ message: '{0} {1}.', args: [clauses[0], reason], comment: ['What was left out of the request ({0}), then why ({1})'] })));
    } else {
      const list = l10n.t({
        message: '{0} and {1}',
        args: [clauses.slice(0, -1).join(', '), clauses[clauses.length - 1]],
        comment: ['Joins the last item of a list to the others: {0} is "a, b", {1} is "c"'],
      });
      sentences.push(capitalized(l10n.t({ message: '{0}, {1}.', args: [list, reason], comment: ['A list of what was left out of the request ({0}), then why ({1})'] })));
    }
  }
  if (fit.movedCode) {
    sentences.push(
      fit.droppedTurns === 1
        ? l10n.t('The code it was about goes with this question instead.')
        : l10n.t('The code they were about goes with this question instead.'),
    );
  }
  if (fit.overBudget) {
    sentences.push(clauses.length > 0 ? tooLongAfterCuts : tooLong);
  }
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}

/** Why parts of the request were left out: the words that end the notice's first sentence. */
function fitReason(limitedBy: TokenBudget['limitedBy']): string {
  return limitedBy === 'setting'
    ? l10n.t({ message: 'to stay within lingualeap.maxInputTokens', comment: ['Why parts of the request were left out; ends the sentence listing them'] })
    : l10n.t({ message: "to fit the model's context window", comment: ['Why parts of the request were left out; ends the sentence listing them'] });
}

/** The notice's sentence for a request still over the budget: after something was left out, and when nothing could be. */
function tooLongSentences(): [afterCuts: string, alone: string] {
  return [
    l10n.t('Even so, the request may be too long for the model; shorten the question or start a new conversation.'),
    l10n.t("The request may be too long for the model's context window; shorten the question or start a new conversation."),
  ];
}

function capitalized(sentence: string): string {
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
}

/** Every notice `fitNotice` writes holds one of these (in the display language): a reason, or a too-long sentence. */
function fitNoticeMarks(): string[] {
  return [fitReason('setting'), fitReason('window'), ...tooLongSentences()];
}

/**
 * The notice as the first paragraph of a Chat view answer, where it stays visible (a progress
 * message would fold into "Completed N steps"): a quote, so it reads as a note, not as the answer.
 */
export function fitNoticeMarkdown(notice: string): string {
  return `> ${notice.replace(/\s+/g, ' ')}\n\n`;
}

/** An answer without the notice `fitNoticeMarkdown` put first, to send it back as history. */
export function withoutFitNotice(answer: string): string {
  const match = /^> ([^\n]*)\n\n/.exec(answer);
  return match && fitNoticeMarks().some((mark) => match[1].includes(mark)) ? answer.slice(match[0].length) : answer;
}
