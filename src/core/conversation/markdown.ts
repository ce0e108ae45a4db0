/**
 * The stored shape of a conversation and its Markdown export. No `vscode` import, so it is
 * unit-tested under node:test.
 */
import type { CodeContext } from '../prompt/context';
import { describeReference, fenceFor } from '../prompt/context';
import type { TurnAction, TurnUsage } from '../../shared/protocol';

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
  /** Epoch milliseconds. */
  readonly askedAt: number;
}

/** A conversation as kept in the workspace's storage. Never holds the API key. */
export interface StoredConversation {
  readonly id: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly turns: StoredTurn[];
}

/** The title shown in the history: the first question, on one line. */
export function conversationTitle(conversation: StoredConversation): string {
  const first = conversation.turns[0]?.question.replace(/\s+/g, ' ').trim() ?? '';
  if (first === '') {
    return conversation.turns[0]?.contexts.length ? 'Review of the selected code' : 'Empty conversation';
  }
  return first.length > 80 ? `${first.slice(0, 79)}…` : first;
}

/** The file the conversation started from, if any. */
export function conversationFile(conversation: StoredConversation): string | undefined {
  return conversation.turns.find((turn) => turn.contexts.length > 0)?.contexts[0].reference.path;
}

/** The whole conversation as a Markdown document: questions, their code, answers, usage. */
export function conversationToMarkdown(conversation: StoredConversation, agentName: string): string {
  const parts = [`# ${conversationTitle(conversation)}`, `*${agentName} — ${new Date(conversation.createdAt).toISOString()}*`];
  conversation.turns.forEach((turn, index) => {
    parts.push(`## Question ${index + 1}`, turn.question.trim() || '*(review the code)*');
    for (const context of turn.contexts) {
      const fence = fenceFor(context.code);
      parts.push(`From \`${describeReference(context.reference)}\`:`, `${fence}${context.reference.languageId}\n${context.code}\n${fence}`);
    }
    if (turn.notice) {
      parts.push(`*${turn.notice}*`);
    }
    parts.push(`### Answer`, turn.answer.trim() || '*(no answer)*');
    if (turn.status === 'cancelled') {
      parts.push('*Stopped.*');
    } else if (turn.status === 'failed' && turn.failure) {
      parts.push(`*Failed: ${turn.failure.message}*`);
    }
    if (turn.usage) {
      const u = turn.usage;
      parts.push(
        `*${turn.model ?? ''} · ${u.inputTokens} input, ${u.outputTokens} output, ${u.cacheReadTokens} cache read, ${u.cacheWriteTokens} cache write tokens*`,
      );
    }
  });
  return `${parts.join('\n\n')}\n`;
}
