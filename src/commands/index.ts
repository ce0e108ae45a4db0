/**
 * What every command of the extension does, in one place: the palette and context-menu
 * commands, the panel's title-bar commands, the agent commands, Accept/Discard of a proposed
 * change, and the hidden hooks tests and automation use. Each one is a thin call into a
 * service. `register.ts` registers them at activation and loads this on the first run.
 */
import * as vscode from 'vscode';
import type { AgentChooser, AgentFileActions } from '../host/agents';
import type { ApiKeyStore } from '../host/apiKey';
import type { ConversationStore } from '../host/conversationStore';
import type { ArchitectPanels } from '../host/panels';
import { allowOverBudget, scriptedSpending } from '../host/spending';
import { scriptedConsent } from '../host/toolHost';
import type { BashConsent } from '../core/tools';
import { parseWebviewMessage } from '../shared/protocol';
import { clearApiKey, setApiKey } from './apiKey';
import { ask, askAgent, askThisAgent } from './ask';
import { exportConversation, showHistory } from './conversations';
import { openSample } from './sample';
import { COMMANDS, WORKBENCH_COMMANDS, type CommandId } from '../contributes/ids';

export interface CommandDeps {
  readonly panels: ArchitectPanels;
  readonly agents: AgentChooser;
  readonly agentFiles: AgentFileActions;
  readonly keys: ApiKeyStore;
  readonly history: ConversationStore;
  readonly log: vscode.LogOutputChannel;
  /** Where the extension's own files are (the walkthrough's sample). */
  readonly extensionUri: vscode.Uri;
  /** The usage view and its CSV export (this machine's usage, every workspace). */
  readonly usage: UsageCommands;
}

/** What Show Usage and Export Usage as CSV call. */
interface UsageCommands {
  show(): Promise<void>;
  /** The save dialog when no `target`; resolves with where it was written. */
  exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined>;
}

/** A command's implementation, by id. */
export type CommandHandlers = Partial<Record<CommandId, (...args: unknown[]) => unknown>>;

export function commandHandlers(deps: CommandDeps): CommandHandlers {
  const { panels, agents, agentFiles, keys, history, log, extensionUri, usage } = deps;
  const handlers: CommandHandlers = {};
  const register = (id: CommandId, run: (...args: unknown[]) => unknown) => {
    handlers[id] = run;
  };

  register(COMMANDS.ask, (arg) => ask(panels, arg));
  register(COMMANDS.stop, () => panels.stopAll());
  register(COMMANDS.setApiKey, (arg) => setApiKey(keys, log, arg));
  register(COMMANDS.clearApiKey, () => clearApiKey(keys, log));
  register(COMMANDS.showLog, () => log.show());
  register(COMMANDS.newConversation, () => panels.newConversation());
  register(COMMANDS.showHistory, (id) => showHistory(panels, history, typeof id === 'string' ? id : undefined));
  register(COMMANDS.exportConversation, (target) => exportConversation(panels, history, log, target instanceof vscode.Uri ? target : undefined));
  register(COMMANDS.askAgent, (arg) => askAgent(panels, agents, arg));
  register(COMMANDS.chooseDefaultAgent, () => agents.chooseDefault());
  register(COMMANDS.newAgent, () => agents.newAgent());
  register(COMMANDS.askThisAgent, (file) => askThisAgent(panels, agents, file));
  register(COMMANDS.previewSystemPrompt, (file) => {
    const uri = file instanceof vscode.Uri ? file : vscode.window.activeTextEditor?.document.uri;
    return uri ? agentFiles.previewSystemPrompt(uri) : undefined;
  });
  register(COMMANDS.acceptProposal, (arg) => panels.acceptProposal(arg));
  register(COMMANDS.discardProposal, (arg) => panels.discardProposal(arg));
  register(COMMANDS.openSample, () => openSample(extensionUri));
  register(COMMANDS.showUsage, () => usage.show());
  register(COMMANDS.exportUsageCsv, (target) => usage.exportCsv(target instanceof vscode.Uri ? target : undefined));
  register(COMMANDS.chatSendAnyway, (query) => {
    if (typeof query === 'string' && query.trim() !== '') {
      allowOverBudget(query);
      return vscode.commands.executeCommand(WORKBENCH_COMMANDS.openChat, { query });
    }
    return undefined;
  });

  // Hidden hooks: what the panel's own box and buttons do, for tests and automation.
  register(COMMANDS.panelFollowUp, (question) => (typeof question === 'string' ? panels.followUp(question) : undefined));
  register(COMMANDS.panelCodeAction, (turnId, action, code, language) => {
    const message = parseWebviewMessage({ type: 'codeAction', turnId, action, code, language });
    return message?.type === 'codeAction' ? panels.runCodeAction(message.turnId, message.action, message.code, message.language) : undefined;
  });
  register(COMMANDS.panelAction, (turnId, action) => {
    const message = parseWebviewMessage({ type: 'action', turnId, action });
    return message?.type === 'action' ? panels.runAction(message.turnId, message.action) : undefined;
  });
  register(COMMANDS.panelConversation, () => panels.shown?.conversation);
  // Registered only in test mode (see register.ts).
  register(COMMANDS.testBashConsent, (answers) => {
    // The queue is replaced, so a test never inherits answers another one left unused.
    const queued = Array.isArray(answers) ? answers : [];
    scriptedConsent.answers.splice(0, Infinity, ...queued.filter((a): a is BashConsent => a === 'allow' || a === 'allowConversation' || a === 'deny'));
    return scriptedConsent.asked.splice(0);
  });
  // Registered only in test mode (see register.ts).
  register(COMMANDS.testSpending, (answers) => {
    const queued = Array.isArray(answers) ? answers : [];
    scriptedSpending.answers.splice(0, Infinity, ...queued.filter((a): a is 'send' | 'cancel' => a === 'send' || a === 'cancel'));
    return scriptedSpending.asked.splice(0);
  });
  return handlers;
}
