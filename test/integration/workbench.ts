/**
 * What the integration suites share about the editor they run in: the extension's id, its
 * settings, and the architect panels open in the tab groups.
 */
import * as vscode from 'vscode';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';

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

/** Starts a fake Anthropic API, points the extension at it and activates the extension. */
export async function startFakeApi(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  await config().update('baseUrl', fake.url, vscode.ConfigurationTarget.Global);
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  return fake;
}

/** Puts the given `lingualeap.*` settings back to their defaults. */
export async function clearSettings(...keys: string[]): Promise<void> {
  for (const key of keys) {
    await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

/** Closes the untitled documents the tests made without a "Save changes?" dialog. */
export async function discardScratchEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}
