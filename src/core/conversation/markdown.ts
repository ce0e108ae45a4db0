/**
 * A conversation's title, its file, and its Markdown export. Pure.
 */
import { describeReference, fenceFor } from '../prompt/context';
import { receiptMarkdown, receiptOf } from '../usage/receipt';
import type { StoredConversation } from './conversation';

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
    if (turn.receipt) {
      parts.push(receiptMarkdown(receiptOf(turn.receipt.requests), turn.receipt.context).trimEnd());
    } else if (turn.usage) {
      const u = turn.usage;
      parts.push(
        `*${turn.model ?? ''} · ${u.inputTokens} input, ${u.outputTokens} output, ${u.cacheReadTokens} cache read, ${u.cacheWriteTokens} cache write tokens*`,
      );
    }
  });
  return `${parts.join('\n\n')}\n`;
}
