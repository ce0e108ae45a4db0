/**
 * The extension's services, built on first use (the first command, question, model request or
 * restored panel), not at activation: the agents, the architect and its pipeline, the panels,
 * the model picker's provider, and what the commands call. `extension.ts` loads this with a
 * dynamic import, so none of it (the Anthropic SDK, the agent parser) is evaluated at startup.
 */
import * as vscode from 'vscode';
import { agentChooser, followDefaultAgent } from './agentRegistry/picker';
import { AgentRegistry } from './agentRegistry/registry';
import { RestrictedModeNotice } from './agentRegistry/restrictedMode';
import type { AgentStatusItem } from './agentRegistry/statusItem';
import { answer } from './chat/participant';
import type { ChatAnswer } from './chat/register';
import { commandHandlers, type CommandHandlers } from './commands';
import { COMMANDS } from './contributes/ids';
import { Architect } from './core/architect/architect';
import type { AgentFileActions } from './host/agents';
import type { ApiKeyStore } from './host/apiKey';
import { ConversationStore } from './host/conversationStore';
import { readConfig } from './host/settings';
import { spendingGate } from './host/spending';
import { useDisplayLanguage } from './host/l10n';
import { editorToolHost } from './host/toolHost';
import { ClaudeChatModelProvider } from './modelPicker/provider';
import { PanelManager } from './panel/panelManager';
import { createUsage } from './usage';

/** What activation made already and hands over. */
export interface Shell {
  readonly log: vscode.LogOutputChannel;
  readonly keys: ApiKeyStore;
  readonly status: AgentStatusItem;
  readonly agentFiles: AgentFileActions;
  /** An agent file changed (its uri), or anything may have (undefined). */
  readonly agentFileChanges: vscode.Event<vscode.Uri | undefined>;
}

export interface App {
  readonly agents: AgentRegistry;
  readonly panels: PanelManager;
  readonly commands: CommandHandlers;
  readonly answerChat: ChatAnswer;
  readonly models: ClaudeChatModelProvider;
}

export function createApp(context: vscode.ExtensionContext, shell: Shell): App {
  useDisplayLanguage();
  const { log, keys, status, agentFiles } = shell;
  const history = new ConversationStore(context.workspaceState);
  const agents = new AgentRegistry(context.extensionUri, log, shell.agentFileChanges);
  // This machine's usage (globalState, every workspace): the receipts' rows, the budget, Show Usage.
  const usage = createUsage(context, { budget: () => readConfig().budgetMonthlyDollars, log });
  const architect = new Architect({
    agents,
    keys,
    settings: () => readConfig(),
    log,
    restricted: new RestrictedModeNotice(log),
    tools: editorToolHost,
    spending: spendingGate({
      ledger: () => usage.store.ledger(),
      warnedMonth: () => usage.store.warnedMonth(),
      setWarnedMonth: (month) => usage.store.setWarnedMonth(month),
      settings: () => {
        const { budgetMonthlyDollars, confirmAboveDollars } = readConfig();
        return { monthlyDollars: budgetMonthlyDollars, confirmAboveDollars };
      },
      log,
    }),
    recordUsage: (rows) => {
      usage.store.record(rows).catch((err: unknown) => log.warn(`Could not record usage: ${err instanceof Error ? err.message : String(err)}`));
    },
  });
  const panels = new PanelManager({ extensionUri: context.extensionUri, agents, architect, log, history });
  const models = new ClaudeChatModelProvider({
    api: vscode,
    connection: async () => {
      const { baseUrl, maxRetries, idleTimeoutMs } = readConfig();
      return { apiKey: await keys.get(), baseUrl, maxRetries, idleTimeoutMs };
    },
    promptForKey: async () => (await vscode.commands.executeCommand<boolean | undefined>(COMMANDS.setApiKey)) === true,
    log,
  });
  context.subscriptions.push(agents, panels, models, usage, followDefaultAgent(status, agents));
  return {
    agents,
    panels,
    models,
    commands: commandHandlers({ panels, agents: agentChooser(agents), agentFiles, keys, history, log, extensionUri: context.extensionUri, usage }),
    answerChat: (request, chatContext, stream, token) => answer(architect, agents, request, chatContext, stream, token),
  };
}
