/**
 * A conversation's title, its file, and its Markdown export. Pure.
 */
import * as l10n from '@vscode/l10n';
import { describeReference, fenceFor } from '../prompt/context';
import { receiptMarkdown, receiptOf } from '../usage/receipt';
import type { StoredConversation } from './conversation';

/** The title shown in the history: the first question, on one line. */
export function conversationTitle(conversation: StoredConversation): string {
  const first = conversation.turns[0]?.question.replace(/\s+/g, ' ').trim() ?? '';
  if (first === '') {
    return conversation.turns[0]?.contexts.length ? l10n.t('Review of the selected code') : l10n.t('Empty conversation');
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
    parts.push(`## ${l10n.t('Question {0}', index + 1)}`, turn.question.trim() || `*${l10n.t('(review the code)')}*`);
    for (const context of turn.contexts) {
      const fence = fenceFor(context.code);
      parts.push(l10n.t('From `{0}`:', describeReference(context.reference)), `${fence}${context.reference.languageId}\n${context.code}\n${fence}`);
    }
    if (turn.notice) {
      parts.push(`*${turn.notice}*`);
    }
    parts.push(`### ${l10n.t({ message: 'Answer', comment: ['A heading: the answer to the question above (a noun)'] })}`, turn.answer.trim() || `*${l10n.t('(no answer)')}*`);
    if (turn.status === 'cancelled') {
      parts.push(`*${l10n.t('Stopped.')}*`);
    } else if (turn.status === 'failed' && turn.failure) {
      parts.push(`*${l10n.t('Failed: {0}', turn.failure.message)}*`);
    }
    if (turn.receipt) {
      parts.push(receiptMarkdown(receiptOf(turn.receipt.requests), turn.receipt.context).trimEnd());
    } else if (turn.usage) {
      const u = turn.usage;
      parts.push(
        `*${l10n.t('{0} · {1} input, {2} output, {3} cache read, {4} cache write tokens', turn.model ?? '', u.inputTokens, u.outputTokens, u.cacheReadTokens, u.cacheWriteTokens)}*`,
      );
    }
  });
  return `${parts.join('\n\n')}\n`;
}
