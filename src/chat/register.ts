/**
 * `@lingualeap` in the Chat view, registered at activation: the answer itself (`participant.ts`
 * and the pipeline behind it) loads with the first question.
 */
import * as vscode from 'vscode';
import { PARTICIPANT } from '../contributes/ids';
import { followupsFor } from '../core/prompt/slashCommands';
import type { ArchitectChatResult } from './participant';

/** Answers a request; loaded on first use. */
export type ChatAnswer = (
  request: vscode.ChatRequest,
  chatContext: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
) => Promise<ArchitectChatResult>;

export function registerParticipant(context: vscode.ExtensionContext, load: () => Promise<ChatAnswer>): void {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT.id, async (request, chatContext, stream, token) =>
    (await load())(request, chatContext, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
  participant.followupProvider = {
    provideFollowups: (result: ArchitectChatResult) =>
      result.metadata?.status === 'completed'
        ? followupsFor(result.metadata.command).map((f): vscode.ChatFollowup => ({ prompt: f.prompt, label: f.label, command: f.command }))
        : [],
  };
  context.subscriptions.push(participant);
}
