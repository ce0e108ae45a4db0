/**
 * Conversation History and Export Conversation to Markdown.
 */
import * as vscode from 'vscode';
import { conversationFile, conversationTitle, conversationToMarkdown } from '../core/conversation/markdown';
import type { StoredConversation } from '../core/conversation/conversation';
import type { ConversationStore } from '../host/conversationStore';
import type { ArchitectPanels } from '../host/panels';

interface ConversationPick extends vscode.QuickPickItem {
  readonly conversation: StoredConversation;
}

const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A quick pick of stored conversations; the one picked (or named by `id`) opens in the panel. */
export async function showHistory(panels: ArchitectPanels, history: ConversationStore, id: string | undefined): Promise<string | undefined> {
  const conversations = history.list();
  let chosen = id ? conversations.find((conversation) => conversation.id === id) : undefined;
  if (!chosen) {
    if (conversations.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('LinguaLeap: no conversations in this workspace yet.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick<ConversationPick>(
      conversations.map((conversation) => ({
        label: conversationTitle(conversation),
        description: [dates.format(conversation.updatedAt), conversationFile(conversation)].filter(Boolean).join(' · '),
        detail: conversation.turns.length === 1 ? vscode.l10n.t('1 question') : vscode.l10n.t('{0} questions', conversation.turns.length),
        conversation,
      })),
      {
        title: vscode.l10n.t('LinguaLeap: Conversation History'),
        placeHolder: vscode.l10n.t('Reopen a conversation in the architect panel'),
        matchOnDescription: true,
      },
    );
    chosen = picked?.conversation;
  }
  if (!chosen) {
    return undefined;
  }
  await panels.showConversation(chosen);
  return chosen.id;
}

/**
 * Writes the panel's conversation (else the newest stored one) as Markdown to `target`, or
 * where the save dialog says. Returns the file written.
 */
export async function exportConversation(
  panels: ArchitectPanels,
  history: ConversationStore,
  log: vscode.LogOutputChannel,
  target: vscode.Uri | undefined,
): Promise<vscode.Uri | undefined> {
  const shown = panels.shown;
  const conversation = shown && shown.conversation.turns.length > 0 ? shown.conversation : history.list()[0];
  if (!conversation) {
    void vscode.window.showInformationMessage(vscode.l10n.t('LinguaLeap: there is no conversation to export yet.'));
    return undefined;
  }
  const markdown = conversationToMarkdown(conversation, shown?.agentName ?? 'LinguaLeap Architect');
  let uri = target;
  if (!uri) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${conversationTitle(conversation).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation'}.md`;
    uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Conversation to Markdown'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [vscode.l10n.t('Markdown')]: ['md'] },
    });
  }
  if (!uri) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
  log.info(`Exported a conversation of ${conversation.turns.length} question(s) to ${uri.toString()}.`);
  return uri;
}
