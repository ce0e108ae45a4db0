/**
 * What the integration suites share about the editor they run in: the extension's id, its
 * settings, the architect panels open in the tab groups, and the one suite setup that starts a
 * fake Anthropic API and cleans up after it.
 */
import * as vscode from 'vscode';
import { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../fake-anthropic/server';
import { PANEL_VIEW_TYPE } from '../../src/contributes/ids';

export const EXTENSION_ID = 'lingualeap.lingualeap-architect';

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

export interface FakeApiSuiteOptions {
  /** How the fake answers by default, and so on. */
  readonly fake?: FakeAnthropicOptions;
  /** `lingualeap.*` settings (without the prefix) for the whole suite, besides `baseUrl`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Settings a test of the suite may change: put back to their defaults after the suite. */
  readonly resets?: readonly string[];
  /** What each test starts without: open architect panels, or every editor. */
  readonly eachTest?: 'closePanels' | 'closeEditors';
}

/**
 * The setup every integration suite shares, registered as mocha hooks: before the suite a fake
 * Anthropic API starts, the extension points at it (`lingualeap.baseUrl`, plus `settings`) and is
 * activated with no editor open; before each test the fake forgets its script and records (and
 * `eachTest` closes panels or editors); after the suite every setting touched is reset, panels,
 * scratch documents and editors are closed and the fake stops.
 *
 * Returns the fake. It exists once the suite has started: use it inside hooks and tests only.
 */
export function useFakeApi(options: FakeApiSuiteOptions = {}): FakeAnthropic {
  let fake: FakeAnthropic | undefined;
  const settings = { ...options.settings };
  suiteSetup(async () => {
    fake = await startFakeAnthropic(options.fake);
    await config().update('baseUrl', fake.url, vscode.ConfigurationTarget.Global);
    for (const [key, value] of Object.entries(settings)) {
      await config().update(key, value, vscode.ConfigurationTarget.Global);
    }
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  setup(async () => {
    fake?.reset();
    if (options.eachTest === 'closePanels') {
      await closePanels();
    } else if (options.eachTest === 'closeEditors') {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
  suiteTeardown(async () => {
    await clearSettings('baseUrl', ...Object.keys(settings), ...(options.resets ?? []));
    await closePanels();
    await discardScratchEditors();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fake?.close();
  });
  // The fake starts in suiteSetup; until then any use is a mistake in the test, said plainly.
  return new Proxy({} as FakeAnthropic, {
    get(_target, property) {
      if (!fake) {
        throw new Error(`The fake API is used before its suite started (property ${String(property)}).`);
      }
      const value: unknown = Reflect.get(fake, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fake) : value;
    },
  });
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
