/**
 * Composition root: build the services, register the commands, the participant and the
 * panel, and push every disposable. Nothing is read or connected until first use.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { registerParticipant } from './chat/participant';
import { registerClaudeModels } from './modelPicker/register';
import { registerPanel } from './panel/register';
import { Architect } from './core/architect/architect';
import { AgentStore } from './agentRegistry/agentStore';
import { ApiKeyStore } from './host/apiKey';
import { RestrictedModeNotice } from './host/restrictedMode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LinguaLeap Architect', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  const architect = new Architect(new AgentStore(context.extensionUri, log), keys, log, new RestrictedModeNotice(log));
  context.subscriptions.push(log);
  const panel = registerPanel(context, { extensionUri: context.extensionUri, architect, log });
  registerCommands(context, { ...panel, keys });
  registerParticipant(context, architect);
  registerClaudeModels(context, keys, log);
}

export function deactivate(): void {}
