/**
 * One architect panel: the webview beside the editor where answers stream in. It owns the
 * conversation it shows (the pure state in `core/conversation`), asks through the shared
 * architect, saves to the workspace's history and forwards the webview's intents. Opening,
 * reusing and restoring panels is the panel manager's job.
 */
import * as vscode from 'vscode';
import type { AgentDefinition } from '../core/agent/parse';
import type { Architect, ArchitectResult } from '../core/architect/architect';
import {
  finishTurn,
  followUpContext,
  historyOf,
  isPartOf,
  newConversation,
  originOf,
  previousRequest,
  snapshotOf,
  startTurn,
  summaryOf,
  totalOf,
  type StoredConversation,
  type StoredOrigin,
  type StoredTurn,
} from '../core/conversation/conversation';
import { todoViews, TurnSteps } from '../core/conversation/steps';
import type { TurnResult } from '../core/llm/pipeline';
import type { ToolSession } from '../core/tools';
import type { CodeContext } from '../core/prompt/context';
import { estimateText, type QuestionEstimate } from '../core/usage/answer';
import type { ConversationStore } from '../host/conversationStore';
import { BUDGET_SETTING } from '../host/spending';
import { COMMANDS, WORKBENCH_COMMANDS } from '../contributes/ids';
import { assertNever, parseWebviewMessage, type CodeAction, type HostMessage, type ToolStepView, type TurnAction, type WebviewMessage } from '../shared/protocol';
import type { CodeActions } from './codeActions';
import { renderPanelHtml } from './html';
import { openExternalLink, openReceiptLink, openStepLink, workspaceRoots } from './links';
import { makeNonce } from '../host/webviewCsp';
import { webviewL10nBundle } from '../host/l10n';

/** What a panel needs from the rest of the extension. */
export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly architect: Architect;
  readonly log: vscode.LogOutputChannel;
  readonly history: ConversationStore;
  readonly codeActions: CodeActions;
  /** The agent of that name as its file reads now (edits count from the next question). */
  readonly agents: { find(name: string): Promise<AgentDefinition | undefined> };
}

/** Who answers in a panel, as its header shows it. */
export interface PanelAgent {
  /** The agent asked for; undefined: the default agent at each question. */
  readonly agent?: AgentDefinition;
  /** The display name (title, header). */
  readonly title: string;
  readonly model: string;
  /** The agent's `color`, the panel's accent. */
  readonly color?: string;
}

/** How a panel tells its manager about itself. */
export interface PanelEvents {
  /** The panel came to the front. */
  onFocused(panel: ArchitectPanel): void;
  /** An answer started or ended in this panel. */
  onAnsweringChanged(): void;
  /** The panel was closed. */
  onClosed(panel: ArchitectPanel): void;
}

