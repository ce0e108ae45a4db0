/**
 * What the integration suites share about the editor they run in: the extension's id, its
 * settings, and the architect panels open in the tab groups.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'lingualeap.lingualeap-architect';
export const PANEL_VIEW_TYPE = 'lingualeap.architectPanel';

/** The extension's settings, read fresh (an update is visible at once). */
export const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lingualeap');

/** The architect panels open in any tab group. */
export function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(PANEL_VIEW_TYPE));
}

export async function closePanels(): Promise<void> {
  const tabs = panelTabs();
  if (tabs.length > 0) {
    await vscode.window.tabGroups.close(tabs);
  }
}
