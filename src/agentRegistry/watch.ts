/**
 * Watches where agent files live: each workspace folder's `.claude/agents/**\/*.md` and the
 * user's agents folder. Set up at activation (it reads nothing); the registry, the agent-file
 * editor and the status bar follow its events.
 */
import * as vscode from 'vscode';

/** Where Claude Code keeps a project's agents, relative to a workspace folder. */
export const PROJECT_AGENTS_DIR = '.claude/agents';

/**
 * Calls `changed` with the uri of an agent file created, changed or deleted, and with undefined
 * when the workspace folders or their trust change (anything may have).
 */
export function watchAgentFiles(userFolder: vscode.Uri, changed: (uri: vscode.Uri | undefined) => void): vscode.Disposable {
  let watchers: vscode.Disposable[] = [];
  const watch = () => {
    for (const watcher of watchers.splice(0)) {
      watcher.dispose();
    }
    const patterns = [
      ...(vscode.workspace.workspaceFolders ?? []).map((folder) => new vscode.RelativePattern(folder, `${PROJECT_AGENTS_DIR}/**/*.md`)),
      new vscode.RelativePattern(userFolder, '**/*.md'),
    ];
    watchers = patterns.map((pattern) => {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      return vscode.Disposable.from(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    });
  };
  watch();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      watch();
      changed(undefined);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed(undefined)),
    {
      dispose: () => {
        for (const watcher of watchers.splice(0)) {
          watcher.dispose();
        }
      },
    },
  );
}