/** The options every architect webview gets, new or restored. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class ArchitectPanel implements vscode.Disposable {
  private conversation: StoredConversation;
  /** Commands allowed "for this conversation"; a new conversation starts with none. */
  private toolSession: ToolSession = { allowedCommands: new Set() };
  private readonly controllers = new Map<string, AbortController>();
  private readonly queue: HostMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private readonly events: PanelEvents,
    readonly who: PanelAgent,
    conversation: StoredConversation = newConversation(),
  ) {
    this.conversation = conversation;
    const agentName = who.title;
    const { webview } = panel;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...path)).toString();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('dist', 'webview.js'),
      styleUri: asset('media', 'panel.css'),
      title: agentName,
      l10nBundle: webviewL10nBundle(),
      language: vscode.env.language,
    });
    this.post({ type: 'init', agentName, model: who.model, color: who.color });
    this.postConversation();
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.active) {
          events.onFocused(this);
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The display name of the agent answering here. */
  get agentName(): string {
    return this.who.title;
  }

  /** The conversation shown (for export and tests). */
  get snapshot(): StoredConversation {
    return this.conversation;
  }

  /** Whether an answer is streaming in this panel. */
  get answering(): boolean {
    return this.controllers.size > 0;
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /**
   * Asks a question in this panel's conversation; resolves when the answer is done.
   * `carriedContexts`: the code of an earlier question this one is about, sent again if that
   * question has to be left out to fit the model's context window.
   */
  async ask(
    question: string,
    contexts: readonly CodeContext[],
    origin?: StoredOrigin,
    carriedContexts?: readonly CodeContext[],
    options: { readonly sendAnyway?: boolean } = {},
  ): Promise<TurnResult> {
    const conversation = this.conversation;
    conversation.agent ??= this.who.agent?.name;
    const previous = previousRequest(conversation);
    const { turn, history } = startTurn(conversation, question, contexts, origin);
    const shown = () => conversation === this.conversation;
    this.post({ type: 'turnStarted', turnId: turn.id, question, reference: contexts[0]?.reference });

    const controller = new AbortController();
    this.controllers.set(turn.id, controller);
    this.events.onAnsweringChanged();
    const steps = new TurnSteps(workspaceRoots());
    const showStep = (step: ToolStepView | undefined) => {
      if (step) {
        turn.steps = steps.all();
        turn.stepTargets = steps.allTargets();
        if (shown()) {
          this.post({ type: 'toolStep', turnId: turn.id, step });
        }
      }
    };
    // The panel's agent as its file reads now: an edit counts from the next question.
    const agent = this.who.agent && ((await this.deps.agents.find(this.who.agent.name).catch(() => undefined)) ?? this.who.agent);
    const result = await this.deps.architect.ask({
      agent,
      question,
      contexts,
      history,
      carriedContexts,
      previous,
      sendAnyway: options.sendAnyway,
      signal: controller.signal,
      toolSession: this.toolSession,
      onUnavailableTools: (names) => {
        turn.details = [
          vscode.l10n.t(
            'Not available here: {0}. The agent file names these tools; this extension runs Read, Glob, Grep, LS, Bash, TodoWrite, WebFetch and WebSearch.',
            names.join(', '),
          ),
        ];
        if (shown()) {
          this.post({ type: 'turnDetails', turnId: turn.id, lines: turn.details });
        }
      },
      onStep: (event) => {
        switch (event.kind) {
          case 'started':
            showStep(steps.started(event.id, event.tool, event.input, turn.answer.length));
            break;
          case 'finished':
            showStep(steps.finished(event.id, event.outcome));
            if (event.outcome.todos) {
              turn.todos = todoViews(event.outcome.todos);
              if (shown()) {
                this.post({ type: 'todos', turnId: turn.id, todos: turn.todos });
              }
            }
            break;
          case 'server':
            showStep(steps.server(event.event, turn.answer.length));
            break;
          default:
            assertNever(event);
        }
      },
      onFit: (fit) => {
        // What was sent, so later follow-ups and the history see the same, and what was left out.
        turn.contexts = fit.contexts;
        turn.notice = fit.notice;
        if (fit.notice && shown()) {
          this.post({ type: 'turnNotice', turnId: turn.id, text: fit.notice, reference: fit.contexts[0]?.reference });
        }
      },
      onText: (text) => {
        turn.answer += text;
        if (shown()) {
          this.post({ type: 'delta', turnId: turn.id, text });
        }
      },
    });
    this.controllers.delete(turn.id);
    this.events.onAnsweringChanged();
    finishTurn(conversation, turn, result);
    if (shown()) {
      this.post(endMessage(turn, result, conversation));
    }
    await this.deps.history.save(conversation).catch((err: unknown) => this.deps.log.warn(`Could not save the conversation: ${String(err)}`));
    return result;
  }

  /** A follow-up typed in the panel, with the conversation's code where the history lacks it. */
  followUp(question: string): Promise<TurnResult> {
    const { contexts, carriedContexts, origin } = followUpContext(this.conversation);
    return this.ask(question, contexts, origin, carriedContexts);
  }

  /**
   * What a question would send and cost in this conversation now: `contexts` for a question
   * from the editor, else (undefined) the follow-up box's code. Undefined when the agent cannot
   * be read. Reads nothing from the network.
   */
  estimate(question: string, contexts?: readonly CodeContext[]): Promise<QuestionEstimate | undefined> {
    const conversation = this.conversation;
    const followUp = contexts ? { contexts, carriedContexts: undefined } : followUpContext(conversation);
    return this.deps.architect.estimate({
      agent: this.who.agent,
      question,
      contexts: followUp.contexts,
      carriedContexts: followUp.carriedContexts,
      history: historyOf(conversation),
      previous: previousRequest(conversation),
    });
  }

  /** Stops what is streaming and shows an empty conversation. */
  newConversation(): void {
    this.stopAll();
    this.conversation = newConversation();
    this.toolSession = { allowedCommands: new Set() };
    this.postConversation();
  }

  /** Shows a stored conversation (from the history); later questions continue it. */
  showConversation(conversation: StoredConversation): void {
    this.stopAll();
    this.conversation = conversation;
    this.toolSession = { allowedCommands: new Set() };
    this.postConversation();
    this.panel.reveal(undefined, false);
  }

  /** Aborts every answer still streaming. */
  stopAll(): void {
    for (const controller of this.controllers.values()) {
      controller.abort();
    }
  }

  /**
   * Insert / Apply / Open for a code block. The code must be part of that turn's answer: the
   * webview renders model output and is not trusted to name arbitrary text.
   */
  async runCodeAction(turnId: string, action: CodeAction, code: string, language: string): Promise<void> {
    const turn = this.turn(turnId);
    if (!turn || !isPartOf(code, turn.answer)) {
      this.deps.log.warn(`Ignored a code block action for unknown code (turn ${turnId}).`);
      return;
    }
    const notice = await this.deps.codeActions.run(action, code, language, { origin: originOf(this.conversation, turn) });
    if (notice) {
      this.post({ type: 'notice', text: notice });
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.stopAll();
    this.events.onClosed(this);
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  private turn(turnId: string): StoredTurn | undefined {
    return this.conversation.turns.find((candidate) => candidate.id === turnId);
  }

  private postConversation(): void {
    const turns = this.conversation.turns.filter((turn) => turn.status !== 'streaming').map(snapshotOf);
    this.post({ type: 'conversation', conversationId: this.conversation.id, turns, total: totalOf(this.conversation) });
  }

  private post(message: HostMessage): void {
    // After the panel closed, an answer still settling has nowhere to go (the webview getter throws).
    if (this.disposed) {
      return;
    }
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private onMessage(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn('Ignored a malformed message from the architect panel.');
      return;
    }
    this.handle(message);
  }

  private handle(message: WebviewMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const queued of this.queue.splice(0)) {
          void this.panel.webview.postMessage(queued);
        }
        break;
      case 'stop':
        this.controllers.get(message.turnId)?.abort();
        break;
      case 'action':
        void this.runAction(message.turnId, message.action);
        break;
      case 'openLink':
        void openExternalLink(message.href, this.deps.log);
        break;
      case 'ask':
        void this.followUp(message.question);
        break;
      case 'newConversation':
        this.newConversation();
        break;
      case 'codeAction':
        void this.runCodeAction(message.turnId, message.action, message.code, message.language);
        break;
      case 'openStepLink':
        void openStepLink(this.turn(message.turnId), message.stepId, message.index, this.panel.viewColumn, this.deps.log);
        break;
      case 'openReceiptLink':
        void openReceiptLink(this.conversation, this.turn(message.turnId), message.kind, message.index, this.panel.viewColumn, this.deps.log);
        break;
      case 'estimate':
        void this.postEstimate(message.seq, message.question);
        break;
      default:
        assertNever(message);
    }
  }

  /** A failed turn's button: Set API Key, Retry, Open Log, Open Settings, Send Anyway, Raise Budget. */
  async runAction(turnId: string, action: TurnAction): Promise<void> {
    const turn = this.turn(turnId);
    switch (action) {
      case 'setApiKey': {
        const stored = await vscode.commands.executeCommand<boolean>(COMMANDS.setApiKey);
        if (stored && turn) {
          await this.retry(turn);
        }
        break;
      }
      case 'retry':
        if (turn) {
          await this.retry(turn);
        }
        break;
      case 'openLog':
        this.deps.log.show(true);
        break;
      case 'openSettings':
        await vscode.commands.executeCommand(WORKBENCH_COMMANDS.openSettings, 'lingualeap');
        break;
      case 'raiseBudget':
        await vscode.commands.executeCommand(WORKBENCH_COMMANDS.openSettings, BUDGET_SETTING);
        break;
      case 'sendAnyway':
        if (turn && turn.status !== 'streaming') {
          await this.ask(turn.question, turn.contexts, turn.origin, undefined, { sendAnyway: true });
        }
        break;
      default:
        assertNever(action);
    }
  }

  /** The follow-up box's estimate, for the text it had (`seq`); nothing when it cannot be made. */
  private async postEstimate(seq: number, question: string): Promise<void> {
    const estimate = await this.estimate(question).catch((err: unknown) => {
      this.deps.log.warn(`Could not estimate the follow-up: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (estimate) {
      this.post({ type: 'estimate', seq, ...estimateText(estimate) });
    }
  }

  /** Asks a failed question again as a new turn; the failed one stays visible. */
  private async retry(turn: StoredTurn): Promise<void> {
    if (turn.status === 'streaming') {
      return;
    }
    await this.ask(turn.question, turn.contexts, turn.origin);
  }
}

/** The message that ends a turn in the webview, with its receipt and the conversation's total. */
function endMessage(turn: StoredTurn, result: ArchitectResult, conversation: StoredConversation): HostMessage {
  const { receipt } = snapshotOf(turn);
  const total = totalOf(conversation);
  switch (result.status) {
    case 'completed':
      return { type: 'turnCompleted', turnId: turn.id, usage: result.usage, stopReason: result.stopReason, summary: summaryOf(turn), total, receipt };
    case 'cancelled':
      return { type: 'turnCancelled', turnId: turn.id, receipt, total, ...(result.notSent ? { notSent: true } : {}) };
    case 'failed':
      return { type: 'turnFailed', turnId: turn.id, message: result.failure.message, actions: result.failure.actions, receipt, total };
    default:
      return assertNever(result);
  }
}
