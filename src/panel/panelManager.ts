/**
 * The architect's panels: which one is in front, opening a new one or reusing it, restoring
 * them after a window reload, and the "answering" context key across all of them. Built once
 * in `extension.ts` and handed to the commands as `ArchitectPanels`.
 */
import * as vscode from 'vscode';
import { agentDisplayName } from '../core/agent/display';
import type { Architect } from '../core/architect/architect';
import type { StoredConversation } from '../core/conversation/conversation';
import type { TurnResult } from '../core/llm/pipeline';
import { warmUpHttp } from '../core/llm/client';
import type { CodeContext } from '../core/prompt/context';
import type { QuestionEstimate } from '../core/usage/answer';
import { CONTEXT_KEYS, PANEL_VIEW_TYPE, WORKBENCH_COMMANDS } from '../contributes/ids';
import type { ConversationStore } from '../host/conversationStore';
import type { ArchitectPanels, AskOrigin, ShownConversation } from '../host/panels';
import { readConfig } from '../host/settings';
import { parsePanelViewState } from '../shared/panelState';
import type { CodeAction, TurnAction } from '../shared/protocol';
import { ArchitectPanel, panelOptions, type PanelAgent, type PanelDeps, type PanelEvents } from './architectPanel';
import type { AgentDefinition } from '../core/agent/parse';
import { agentColorVariable } from '../shared/agentColor';
import { CodeActions, toStoredOrigin } from './codeActions';
import { ProposalStore } from './proposals';

export interface PanelManagerDeps {
  readonly extensionUri: vscode.Uri;
  /** Finds the agent a restored conversation was with. */
  readonly agents: { find(name: string): Promise<AgentDefinition | undefined> };
  readonly architect: Architect;
  readonly log: vscode.LogOutputChannel;
  readonly history: ConversationStore;
}

export class PanelManager implements ArchitectPanels, PanelEvents, vscode.Disposable {
  private readonly open = new Set<ArchitectPanel>();
  private current: ArchitectPanel | undefined;
  private readonly proposals = new ProposalStore();
  private readonly deps: PanelDeps;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /**
   * The panel `prepare` opened or revealed for the question being typed, and the agent it is for.
   * Enter asks there directly: looking the agent up again reads every agent file's folder and
   * stat over the file system (a round trip through the workbench each in a remote window),
   * and would delay the question's first paint by that much.
   */
  private prepared: { readonly panel: ArchitectPanel; readonly agent: AgentDefinition | undefined } | undefined;

  constructor(base: PanelManagerDeps) {
    this.deps = { ...base, codeActions: new CodeActions(this.proposals, base.log) };
  }

  get shown(): ShownConversation | undefined {
    return this.current && { conversation: this.current.snapshot, agentName: this.current.agentName };
  }

  async ask(question: string, contexts: readonly CodeContext[], origin?: AskOrigin, agent?: AgentDefinition): Promise<TurnResult> {
    const panel = this.takePrepared(agent) ?? (await this.panelFor(agent));
    return panel.ask(question, contexts, origin && toStoredOrigin(origin.uri, origin.range));
  }

  async prepare(agent?: AgentDefinition): Promise<{ discard(): void }> {
    warmUpHttp();
    const before = new Set(this.open);
    const panel = await this.show(!readConfig().panelReuse, agent);
    const opened = !before.has(panel);
    const prepared = { panel, agent };
    this.prepared = prepared;
    return {
      discard: () => {
        if (this.prepared === prepared) {
          this.prepared = undefined;
        }
        if (opened && panel.snapshot.turns.length === 0) {
          panel.dispose();
        }
      },
    };
  }

  async estimate(question: string, contexts: readonly CodeContext[], agent?: AgentDefinition): Promise<QuestionEstimate | undefined> {
    const who = await this.describe(agent);
    const panel = this.find(who, agent);
    return panel ? panel.estimate(question, contexts) : this.deps.architect.estimate({ agent, question, contexts, history: [] });
  }

  followUp(question: string): Promise<TurnResult> | undefined {
    return this.current?.followUp(question);
  }

  async newConversation(): Promise<string> {
    const panel = this.current ?? (await this.show());
    panel.newConversation();
    this.changed.fire();
    return panel.snapshot.id;
  }

  async showConversation(conversation: StoredConversation): Promise<void> {
    const panel = this.current ?? (await this.show());
    panel.showConversation(conversation);
    this.changed.fire();
  }

