/**
 * The webview panel beside the editor where the architect's answers stream in.
 * One panel at a time; asking again adds a turn to it. The host owns the conversation,
 * the webview only renders it.
 */
import * as vscode from 'vscode';
import { agentDisplayName } from '../agent/display';
import type { TurnResult } from '../llm/pipeline';
import type { ChatTurn } from '../llm/types';
import type { CodeContext } from '../prompt/context';
import { buildUserMessage } from '../prompt/request';
import { assertNever, parseWebviewMessage, type HostMessage, type TurnAction, type WebviewMessage } from '../protocol';
import type { Architect } from '../vscode/architect';
import { makeNonce, renderPanelHtml } from './html';

export const PANEL_VIEW_TYPE = 'lingualeap.architectPanel';
const ANSWERING_CONTEXT = 'lingualeap.answering';

/** What the panel needs from the rest of the extension. */
export interface PanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly architect: Architect;
  readonly log: vscode.LogOutputChannel;
}

interface Turn {
  readonly id: string;
  readonly question: string;
  readonly contexts: readonly CodeContext[];
  answer: string;
  status: 'streaming' | TurnResult['status'];
  controller?: AbortController;
}

export class ArchitectPanel implements vscode.Disposable {
  private static current: ArchitectPanel | undefined;

  /** The open panel, revealed, or a new one beside the editor. */
  static async show(deps: PanelDeps): Promise<ArchitectPanel> {
    if (ArchitectPanel.current) {
      ArchitectPanel.current.panel.reveal(undefined, true);
      return ArchitectPanel.current;
    }
    const { agent, model } = await deps.architect.describe().catch(() => ({ agent: undefined, model: undefined }));
    const title = agent ? agentDisplayName(agent) : 'LinguaLeap Architect';
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableFindWidget: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media')],
      },
    );
    ArchitectPanel.current = new ArchitectPanel(panel, deps, title, model?.id ?? '');
    return ArchitectPanel.current;
  }

  /** The panel that is open, if any (for tests and for commands acting on it). */
  static get active(): ArchitectPanel | undefined {
    return ArchitectPanel.current;
  }

  private readonly turns: Turn[] = [];
  private readonly queue: HostMessage[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private nextTurn = 1;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    title: string,
    model: string,
  ) {
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
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Asks a question in this panel's conversation; resolves when the answer is done. */
  async ask(question: string, contexts: readonly CodeContext[]): Promise<TurnResult> {
    const turn: Turn = { id: `t${this.nextTurn++}`, question, contexts, answer: '', status: 'streaming' };
    const history = this.history();
    this.turns.push(turn);
    this.post({ type: 'turnStarted', turnId: turn.id, question, reference: contexts[0]?.reference });

    const controller = new AbortController();
    turn.controller = controller;
    this.updateAnswering();
    const result = await this.deps.architect.ask({
      question,
      contexts,
      history,
      signal: controller.signal,
      onText: (text) => {
        turn.answer += text;
        this.post({ type: 'delta', turnId: turn.id, text });
      },
    });
    turn.controller = undefined;
    turn.status = result.status;
    this.updateAnswering();
    switch (result.status) {
      case 'completed':
        this.post({ type: 'turnCompleted', turnId: turn.id, usage: result.usage, stopReason: result.stopReason });
        break;
      case 'cancelled':
        this.post({ type: 'turnCancelled', turnId: turn.id });
        break;
      case 'failed':
        this.post({ type: 'turnFailed', turnId: turn.id, message: result.failure.message, actions: result.failure.actions });
        break;
      default:
        assertNever(result);
    }
    return result;
  }

  /** Aborts every answer still streaming. */
  stopAll(): void {
    for (const turn of this.turns) {
      turn.controller?.abort();
    }
  }

  dispose(): void {
    if (ArchitectPanel.current === this) {
      ArchitectPanel.current = undefined;
    }
    this.stopAll();
    void vscode.commands.executeCommand('setContext', ANSWERING_CONTEXT, false);
    this.panel.dispose();
    for (const disposable of this.disposables.splice(0)) {
      disposable.dispose();
    }
  }

  /** Drives the `lingualeap.stop` command's enablement and its Escape keybinding. */
  private updateAnswering(): void {
    const answering = this.turns.some((turn) => turn.controller !== undefined);
    void vscode.commands.executeCommand('setContext', ANSWERING_CONTEXT, answering);
  }

  /** Completed turns as conversation history; failed and stopped ones carry no answer. */
  private history(): ChatTurn[] {
    return this.turns
      .filter((turn) => turn.status === 'completed')
      .flatMap((turn): ChatTurn[] => [
        // The question as it was sent, so follow-ups see the code the first answer saw.
        { role: 'user', content: buildUserMessage(turn.question, turn.contexts) },
        { role: 'assistant', content: turn.answer },
      ]);
  }

  private post(message: HostMessage): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
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
        this.turns.find((turn) => turn.id === message.turnId)?.controller?.abort();
        break;
      case 'action':
        void this.runAction(message.turnId, message.action);
        break;
      case 'openLink':
        void openExternalLink(message.href, this.deps.log);
        break;
      default:
        assertNever(message);
    }
  }

  private async runAction(turnId: string, action: TurnAction): Promise<void> {
    const turn = this.turns.find((candidate) => candidate.id === turnId);
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
  private async retry(turn: Turn): Promise<void> {
    if (turn.status === 'streaming') {
      return;
    }
    await this.ask(turn.question, turn.contexts);
  }
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
