/**
 * Which documents are agent files, which scope they belong to, and how messages name them
 * (the same names the agent registry's log uses: `.claude/agents/x.md`,
 * `~/.claude/agents/x.md`, `agents/x.md`).
 */
import * as vscode from 'vscode';
import type { AgentScope } from '../core/agent/catalog';

/**
 * Schemes whose documents get the editor features: files, remote and virtual workspaces.
 * Not `git:` and the like, or a diff view would put every problem in the Problems view twice.
 */
const SCHEMES = ['file', 'vscode-remote', 'vscode-vfs', 'vscode-userdata'] as const;

/**
 * The languages an agent file opens as: Markdown, or VS Code's own `chatagent` (its built-in
 * prompt files give that language to `.claude/agents/*.md`, one level deep, since about 1.105).
 */
export const AGENT_FILE_LANGUAGES: readonly string[] = ['markdown', 'chatagent'];

/**
 * Agent-file documents: under a `.claude/agents/` folder at any depth, and under the user's
 * agents folder wherever it is (tests move it).
 */
export function agentFileSelector(userFolder: vscode.Uri): vscode.DocumentSelector {
  return AGENT_FILE_LANGUAGES.flatMap((language) => [
    ...SCHEMES.map((scheme) => ({ language, scheme, pattern: '**/.claude/agents/**/*.md' })),
    { language, scheme: userFolder.scheme, pattern: new vscode.RelativePattern(userFolder, '**/*.md') },
  ]);
}

/** Whether a path (either separator) names a `.md` file somewhere under a `.claude/agents/` folder. */
export function isAgentFilePath(path: string): boolean {
  return /(?:^|[\\/])\.claude[\\/]agents[\\/](?:.*[\\/])?[^\\/]+\.md$/.test(path);
}

/**
 * Whether the editor features apply to this document. The selector already says so for
 * providers; this is the same test for the events (open, change, close), which have none.
 */
export function isAgentDocument(document: vscode.TextDocument, userFolder: vscode.Uri): boolean {
  if (!AGENT_FILE_LANGUAGES.includes(document.languageId)) {
    return false;
  }
  if (isInside(document.uri, userFolder)) {
    return document.uri.path.endsWith('.md');
  }
  return (SCHEMES as readonly string[]).includes(document.uri.scheme) && isAgentFilePath(document.uri.path);
}

/** `user` for a file under the user's agents folder, else `project` (any other `.claude/agents/`). */
export function scopeOf(uri: vscode.Uri, userFolder: vscode.Uri): AgentScope {
  return isInside(uri, userFolder) ? 'user' : 'project';
}

/** How messages name an agent file of that scope, as the agent registry names it in the log. */
export function agentFileLabel(uri: vscode.Uri, scope: AgentScope, userFolder: vscode.Uri): string {
  switch (scope) {
    case 'user':
      return isInside(uri, userFolder) ? `~/.claude/agents/${uri.path.slice(userFolder.path.replace(/\/$/, '').length + 1)}` : uri.fsPath;
    case 'bundled':
      return `agents/${uri.path.slice(uri.path.lastIndexOf('/') + 1)}`;
    case 'project':
      return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }
}

function isInside(uri: vscode.Uri, folder: vscode.Uri): boolean {
  const base = folder.path.replace(/\/$/, '');
  return uri.scheme === folder.scheme && uri.authority === folder.authority && uri.path.startsWith(`${base}/`);
}
