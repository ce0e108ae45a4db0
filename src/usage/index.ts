/**
 * Usage, as the composition root wires it: the store every answer records its requests in,
 * the Show Usage view and the CSV export. The commands (`COMMANDS.showUsage`,
 * `COMMANDS.exportUsageCsv`) call `show` and `exportCsv`.
 */
import type * as vscode from 'vscode';
import { UsageStore } from './store';
import { UsageViews, type UsageRendered } from './view';

export { USAGE_VIEW_TYPE, type UsageRendered } from './view';

export interface Usage extends vscode.Disposable {
  /** Record each answer's rows here (`usageRows(result.requests, …)` from `src/core/usage/ledger`). */
  readonly store: UsageStore;
  /** LinguaLeap: Show Usage. */
  show(): Promise<void>;
  /** LinguaLeap: Export Usage as CSV; the save dialog when no `target`. */
  exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined>;
  /** Fires each time the open view has drawn (tests). */
  readonly onDidRender: vscode.Event<UsageRendered>;
}

export interface UsageOptions {
  /** The monthly budget in dollars (0: none), shown in the view. */
  readonly budget?: () => number;
  readonly log?: vscode.LogOutputChannel;
}

/**
 * The usage store over `context.globalState` (this machine, every workspace, not synced) and
 * its view. Push the result to `context.subscriptions`.
 */
export function createUsage(context: { readonly globalState: vscode.Memento; readonly extensionUri: vscode.Uri }, options: UsageOptions = {}): Usage {
  const store = new UsageStore(context.globalState);
  const views = new UsageViews({ extensionUri: context.extensionUri, store, budget: options.budget, log: options.log });
  return {
    store,
    show: () => views.show(),
    exportCsv: (target) => views.exportCsv(target),
    onDidRender: views.onDidRender,
    dispose: () => {
      views.dispose();
      store.dispose();
    },
  };
}