  runCodeAction(turnId: string, action: CodeAction, code: string, language: string): Promise<void> | undefined {
    return this.current?.runCodeAction(turnId, action, code, language);
  }

  runAction(turnId: string, action: TurnAction): Promise<void> | undefined {
    return this.current?.runAction(turnId, action);
  }

  stopAll(): void {
    for (const panel of this.open) {
      panel.stopAll();
    }
  }

  acceptProposal(arg?: unknown): Promise<boolean> {
    return this.proposals.accept(arg);
  }

  discardProposal(arg?: unknown): Promise<void> {
    return this.proposals.discard(arg);
  }

  onFocused(panel: ArchitectPanel): void {
    this.current = panel;
  }

  onAnsweringChanged(): void {
    const answering = [...this.open].some((panel) => panel.answering);
    void vscode.commands.executeCommand(WORKBENCH_COMMANDS.setContext, CONTEXT_KEYS.answering, answering);
    // A question started or ended: its conversation changed.
    this.changed.fire();
  }

  onClosed(panel: ArchitectPanel): void {
    this.open.delete(panel);
    if (this.prepared?.panel === panel) {
      this.prepared = undefined;
    }
    if (this.current === panel) {
      this.current = [...this.open].at(-1);
    }
    this.onAnsweringChanged();
  }

  /** Closing the panels (on deactivation) aborts any answer still streaming. */
  dispose(): void {
    for (const panel of [...this.open]) {
      panel.dispose();
    }
    this.proposals.dispose();
    this.changed.dispose();
  }

  /**
   * A panel of `agent` (else of the default agent): the one in front if it is that agent's, else
   * another open one of that agent, revealed; or (none, or `fresh`) a new one beside the editor.
   * Each agent keeps its own conversation, under its name and color.
   */
  private async show(fresh = false, agent?: AgentDefinition): Promise<ArchitectPanel> {
    const who = await this.describe(agent);
    const open = this.find(who, agent);
    if (open && !fresh) {
      open.reveal();
      this.current = open;
      return open;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      who.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(this.deps.extensionUri),
    );
    return this.adopt(new ArchitectPanel(webviewPanel, this.deps, this, who));
  }

  /** The panel prepared for a question to `agent`, if it is still open; a question takes it once. */
  private takePrepared(agent: AgentDefinition | undefined): ArchitectPanel | undefined {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (!prepared || prepared.agent !== agent || !this.open.has(prepared.panel)) {
      return undefined;
    }
    this.current = prepared.panel;
    return prepared.panel;
  }

  /** The panel a question to `agent` goes to when none was prepared for it: an empty one of that agent in front, else as `show`. */
  private async panelFor(agent: AgentDefinition | undefined): Promise<ArchitectPanel> {
    const empty = this.current && this.current.snapshot.turns.length === 0 && this.current.who.title === (await this.describe(agent)).title;
    return empty && this.current ? this.current : this.show(!readConfig().panelReuse, agent);
  }

  /** A panel VS Code restores after a window reload, with the conversation it showed (the serializer calls it). */
  async revive(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const { conversationId } = parsePanelViewState(state);
    const stored = conversationId ? this.deps.history.get(conversationId) : undefined;
    webviewPanel.webview.options = panelOptions(this.deps.extensionUri);
    // The agent the conversation was with, if it is still there; else the default agent.
    const agent = stored?.agent ? await this.deps.agents.find(stored.agent).catch(() => undefined) : undefined;
    const who = await this.describe(agent);
    webviewPanel.title = who.title;
    this.adopt(new ArchitectPanel(webviewPanel, this.deps, this, who, stored));
  }

  /** The open panel of `agent` a question would go to: the one in front if it is that agent's, else the latest. */
  private find(who: PanelAgent, agent: AgentDefinition | undefined): ArchitectPanel | undefined {
    const mine = (panel: ArchitectPanel) => panel.who.title === who.title && Boolean(panel.who.agent) === Boolean(agent);
    return this.current && mine(this.current) ? this.current : [...this.open].reverse().find(mine);
  }

  private adopt(panel: ArchitectPanel): ArchitectPanel {
    this.open.add(panel);
    this.current = panel;
    return panel;
  }

  private async describe(asked?: AgentDefinition): Promise<PanelAgent> {
    const { agent, model } = await this.deps.architect.describe(asked).catch(() => ({ agent: undefined, model: undefined }));
    return { agent: asked, title: agent ? agentDisplayName(agent) : 'LinguaLeap Architect', model: model?.id ?? '', color: agentColorVariable(agent?.color) };
  }
}
