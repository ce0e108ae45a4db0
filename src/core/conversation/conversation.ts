/**
 * A conversation with the architect as the panel keeps it: its questions, what was sent with
 * each, the answers, and what they cost. The host owns one per panel and stores it per workspace;
 * the webview only renders snapshots of it. Pure: no `vscode`.
 */
import { addUsage, costOf } from '../llm/pricing';
import type { TurnResult } from '../llm/pipeline';
import { previousRequestOf, type AnswerReceipt } from '../usage/answer';
import type { PreviousRequest } from '../usage/estimate';
import { receiptOf, receiptView } from '../usage/receipt';
import type { ChatTurn } from '../llm/types';
import type { CodeContext } from '../prompt/context';
import { buildUserMessage } from '../prompt/request';
import { assertNever, type TodoView, type ToolStepView, type TurnAction, type TurnSnapshot, type TurnUsage, type UsageSummary } from '../../shared/protocol';
import type { StepTarget } from './steps';

/** Where a question came from, so code blocks can be inserted or applied there later. */
export interface StoredOrigin {
  /** `Uri.toString()` of the document. */
  readonly uri: string;
  /** The range the question was about (0-based: start line, start character, end line, end character). */
  readonly range: readonly [number, number, number, number];
}

/** One question and how it was answered. */
export interface StoredTurn {
  readonly id: string;
  readonly question: string;
  /** The code sent with the question (as sent: cut further or moved here to fit the context window). */
  contexts: readonly CodeContext[];
  readonly origin?: StoredOrigin;
  /** What was left out of the request to fit the model's context window, as told to the user. */
  notice?: string;
  answer: string;
  status: 'streaming' | 'completed' | 'cancelled' | 'failed';
  model?: string;
  usage?: TurnUsage;
  stopReason?: string | null;
  failure?: { readonly message: string; readonly actions: readonly TurnAction[] };
  /** The answer's tool steps, each at its offset in `answer`. */
  steps?: ToolStepView[];
  /** What each step's links open (files at their lines, web pages), by step id. */
  stepTargets?: Record<string, StepTarget[]>;
  /** The agent's plan as it last stood. */
  todos?: TodoView[];
  /** Lines for the answer's details (tools not available here). */
  details?: string[];
  /** What the answer was billed (every request, stopped ones too), with what was sent. */
  receipt?: AnswerReceipt;
  /** Nothing was sent: the price confirmation was declined. */
  notSent?: boolean;
  /** Epoch milliseconds. */
  readonly askedAt: number;
}

/** A conversation as kept in the workspace's storage. Never holds the API key. */
export interface StoredConversation {
  readonly id: string;
  /** The `name` of the agent that answers in it (the default agent when absent). */
  agent?: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly turns: StoredTurn[];
}

/** A new, empty conversation with a fresh id. */
export function newConversation(now = Date.now()): StoredConversation {
  return { id: `c${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`, createdAt: now, updatedAt: now, turns: [] };
}

/** A question about to be asked: the turn that will hold its answer and the history it goes with. */
export interface StartedTurn {
  readonly turn: StoredTurn;
  /** Earlier completed turns as API messages, oldest first (the new question is not in it). */
  readonly history: readonly ChatTurn[];
}

/** Adds a question to the conversation as a streaming turn; its id is `t1`, `t2`, … in order. */
export function startTurn(
  conversation: StoredConversation,
  question: string,
  contexts: readonly CodeContext[],
  origin?: StoredOrigin,
  now = Date.now(),
): StartedTurn {
  const history = historyOf(conversation);
  const turn: StoredTurn = {
    id: `t${conversation.turns.length + 1}`,
    question,
    contexts,
    origin,
    answer: '',
    status: 'streaming',
    askedAt: now,
  };
  conversation.turns.push(turn);
  return { turn, history };
}

/** Records how a turn ended, and its receipt. */
export function finishTurn(
  conversation: StoredConversation,
  turn: StoredTurn,
  result: TurnResult & { readonly receipt?: AnswerReceipt; readonly notSent?: true },
  now = Date.now(),
): void {
  turn.status = result.status;
  turn.model = result.model || undefined;
  turn.receipt = result.receipt;
  turn.notSent = result.notSent;
  conversation.updatedAt = now;
  switch (result.status) {
    case 'completed':
      turn.usage = result.usage;
      turn.stopReason = result.stopReason;
      break;
    case 'cancelled':
      break;
    case 'failed':
      turn.failure = { message: result.failure.message, actions: result.failure.actions };
      break;
    default:
      assertNever(result);
  }
}

