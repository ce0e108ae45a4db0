/**
 * What the architect knows about an answer besides its tokens: the code sent as `path:lines`,
 * the files the tools touched, what was left out to fit the budget; and a question's price
 * before it is sent, from the same request and the same token counter as the budget. Pure:
 * no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../shared/format';
import type { FittedRequest } from '../prompt/budget';
import type { CodeContext } from '../prompt/context';
import { codeBlock } from '../prompt/request';
import { estimateTokens, messageTokens, REQUEST_OVERHEAD_TOKENS, systemTokens } from '../prompt/tokens';
import type { RequestReceipt } from '../llm/toolLoop';
import type { ToolFileRef } from '../tools';
import { cachedPrefixTokens, estimateCost, type CostEstimate, type PreviousRequest } from './estimate';
import type { BilledTo, ReceiptContext } from './receipt';

/** An answer's receipt as the architect returns it and a conversation stores it. */
export interface AnswerReceipt {
  /** Completed requests and those that stopped or failed after `message_start` (`partial`). */
  readonly requests: readonly RequestReceipt[];
  readonly context: ReceiptContext;
  /** The agent's `name`, as the usage ledger keeps it. */
  readonly agentName: string;
  /** What `context.files` open, in the same order: absolute paths with their lines. */
  readonly fileRefs: readonly ToolFileRef[];
  /** When the answer ended, epoch milliseconds. */
  readonly at: number;
}

/**
 * The request of an answer that the next question's prompt starts with, for the prompt cache:
 * its first (a question's first request wrote the prefix up to that question; the later ones
 * of a tool turn carry tool calls the conversation does not keep).
 */
export function previousRequestOf(receipt: AnswerReceipt | undefined): PreviousRequest | undefined {
  const first = receipt?.requests[0];
  if (!receipt || !first || receipt.context.billedTo !== 'key') {
    return undefined;
  }
  const u = first.usage;
  return { model: first.model, promptTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens, at: receipt.at };
}

/** The most files a receipt lists (a Grep of a large folder matches many). */
const MAX_FILES = 200;

/** `src/app.ts:12-40`: the code a question sent, one label each. */
export function codeLabels(contexts: readonly CodeContext[]): string[] {
  return contexts.map(({ reference: r }) => `${r.path}:${r.startLine === r.endLine ? r.startLine : `${r.startLine}-${r.endLine}`}`);
}

/** The files the tools touched, each once, as labels (workspace-relative, with lines) and the refs they open. */
export function touchedFiles(roots: readonly string[], refs: readonly ToolFileRef[]): { labels: string[]; refs: ToolFileRef[] } {
  const labels: string[] = [];
  const kept: ToolFileRef[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const lines = ref.startLine === undefined ? '' : ref.endLine !== undefined && ref.endLine !== ref.startLine ? `:${ref.startLine}-${ref.endLine}` : `:${ref.startLine}`;
    const label = `${relativeTo(roots, ref.path)}${lines}`;
    if (seen.has(label)) {
      continue;
    }
    seen.add(label);
    if (labels.length < MAX_FILES) {
      labels.push(label);
      kept.push(ref);
    }
  }
  if (seen.size > MAX_FILES) {
    labels.push(l10n.t('… {0} more', seen.size - MAX_FILES));
  }
  return { labels, refs: kept };
}

/** What a request left out to fit the token budget or the size limit, one phrase each. */
export function omittedParts(fit: Pick<FittedRequest, 'droppedTurns' | 'cutCode' | 'contexts'>): string[] {
  const parts: string[] = [];
  if (fit.droppedTurns > 0) {
    parts.push(fit.droppedTurns === 1 ? l10n.t('1 earlier question and its answer') : l10n.t('{0} earlier questions and their answers', fit.droppedTurns));
  }
  const cut = new Set<string>();
  for (const c of fit.cutCode) {
    cut.add(c.reference.path);
    parts.push(
      c.sentLines === 0
        ? l10n.t('the code of {0} ({1} lines)', c.reference.path, c.totalLines)
        : l10n.t('{0} of {1} lines of {2}', c.totalLines - c.sentLines, c.totalLines, c.reference.path),
    );
  }
  for (const { reference: r, totalLines } of fit.contexts) {
    const sent = r.endLine - r.startLine + 1;
    if (r.truncated && !cut.has(r.path) && totalLines > sent) {
      parts.push(l10n.t('{0} of {1} lines of {2} (over lingualeap.maxContextChars)', totalLines - sent, totalLines, r.path));
    }
  }
  return parts;
}

