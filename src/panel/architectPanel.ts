/**
 * The webview panel beside the editor where the architect's answers stream in. Asking again
 * adds a turn to the open panel (unless `lingualeap.panel.reuse` is off); follow-ups typed in
 * the panel continue the same conversation. The host owns the conversation and stores it per
 * workspace; the webview only renders it.
 */
import * as vscode from 'vscode';
import { agentDisplayName } from '../core/agent/display';
import type { TurnResult } from '../core/llm/pipeline';
import { addUsage, costOf } from '../core/llm/pricing';
import type { ChatTurn } from '../core/llm/types';
import type { CodeContext } from '../core/prompt/context';
import { buildUserMessage } from '../core/prompt/request';
import {
  assertNever,
  parseWebviewMessage,
  type CodeAction,
  type HostMessage,
  type TurnAction,
  type TurnSnapshot,
  type UsageSummary,
  type WebviewMessage,
} from '../shared/protocol';
import type { Architect } from '../core/architect/architect';
import type { ConversationStore } from '../host/conversationStore';
import type { StoredConversation, StoredOrigin, StoredTurn } from '../core/conversation/markdown';
import { makeNonce, renderPanelHtml } from './html';
import type { ProposalStore } from './proposals';

export const PANEL_VIEW_TYPE = 'lingualeap.architectPanel';
const ANSWERING_CONTEXT = 'lingualeap.answering';

/** What the panel needs from the rest of the extension. */
export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly architect: Architect;
  readonly log: vscode.LogOutputChannel;
  readonly history: ConversationStore;
  readonly proposals: ProposalStore;
}

/** What the webview keeps with `setState`, handed back to the serializer after a reload. */
export interface PanelState {
  readonly conversationId?: string;
}

/** The editor range a question was about. */
export interface AskOrigin {
  readonly uri: vscode.Uri;
  readonly range: vscode.Range;
}

export class ArchitectPanel implements vscode.Disposable {
  private static readonly open = new Set<ArchitectPanel>();
  private static current: ArchitectPanel | undefined;

