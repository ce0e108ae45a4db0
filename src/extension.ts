/**
 * Composition root: build the services, hand them to the adapters (commands, panels, chat
 * participant, model picker), and push every disposable. Nothing is read or connected until
 * first use.
 */
import * as vscode from 'vscode';
import { AgentRegistry } from './agentRegistry/registry';
import { agentChooser, AgentStatusItem } from './agentRegistry/picker';
import { RestrictedModeNotice } from './agentRegistry/restrictedMode';
import { registerAgentEditor } from './agentEditor';
import { registerParticipant } from './chat/participant';
import { registerCommands } from './commands';
import { Architect } from './core/architect/architect';
import { ApiKeyStore } from './host/apiKey';
import { ConversationStore } from './host/conversationStore';
import { readConfig } from './host/settings';
import { editorToolHost } from './host/toolHost';
import { registerClaudeModels } from './modelPicker/register';
import { PanelManager } from './panel/panelManager';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LinguaLeap Architect', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const history = new ConversationStore(context.workspaceState);
  const agents = new AgentRegistry(context.extensionUri, log);
  context.subscriptions.push(agents);
  const architect = new Architect({
    agents,
    keys,
    settings: () => readConfig(),
    log,
    restricted: new RestrictedModeNotice(log),
    tools: editorToolHost,
  });
  const panels = new PanelManager({ extensionUri: context.extensionUri, agents, architect, log, history });
  context.subscriptions.push(log, panels);
  const agentFiles = registerAgentEditor(context, { directory: agents, log });
  const status = new AgentStatusItem(agents);
  context.subscriptions.push(status);
  registerCommands(context, { panels, agents: agentChooser(agents), agentFiles, keys, history, log });
  registerParticipant(context, architect, agents);
  registerClaudeModels(context, keys, log);
  // The status bar names the default agent once the window has settled, never during activation.
  setTimeout(() => status.refresh(), 0);
}

export function deactivate(): void {}
