/**
 * One translation table for every bundle. Adapters call `vscode.l10n.t`, which reads VS Code's
 * bundle for the display language by itself; the pure code (core, the pure adapter files) calls
 * `l10n.t` from `@vscode/l10n`, which knows nothing of VS Code and must be handed the same bundle.
 * Each host bundle (`extension.js`, `app.js`, `agentCore.js`: each has its own copy of
 * `@vscode/l10n`) calls this once, before any of its strings is made. In English there is no
 * bundle and every string is its own key.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function useDisplayLanguage(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) {
    l10n.config({ contents: bundle });
  }
}

/** The bundle for a webview, which translates its own strings with `@vscode/l10n` (undefined: English). */
export function webviewL10nBundle(): { [key: string]: string } | undefined {
  return vscode.l10n.bundle;
}