  /**
   * The open panel, revealed, or a new one beside the editor. With `lingualeap.panel.reuse`
   * off (or `fresh`), always a new panel.
   */
  static async show(deps: PanelDeps, fresh = false): Promise<ArchitectPanel> {
    const reuse = vscode.workspace.getConfiguration('lingualeap').get<boolean>('panel.reuse', true);
    if (ArchitectPanel.current && reuse && !fresh) {
      ArchitectPanel.current.panel.reveal(undefined, true);
      return ArchitectPanel.current;
    }
    const { title, model } = await describe(deps);
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(deps.extensionUri),
    );
    return new ArchitectPanel(panel, deps, title, model, newConversation());
  }

  /** A panel VS Code restores after a window reload, with the conversation it showed. */
  static async revive(panel: vscode.WebviewPanel, deps: PanelDeps, state: unknown): Promise<ArchitectPanel> {
    const id = typeof state === 'object' && state !== null ? (state as PanelState).conversationId : undefined;
    const stored = typeof id === 'string' ? deps.history.get(id) : undefined;
    panel.webview.options = panelOptions(deps.extensionUri);
    const { title, model } = await describe(deps);
    panel.title = title;
    return new ArchitectPanel(panel, deps, title, model, stored ?? newConversation());
  }

  /** The panel that is open (the last one shown), if any. */
  static get active(): ArchitectPanel | undefined {
    return ArchitectPanel.current;
  }

  /** Every open panel, e.g. to close them all on deactivation. */
  static get all(): readonly ArchitectPanel[] {
    return [...ArchitectPanel.open];
  }

  private conversation: StoredConversation;
  private readonly controllers = new Map<string, AbortController>();
  private readonly queue: HostMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private readonly title: string,
    model: string,
    conversation: StoredConversation,
  ) {
    ArchitectPanel.open.add(this);
    ArchitectPanel.current = this;
    this.conversation = conversation;
    const { webview } = panel;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...path)).toString();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('dist', 'webview.js'),
      styleUri: asset('media', 'panel.css'),
      title,
    });
    this.post({ type: 'init', agentName: title, model });
    this.postConversation();
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.active) {
          ArchitectPanel.current = this;
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The id of the conversation shown (for tests and commands). */
  get conversationId(): string {
    return this.conversation.id;
  }

  /** A copy of the conversation shown, for export. */
  get snapshot(): StoredConversation {
    return this.conversation;
  }

  get agentName(): string {
    return this.title;
  }

  /**
   * Asks a question in this panel's conversation; resolves when the answer is done.
   * `carriedContexts`: the code of an earlier question this one is about, sent again if that
   * question has to be left out to fit the model's context window.
   */
  async ask(question: string, contexts: readonly CodeContext[], origin?: AskOrigin, carriedContexts?: readonly CodeContext[]): Promise<TurnResult> {
    const turn: StoredTurn = {
      id: `t${this.conversation.turns.length + 1}`,
      question,
      contexts,
      origin: origin && toStoredOrigin(origin),
      answer: '',
      status: 'streaming',
      askedAt: Date.now(),
    };
    const conversation = this.conversation;
    const history = this.history();
    conversation.turns.push(turn);
    this.post({ type: 'turnStarted', turnId: turn.id, question, reference: contexts[0]?.reference });

    const controller = new AbortController();
    this.controllers.set(turn.id, controller);
    this.updateAnswering();
    const result = await this.deps.architect.ask({
      question,
      contexts,
      history,
      carriedContexts,
      signal: controller.signal,
      onFit: (fit) => {
        // What was sent, so later follow-ups and the history see the same, and what was left out.
        turn.contexts = fit.contexts;
        turn.notice = fit.notice;
        if (fit.notice && conversation === this.conversation) {
          this.post({ type: 'turnNotice', turnId: turn.id, text: fit.notice, reference: fit.contexts[0]?.reference });
        }
      },
      onText: (text) => {
        turn.answer += text;
        if (conversation === this.conversation) {
          this.post({ type: 'delta', turnId: turn.id, text });
        }
      },
    });
    this.controllers.delete(turn.id);
    turn.status = result.status;
    turn.model = result.model || undefined;
    this.updateAnswering();
    conversation.updatedAt = Date.now();
    const shown = conversation === this.conversation;
    switch (result.status) {
      case 'completed':
        turn.usage = result.usage;
        turn.stopReason = result.stopReason;
        if (shown) {
          this.post({
            type: 'turnCompleted',
            turnId: turn.id,
            usage: result.usage,
            stopReason: result.stopReason,
            summary: summaryOf(turn),
            total: totalOf(conversation),
          });
        }
        break;
      case 'cancelled':
        if (shown) {
          this.post({ type: 'turnCancelled', turnId: turn.id });
        }
        break;
      case 'failed':
        turn.failure = { message: result.failure.message, actions: result.failure.actions };
        if (shown) {
          this.post({ type: 'turnFailed', turnId: turn.id, message: result.failure.message, actions: result.failure.actions });
        }
        break;
      default:
        assertNever(result);
    }
    await this.deps.history.save(conversation).catch((err: unknown) => this.deps.log.warn(`Could not save the conversation: ${String(err)}`));
    return result;
  }

  /**
   * A follow-up typed in the panel: no new code, but the conversation's original code goes with
   * it when no completed turn already carries it in the history. When one does, the latest such
   * turn's code is carried: it goes with the follow-up if that turn is left out to fit.
   */
  followUp(question: string): Promise<TurnResult> {
    const turns = this.conversation.turns;
    const first = turns.find((turn) => turn.contexts.length > 0);
    const carrier = [...turns].reverse().find((turn) => turn.status === 'completed' && turn.contexts.length > 0);
    const origin = turns.find((turn) => turn.origin)?.origin;
    return this.ask(question, first && !carrier ? first.contexts : [], origin && fromStoredOrigin(origin), carrier?.contexts);
  }

  /** Stops what is streaming and shows an empty conversation. */
  newConversation(): void {
    this.stopAll();
    this.conversation = newConversation();
    this.postConversation();
  }

  /** Shows a stored conversation (from the history); later questions continue it. */
  showConversation(conversation: StoredConversation): void {
    this.stopAll();
    this.conversation = conversation;
    this.postConversation();
    this.panel.reveal(undefined, false);
  }

  /** Aborts every answer still streaming. */
  stopAll(): void {
    for (const controller of this.controllers.values()) {
      controller.abort();
    }
  }

  /** For tests: the code block action as if its button was pressed. */
  runCodeAction(turnId: string, action: CodeAction, code: string, language: string): Promise<void> {
    return this.codeAction(turnId, action, code, language);
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    ArchitectPanel.open.delete(this);
    if (ArchitectPanel.current === this) {
      ArchitectPanel.current = [...ArchitectPanel.open].at(-1);
    }
    this.stopAll();
    this.updateAnswering();
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  /** Drives the `lingualeap.stop` command's enablement and its Escape keybinding. */
  private updateAnswering(): void {
    const answering = ArchitectPanel.all.some((panel) => panel.controllers.size > 0);
    void vscode.commands.executeCommand('setContext', ANSWERING_CONTEXT, answering);
  }

  /** Completed turns as conversation history; failed and stopped ones carry no answer. */
  private history(): ChatTurn[] {
    return this.conversation.turns
      .filter((turn) => turn.status === 'completed')
      .flatMap((turn): ChatTurn[] => [
        // The question as it was sent, so follow-ups see the code the first answer saw.
        { role: 'user', content: buildUserMessage(turn.question, turn.contexts) },
        { role: 'assistant', content: turn.answer },
      ]);
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
        void this.codeAction(message.turnId, message.action, message.code, message.language);
        break;
      default:
        assertNever(message);
    }
  }

  private async runAction(turnId: string, action: TurnAction): Promise<void> {
    const turn = this.conversation.turns.find((candidate) => candidate.id === turnId);
    switch (action) {
      case 'setApiKey': {
        const stored = await vscode.commands.executeCommand<boolean>('lingualeap.setApiKey');
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
        await vscode.commands.executeCommand('workbench.action.openSettings', 'lingualeap');
        break;
      default:
        assertNever(action);
    }
  }

  /** Asks a failed question again as a new turn; the failed one stays visible. */
  private async retry(turn: StoredTurn): Promise<void> {
    if (turn.status === 'streaming') {
      return;
    }
    await this.ask(turn.question, turn.contexts, turn.origin && fromStoredOrigin(turn.origin));
  }

  /**
   * Insert / Apply / Open for a code block. The code must be part of that turn's answer: the
   * webview renders model output and is not trusted to name arbitrary text.
   */
  private async codeAction(turnId: string, action: CodeAction, code: string, language: string): Promise<void> {
    const turn = this.conversation.turns.find((candidate) => candidate.id === turnId);
    if (!turn || !isPartOf(code, turn.answer)) {
      this.deps.log.warn(`Ignored a code block action for unknown code (turn ${turnId}).`);
      return;
    }
    try {
      switch (action) {
        case 'insert':
          await this.insert(turn, code);
          break;
        case 'apply':
          await this.apply(turn, code);
          break;
        case 'open': {
          const document = await vscode.workspace.openTextDocument({ content: code, language: await languageIdFor(language) });
          await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
          this.post({ type: 'notice', text: 'Opened the code in a new editor.' });
          break;
        }
        default:
          assertNever(action);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.log.error(`Code block action "${action}" failed: ${message}`);
      void vscode.window.showErrorMessage(`LinguaLeap: could not ${action} the code: ${message}`);
    }
  }

  /** The editor the question came from (opened again if needed), else the last text editor. */
  private async targetEditor(turn: StoredTurn): Promise<vscode.TextEditor | undefined> {
    const origin = turn.origin ?? this.conversation.turns.find((candidate) => candidate.origin)?.origin;
    if (origin) {
      const uri = vscode.Uri.parse(origin.uri);
      const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
      if (visible) {
        return visible;
      }
      const document = await vscode.workspace.openTextDocument(uri);
      return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    }
    return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  }

  /** Inserts at the editor's current selection (replacing it), as one undo step. */
  private async insert(turn: StoredTurn, code: string): Promise<void> {
    const editor = await this.targetEditor(turn);
    if (!editor) {
      void vscode.window.showWarningMessage('LinguaLeap: open an editor to insert the code into.');
      return;
    }
    const text = code.replace(/\n$/, '');
    const done = await editor.edit((builder) => builder.replace(editor.selection, text));
    if (done) {
      this.post({ type: 'notice', text: `Inserted into ${editor.document.uri.path.split('/').pop() ?? 'the editor'}.` });
    }
  }

  /** Opens a diff of the original selection replaced by the code; Accept applies it. */
  private async apply(turn: StoredTurn, code: string): Promise<void> {
    const origin = turn.origin ?? this.conversation.turns.find((candidate) => candidate.origin)?.origin;
    if (!origin) {
      void vscode.window.showWarningMessage('LinguaLeap: this question was asked without code, so there is nothing to apply the change to.');
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri));
    await this.deps.proposals.propose(document, fromStoredOrigin(origin).range, code);
    this.post({ type: 'notice', text: 'Opened the proposed change in a diff editor. Accept or discard it from the editor title.' });
  }
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

async function describe(deps: PanelDeps): Promise<{ title: string; model: string }> {
  const { agent, model } = await deps.architect.describe().catch(() => ({ agent: undefined, model: undefined }));
  return { title: agent ? agentDisplayName(agent) : 'LinguaLeap Architect', model: model?.id ?? '' };
}

function newConversation(): StoredConversation {
  const now = Date.now();
  return { id: `c${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`, createdAt: now, updatedAt: now, turns: [] };
}

function toStoredOrigin(origin: AskOrigin): StoredOrigin {
  const { start, end } = origin.range;
  return { uri: origin.uri.toString(), range: [start.line, start.character, end.line, end.character] };
}

function fromStoredOrigin(origin: StoredOrigin): AskOrigin {
  const [sl, sc, el, ec] = origin.range;
  return { uri: vscode.Uri.parse(origin.uri), range: new vscode.Range(sl, sc, el, ec) };
}

function summaryOf(turn: StoredTurn): UsageSummary | undefined {
  return turn.usage ? { usage: turn.usage, cost: costOf(turn.model ?? '', turn.usage) } : undefined;
}

/** The conversation's tokens and price so far; `partial` when some reply's price is unknown. */
export function totalOf(conversation: StoredConversation): UsageSummary | undefined {
  let total: UsageSummary | undefined;
  for (const turn of conversation.turns) {
    const summary = summaryOf(turn);
    if (!summary) {
      continue;
    }
    const known = summary.cost !== undefined;
    total = total
      ? {
          usage: addUsage(total.usage, summary.usage),
          cost: (total.cost ?? 0) + (summary.cost ?? 0),
          partial: total.partial || !known,
        }
      : { usage: summary.usage, cost: summary.cost ?? 0, partial: !known };
  }
  return total;
}

function snapshotOf(turn: StoredTurn): TurnSnapshot {
  return {
    turnId: turn.id,
    question: turn.question,
    reference: turn.contexts[0]?.reference,
    answer: turn.answer,
    status: turn.status === 'streaming' ? 'cancelled' : turn.status,
    summary: summaryOf(turn),
    stopReason: turn.stopReason,
    message: turn.failure?.message,
    actions: turn.failure?.actions,
    notice: turn.notice,
  };
}

/** Whether every line of `code` appears in `answer` (code in a list item is indented there). */
export function isPartOf(code: string, answer: string): boolean {
  const normalized = answer.replace(/\r\n?/g, '\n');
  if (normalized.includes(code.replace(/\n$/, ''))) {
    return true;
  }
  return code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .every((line) => normalized.includes(line));
}

const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  json5: 'json',
  psql: 'sql',
  postgres: 'sql',
  postgresql: 'sql',
  rb: 'ruby',
  rs: 'rust',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  kt: 'kotlin',
  text: 'plaintext',
  txt: 'plaintext',
};

/** A code block's tag as a VS Code language id, or plain text when VS Code does not know it. */
async function languageIdFor(tag: string): Promise<string> {
  const lower = tag.toLowerCase();
  const id = LANGUAGE_ALIASES[lower] ?? lower;
  if (!id) {
    return 'plaintext';
  }
  const known = await vscode.languages.getLanguages();
  return known.includes(id) ? id : 'plaintext';
}

/** Opens http(s) links from the answer through VS Code's external-link confirmation. */
async function openExternalLink(href: string, log: vscode.LogOutputChannel): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn('Ignored a malformed link from the architect panel.');
    return;
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') {
    log.warn(`Ignored a link with the scheme "${uri.scheme}" from the architect panel; only http and https open.`);
    return;
  }
  await vscode.env.openExternal(uri);
}
