/**
 * LinguaLeap: Show Usage: one webview panel with the spend per day (a chart and its table),
 * totals by agent and by model and the cache savings, redrawn whenever rows are recorded while
 * it is open; and Export CSV, from its button or the command.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { localDay } from '../core/usage/ledger';
import { usageViewData } from '../core/usage/view';
import { parseUsageViewMessage, type UsageHostMessage, type UsageViewMessage } from '../shared/usageView';
import { renderUsageHtml } from './html';
import { makeNonce } from '../host/webviewCsp';
import { webviewL10nBundle } from '../host/l10n';
import type { UsageStore } from './store';

/** The usage view's webview type. */
export const USAGE_VIEW_TYPE = 'lingualeap.usage';

/** What the view reported after drawing (see `UsageViewMessage` `rendered`). */
export type UsageRendered = Omit<Extract<UsageViewMessage, { type: 'rendered' }>, 'type'>;

export interface UsageViewDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: UsageStore;
  /** The monthly budget in dollars (0: none), shown beside the month's spend. */
  readonly budget?: () => number;
  readonly log?: vscode.LogOutputChannel;
  /** The clock (tests). */
  readonly now?: () => number;
}

export class UsageViews implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly rendered = new vscode.EventEmitter<UsageRendered>();
  /** Fires each time the open view has drawn what the host sent. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly deps: UsageViewDeps) {}

  /** Opens the view, or brings the open one to the front. */
  show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      return Promise.resolve();
    }
    const { extensionUri, store } = this.deps;
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(USAGE_VIEW_TYPE, vscode.l10n.t('LinguaLeap Usage'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [dist],
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(dist, name)).toString();
    // The view posts `ready` on each load (it reloads when shown again after being hidden): only
    // then is there someone to post to.
    let ready = false;
    const post = () => {
      if (ready) {
        const message: UsageHostMessage = { type: 'usage', data: usageViewData(store.ledger(), this.now(), this.deps.budget?.()) };
        void webview.postMessage(message);
      }
    };
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseUsageViewMessage(raw);
        switch (message?.type) {
          case 'ready':
            ready = true;
            post();
            break;
          case 'exportCsv':
            void this.exportCsv();
            break;
          case 'rendered':
            this.rendered.fire({ days: message.days, models: message.models, tableRows: message.tableRows, empty: message.empty });
            break;
          case undefined:
            break;
        }
      }),
      store.onDidChange(post),
    ];
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) {
        subscription.dispose();
      }
      if (this.panel === panel) {
        this.panel = undefined;
      }
    });
    webview.html = renderUsageHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asset('usage.js'),
      styleUri: asset('usage.css'),
      l10nBundle: webviewL10nBundle(),
      language: vscode.env.language,
    });
    return Promise.resolve();
  }

  /**
   * Writes the CSV (one row per request) to `target`, or where the save dialog says. Resolves
   * with where it was written; undefined when there is nothing to export, the dialog was
   * cancelled or the write failed (said in one sentence).
   */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const ledger = this.deps.store.ledger();
    if (ledger.rows.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No usage is recorded yet, so there is nothing to export.'));
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, `lingualeap-usage-${localDay(this.now())}.csv`),
        filters: { CSV: ['csv'] },
        saveLabel: vscode.l10n.t('Export'),
        title: vscode.l10n.t('Export Usage as CSV'),
      }));
    if (!uri) {
      return undefined;
    }
    const name = uri.path.split('/').pop() ?? uri.toString();
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(ledger.toCsv()));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log?.error(`Export usage CSV to ${uri.toString()} failed: ${reason}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not write the usage CSV to {0}: {1}.', name, reason.replace(/\.$/, '')));
      return undefined;
    }
    this.deps.log?.info(`Exported ${ledger.rows.length} usage rows to ${uri.toString()}.`);
    if (!target) {
      const open = vscode.l10n.t('Open');
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} requests to {1}.', ledger.rows.length, name), open).then((choice) => {
        if (choice === open) {
          void vscode.window.showTextDocument(uri);
        }
      });
    }
    return uri;
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}
