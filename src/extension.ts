/**
 * Composition root. Activation registers what must exist from startup (commands, the chat
 * participant, the Claude models' metadata, the panel serializer, the agent-file editor, the
 * status bar item) and builds nothing behind them: the services (`app.ts`) load on first use.
 */
import * as vscode from 'vscode';
import type { App } from './app';
import { AgentStatusItem } from './agentRegistry/statusItem';
import { userAgentsFolder } from './agentRegistry/userFolder';
import { watchAgentFiles } from './agentRegistry/watch';
import { registerAgentEditor } from './agentEditor';
import { registerParticipant } from './chat/register';
import { registerCommands } from './commands/register';
import { PANEL_VIEW_TYPE } from './contributes/ids';
import { ApiKeyStore } from './host/apiKey';
import { useDisplayLanguage } from './host/l10n';
import { registerClaudeModels } from './modelPicker/register';

export function activate(context: vscode.ExtensionContext): void {
  // The shell holds pure code too (the Claude models' metadata): it translates with the same table.
  useDisplayLanguage();
  const log = vscode.window.createOutputChannel('LinguaLeap Architect', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const status = new AgentStatusItem();
  const userFolder = userAgentsFolder();
  const agentFileChanges = new vscode.EventEmitter<vscode.Uri | undefined>();
  const agentsChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    log,
    keys,
    status,
    agentFileChanges,
    agentsChanged,
    agentFileChanges.event(() => agentsChanged.fire()),
    watchAgentFiles(userFolder, (uri) => agentFileChanges.fire(uri)),
  );

  let loading: Promise<App> | undefined;
  const app = (): Promise<App> =>
    (loading ??= import('./app.js').then(({ createApp }) => createApp(context, { log, keys, status, agentFiles, agentFileChanges: agentFileChanges.event })));

  const agentFiles = registerAgentEditor(context, {
    directory: { userFolder, onDidChange: agentsChanged.event, files: async () => (await app()).agents.files() },
    log,
  });
  registerCommands(context, async () => (await app()).commands);
  registerParticipant(context, async () => (await app()).answerChat);
  registerClaudeModels(context, keys, log, async () => (await app()).models);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => (await app()).panels.revive(panel, state),
    }),
  );
}

export function deactivate(): void {}
