/**
 * Everything the architect panel contributes besides "Ask": the serializer that restores it
 * after a window reload, the conversation history and export commands, and Accept/Discard for
 * a proposed change. Returns the services the panel needs, for `registerCommands`.
 */
import * as vscode from 'vscode';
import { parseWebviewMessage } from '../shared/protocol';
import type { Architect } from '../core/architect/architect';
import { ConversationStore } from '../host/conversationStore';
import { conversationFile, conversationTitle, conversationToMarkdown, type StoredConversation } from '../core/conversation/markdown';
import { ArchitectPanel, PANEL_VIEW_TYPE, type PanelDeps } from './architectPanel';
import { ProposalStore } from './proposals';

export interface PanelRegistration {
  readonly extensionUri: vscode.Uri;
  readonly architect: Architect;
  readonly log: vscode.LogOutputChannel;
}

export function registerPanel(context: vscode.ExtensionContext, base: PanelRegistration): PanelDeps {
  const proposals = new ProposalStore();
  const deps: PanelDeps = { ...base, history: new ConversationStore(context.workspaceState), proposals };
  context.subscriptions.push(
    proposals,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        await ArchitectPanel.revive(panel, deps, state);
      },
    }),
    vscode.commands.registerCommand('lingualeap.newConversation', async () => {
      const panel = ArchitectPanel.active ?? (await ArchitectPanel.show(deps));
      panel.newConversation();
      return panel.conversationId;
    }),
    vscode.commands.registerCommand('lingualeap.showHistory', (id?: unknown) => showHistory(deps, typeof id === 'string' ? id : undefined)),
    vscode.commands.registerCommand('lingualeap.exportConversation', (target?: unknown) =>
      exportConversation(deps, target instanceof vscode.Uri ? target : undefined),
    ),
    // Hidden hooks for the integration tests (and automation): what the panel's own buttons do.
    vscode.commands.registerCommand('_lingualeap.panel.followUp', (question: unknown) =>
      typeof question === 'string' && ArchitectPanel.active ? ArchitectPanel.active.followUp(question) : undefined,
    ),
    vscode.commands.registerCommand('_lingualeap.panel.codeAction', (turnId: unknown, action: unknown, code: unknown, language: unknown) => {
      const message = parseWebviewMessage({ type: 'codeAction', turnId, action, code, language });
      return message?.type === 'codeAction' ? ArchitectPanel.active?.runCodeAction(message.turnId, message.action, message.code, message.language) : undefined;
    }),
    vscode.commands.registerCommand('_lingualeap.panel.conversation', () => ArchitectPanel.active?.snapshot),
    vscode.commands.registerCommand('lingualeap.acceptProposal', (arg?: unknown) => proposals.accept(arg)),
    vscode.commands.registerCommand('lingualeap.discardProposal', (arg?: unknown) => proposals.discard(arg)),
  );
  return deps;
}

interface ConversationPick extends vscode.QuickPickItem {
  readonly conversation: StoredConversation;
}

const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A quick pick of stored conversations; the one picked (or named by `id`) opens in the panel. */
async function showHistory(deps: PanelDeps, id: string | undefined): Promise<string | undefined> {
  const conversations = deps.history.list();
  let chosen = id ? conversations.find((conversation) => conversation.id === id) : undefined;
  if (!chosen) {
    if (conversations.length === 0) {
      void vscode.window.showInformationMessage('LinguaLeap: no conversations in this workspace yet.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick<ConversationPick>(
      conversations.map((conversation) => ({
        label: conversationTitle(conversation),
        description: [dates.format(conversation.updatedAt), conversationFile(conversation)].filter(Boolean).join(' · '),
        detail: `${conversation.turns.length} question${conversation.turns.length === 1 ? '' : 's'}`,
        conversation,
      })),
      { title: 'LinguaLeap: Conversation History', placeHolder: 'Reopen a conversation in the architect panel', matchOnDescription: true },
    );
    chosen = picked?.conversation;
  }
  if (!chosen) {
    return undefined;
  }
  const panel = ArchitectPanel.active ?? (await ArchitectPanel.show(deps));
  panel.showConversation(chosen);
  return chosen.id;
}

/**
 * Writes the panel's conversation (else the newest stored one) as Markdown to `target`, or
 * where the save dialog says. Returns the file written.
 */
async function exportConversation(deps: PanelDeps, target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const panel = ArchitectPanel.active;
  const conversation = panel && panel.snapshot.turns.length > 0 ? panel.snapshot : deps.history.list()[0];
  if (!conversation) {
    void vscode.window.showInformationMessage('LinguaLeap: there is no conversation to export yet.');
    return undefined;
  }
  const agentName = panel?.agentName ?? 'LinguaLeap Architect';
  const markdown = conversationToMarkdown(conversation, agentName);
  let uri = target;
  if (!uri) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${conversationTitle(conversation).replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation'}.md`;
    uri = await vscode.window.showSaveDialog({
      title: 'Export Conversation to Markdown',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { Markdown: ['md'] },
    });
  }
  if (!uri) {
    return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
  deps.log.info(`Exported a conversation of ${conversation.turns.length} question(s) to ${uri.toString()}.`);
  return uri;
}