/** Completed turns as conversation history; failed and stopped ones carry no answer. */
export function historyOf(conversation: StoredConversation): ChatTurn[] {
  return conversation.turns
    .filter((turn) => turn.status === 'completed')
    .flatMap((turn): ChatTurn[] => [
      // The question as it was sent, so follow-ups see the code the first answer saw.
      { role: 'user', content: buildUserMessage(turn.question, turn.contexts) },
      { role: 'assistant', content: turn.answer },
    ]);
}

/** What a follow-up typed in the panel is sent with. */
export interface FollowUpContext {
  /** Code that goes with the follow-up itself. */
  readonly contexts: readonly CodeContext[];
  /** Code an earlier turn in the history carries, sent again if that turn is left out to fit. */
  readonly carriedContexts?: readonly CodeContext[];
  /** Where the conversation's code came from, for Insert and Apply. */
  readonly origin?: StoredOrigin;
}

/**
 * A follow-up brings no new code, but the conversation's original code goes with it when no
 * completed turn already carries it in the history. When one does, the latest such turn's code
 * is carried: it goes with the follow-up if that turn is left out to fit.
 */
export function followUpContext(conversation: StoredConversation): FollowUpContext {
  const turns = conversation.turns;
  const first = turns.find((turn) => turn.contexts.length > 0);
  const carrier = [...turns].reverse().find((turn) => turn.status === 'completed' && turn.contexts.length > 0);
  return {
    contexts: first && !carrier ? first.contexts : [],
    carriedContexts: carrier?.contexts,
    origin: turns.find((turn) => turn.origin)?.origin,
  };
}

/** The origin of a turn, else of the conversation's first question that had one. */
export function originOf(conversation: StoredConversation, turn: StoredTurn): StoredOrigin | undefined {
  return turn.origin ?? conversation.turns.find((candidate) => candidate.origin)?.origin;
}

/**
 * One answer's tokens and price: every request of its receipt (a stopped or failed answer's
 * too); for a turn stored before receipts, the usage of its completed reply.
 */
export function summaryOf(turn: StoredTurn): UsageSummary | undefined {
  if (turn.receipt) {
    if (turn.receipt.context.billedTo === 'chat') {
      // The Chat view's model: not billed to the key, so no price (and never $0).
      return undefined;
    }
    const receipt = receiptOf(turn.receipt.requests);
    const usage = { inputTokens: receipt.tokens.input, outputTokens: receipt.tokens.output, cacheReadTokens: receipt.tokens.cacheRead, cacheWriteTokens: receipt.tokens.cacheWrite };
    return { usage, cost: receipt.cost };
  }
  return turn.usage ? { usage: turn.usage, cost: costOf(turn.model ?? '', turn.usage) } : undefined;
}

/** The conversation's previous request, for the share of a new question the prompt cache should hold. */
export function previousRequest(conversation: StoredConversation): PreviousRequest | undefined {
  const last = [...conversation.turns].reverse().find((turn) => turn.receipt);
  return previousRequestOf(last?.receipt);
}

/** The conversation's tokens and price so far; `partial` when some reply's price is unknown. */
export function totalOf(conversation: StoredConversation): UsageSummary | undefined {
  let total: UsageSummary | undefined;
  for (const turn of conversation.turns) {
    const summary = summaryOf(turn);
    if (!summary) {
      continue;
    }
    const known = summary.cost !== undefined;
    total = total
      ? {
          usage: addUsage(total.usage, summary.usage),
          cost: (total.cost ?? 0) + (summary.cost ?? 0),
          partial: total.partial || !known,
        }
      : { usage: summary.usage, cost: summary.cost ?? 0, partial: !known };
  }
  return total;
}

/** A turn as the webview shows it again (after a reload, from the history). */
export function snapshotOf(turn: StoredTurn): TurnSnapshot {
  return {
    turnId: turn.id,
    question: turn.question,
    reference: turn.contexts[0]?.reference,
    answer: turn.answer,
    status: turn.status === 'streaming' ? 'cancelled' : turn.status,
    summary: summaryOf(turn),
    stopReason: turn.stopReason,
    message: turn.failure?.message,
    actions: turn.failure?.actions,
    notice: turn.notice,
    steps: turn.steps,
    todos: turn.todos,
    details: turn.details,
    ...(turn.receipt ? { receipt: receiptView(receiptOf(turn.receipt.requests), turn.receipt.context) } : {}),
    ...(turn.notSent ? { notSent: true } : {}),
  };
}

/** Whether every line of `code` appears in `answer` (code in a list item is indented there). */
export function isPartOf(code: string, answer: string): boolean {
  const normalized = answer.replace(/\r\n?/g, '\n');
  if (normalized.includes(code.replace(/\n$/, ''))) {
    return true;
  }
  return code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .every((line) => normalized.includes(line));
}