/** A question's price before it is sent. Token counts are the budget's estimate. */
export interface QuestionEstimate {
  readonly model: string;
  /** The agent's instructions: the system prompt and the tool definitions. */
  readonly instructions: number;
  /** The earlier questions and answers that go with it (after fitting). */
  readonly conversation: number;
  /** The code sent with it. */
  readonly code: number;
  /** The question itself (and the message's framing). */
  readonly question: number;
  /** All of the above: the request's input tokens. */
  readonly inputTokens: number;
  /** How many of them the prompt cache should hold (`cachedPrefixTokens`). */
  readonly cachedTokens: number;
  /** The request's `max_tokens`. */
  readonly maxOutputTokens: number;
  /** Undefined: the model's price is unknown (never 0), or the Chat view's model answers. */
  readonly cost?: CostEstimate;
  readonly billedTo: BilledTo;
  /** What fitting would leave out, one phrase each. */
  readonly omitted: readonly string[];
}

export interface QuestionEstimateInput {
  /** The request as the budget fitted it, with no `count` (nothing waits for the network). */
  readonly fit: FittedRequest;
  /** Tokens of the tool definitions that go with every request (`estimateTokens` of their JSON). */
  readonly toolTokens: number;
  readonly billedTo: BilledTo;
  /** The conversation's previous request, for the cached share. */
  readonly previous?: PreviousRequest;
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * The estimate of a fitted request: its tokens by part with the budget's counter, the share the
 * prompt cache should hold, and the input price plus the price of `max_tokens` of output.
 */
export function questionEstimate(input: QuestionEstimateInput): QuestionEstimate {
  const { request, contexts } = input.fit;
  const messages = request.messages;
  const last = messages[messages.length - 1];
  const earlier = messages.slice(0, -1).reduce((sum, m) => sum + messageTokens(m.content), 0);
  const code = contexts.reduce((sum, context) => sum + estimateTokens(codeBlock(context)), 0);
  const newest = last ? messageTokens(last.content) : 0;
  const instructions = systemTokens(request.system) + input.toolTokens;
  const conversation = earlier + REQUEST_OVERHEAD_TOKENS;
  const question = Math.max(0, newest - code);
  const inputTokens = instructions + conversation + Math.min(code, newest) + question;
  const cachedTokens = cachedPrefixTokens({ previous: input.previous, model: request.model, inputTokens, now: input.now });
  const cost =
    input.billedTo === 'key' ? estimateCost({ model: request.model, inputTokens, cachedTokens, maxOutputTokens: request.maxTokens }) : undefined;
  return {
    model: request.model,
    instructions,
    conversation,
    code: Math.min(code, newest),
    question,
    inputTokens,
    cachedTokens,
    maxOutputTokens: request.maxTokens,
    ...(cost ? { cost } : {}),
    billedTo: input.billedTo,
    omitted: omittedParts(input.fit),
  };
}

const tokens = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The estimate in words, for under the question box and the panel's follow-up box. `line`:
 * "≈ 14,210 tokens in (instructions 3,100 · conversation 9,800 · code 1,300 · question 10),
 * 9,800 from cache · up to $0.0123 + $0.0614 for the answer"; `detail`: the model, the longest
 * answer, what fitting would leave out.
 */
export function estimateText(estimate: QuestionEstimate): { line: string; detail: string } {
  const parts = [
    l10n.t('instructions {0}', tokens(estimate.instructions)),
    ...(estimate.conversation > REQUEST_OVERHEAD_TOKENS ? [l10n.t('conversation {0}', tokens(estimate.conversation))] : []),
    ...(estimate.code > 0 ? [l10n.t('code {0}', tokens(estimate.code))] : []),
    l10n.t('question {0}', tokens(estimate.question)),
  ].join(' · ');
  const price =
    estimate.billedTo === 'chat'
      ? l10n.t('not billed to your Anthropic key')
      : estimate.cost
        ? l10n.t('up to {0} + {1} for the answer', formatCost(estimate.cost.input), formatCost(estimate.cost.maxOutput))
        : l10n.t('price unknown');
  const input = tokens(estimate.inputTokens);
  const longest = tokens(estimate.maxOutputTokens);
  return {
    line:
      estimate.cachedTokens > 0
        ? l10n.t('≈ {0} tokens in ({1}), {2} from cache · {3}', input, parts, tokens(estimate.cachedTokens), price)
        : l10n.t('≈ {0} tokens in ({1}) · {2}', input, parts, price),
    detail:
      estimate.omitted.length > 0
        ? l10n.t('{0}, answers of up to {1} tokens: the price assumes the longest. Left out to fit: {2}.', estimate.model, longest, estimate.omitted.join(', '))
        : l10n.t('{0}, answers of up to {1} tokens: the price assumes the longest.', estimate.model, longest),
  };
}

/** `path` relative to the workspace folder holding it (forward slashes), else as it is. */
function relativeTo(roots: readonly string[], path: string): string {
  for (const root of roots) {
    const bare = root.replace(/[\\/]+$/, '');
    if (path === bare) {
      return bare.split(/[\\/]/).pop() || path;
    }
    for (const separator of ['/', '\\']) {
      if (path.startsWith(`${bare}${separator}`)) {
        return path.slice(bare.length + 1).replace(/\\/g, '/');
      }
    }
  }
  return path;
}
