/**
 * The editor side of the architect's tools: the workspace folders, the `lingualeap.tools.*`
 * settings, workspace trust, VS Code's own ripgrep and file search, and the Bash consent dialog.
 * The tools themselves are pure (`src/core/tools`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BashConsent, BashRequest, ToolHost } from '../core/tools';
import { readConfig } from './settings';

/** A tool host as the workspace and settings stand now, for one answer of `agentName`. */
export function editorToolHost(agentName: string): ToolHost {
  const settings = readConfig();
  return {
    roots: (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
    exclude: settings.toolsExclude,
    trusted: vscode.workspace.isTrusted,
    bash: settings.toolsBash,
    ripgrepPath: ripgrepPath(),
    findFiles: async (pattern, base, maxResults, signal) => {
      const source = new vscode.CancellationTokenSource();
      const onAbort = () => source.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        // No exclude argument: files.exclude applies, and search.useIgnoreFiles (.gitignore).
        const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(base), pattern), undefined, maxResults, source.token);
        return found.map((uri) => uri.fsPath);
      } finally {
        signal.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
    confirmBash: (request) => confirmBash(agentName, request),
  };
}

/**
 * Answers for the consent dialog, queued by the integration tests (the extension host cannot
 * click a modal dialog). Only reachable through a command registered when the extension runs in
 * test mode; every request is recorded with the answer it got.
 */
export const scriptedConsent = {
  answers: [] as BashConsent[],
  asked: [] as { agentName: string; request: BashRequest; answer: BashConsent }[],
};

/** The modal dialog: the exact command and the folder it runs in; Escape is Deny. */
async function confirmBash(agentName: string, request: BashRequest): Promise<BashConsent> {
  const scripted = scriptedConsent.answers.shift();
  if (scripted) {
    scriptedConsent.asked.push({ agentName, request, answer: scripted });
    return scripted;
  }
  // The buttons; Deny is also what Escape and closing the dialog answer.
  const allow: vscode.MessageItem = { title: vscode.l10n.t({ message: 'Allow', comment: ['Button: run the command the agent asked to run, this once'] }) };
  const allowConversation: vscode.MessageItem = { title: vscode.l10n.t('Allow for this Conversation') };
  const deny: vscode.MessageItem = { title: vscode.l10n.t({ message: 'Deny', comment: ['Button: do not run the command the agent asked to run'] }), isCloseAffordance: true };
  const detail = [
    request.description ? `${request.description}\n` : '',
    request.command,
    '',
    vscode.l10n.t({ message: 'in {0}', args: [request.cwd], comment: ['{0} is the folder a command runs in'] }),
    '',
    vscode.l10n.t('“{0}” runs this exact command again without asking, until you start a new conversation.', allowConversation.title),
  ].join('\n');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} wants to run a command', agentName), { modal: true, detail }, allow, allowConversation, deny);
  return choice === allow ? 'allow' : choice === allowConversation ? 'allowConversation' : 'deny';
}

let cachedRipgrep: string | null | undefined;

/**
 * The ripgrep that ships inside VS Code: `@vscode/ripgrep` (desktop, maybe unpacked from the asar)
 * or `@vscode/ripgrep-universal` (newer builds, one binary per platform).
 */
function ripgrepPath(): string | undefined {
  if (cachedRipgrep === undefined) {
    const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
    const platform = `${process.platform}-${process.arch}`;
    const candidates = ['node_modules', 'node_modules.asar.unpacked'].flatMap((modules) => [
      join(vscode.env.appRoot, modules, '@vscode', 'ripgrep', 'bin', exe),
      join(vscode.env.appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', platform, exe),
    ]);
    cachedRipgrep = candidates.find((candidate) => existsSync(candidate)) ?? null;
  }
  return cachedRipgrep ?? undefined;
}
