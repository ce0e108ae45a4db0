/**
 * Says what Restricted Mode ignores, once per session, the first time the architect is asked
 * in an untrusted workspace that holds something it ignores: agent files in
 * `.claude/agents/`, or workspace values of the restricted settings (which VS Code hides from
 * the extension, so the settings files are read as text here). A non-modal notification with
 * "Manage Workspace Trust"; nothing when the workspace is trusted or holds nothing ignored.
 */
import * as vscode from 'vscode';
import { describeIgnored, RESTRICTED_SETTINGS, restrictedSettingsIn, type IgnoredInRestrictedMode } from '../core/agent/restricted';
import { WORKBENCH_COMMANDS } from '../contributes/ids';
import { PROJECT_AGENTS_DIR as WORKSPACE_AGENTS_DIR } from './watch';

/** A settings file larger than this is not one a person wrote; it is not read. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

/** How the notice reaches the user (a non-modal notification unless another is given). */
export type NoticeShower = (message: string) => void;

function showNotice(message: string): void {
  const manageTrust = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window.showInformationMessage(message, manageTrust).then((choice) => {
    if (choice === manageTrust) {
      void vscode.commands.executeCommand(WORKBENCH_COMMANDS.manageTrust);
    }
  });
}

export class RestrictedModeNotice {
  /** The check under way or done; cleared when it found nothing, so a later question looks again. */
  private checking: Promise<void> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly show: NoticeShower = showNotice,
  ) {}

  /** Called at each question; never throws, never delays the question. */
  noteIfIgnoring(): void {
    if (vscode.workspace.isTrusted || this.checking) {
      return;
    }
    this.checking = this.check().catch((err: unknown) => {
      this.checking = undefined;
      this.log.warn(`Restricted mode: could not check what is ignored (${err instanceof Error ? err.message : String(err)}).`);
    });
  }

  private async check(): Promise<void> {
    const message = describeIgnored(await findIgnored());
    if (!message || vscode.workspace.isTrusted) {
      this.checking = undefined;
      return;
    }
    this.log.info(message);
    this.show(message);
  }
}

/** Agent files and restricted settings in the workspace; only names and settings files are read. */
async function findIgnored(): Promise<IgnoredInRestrictedMode> {
  const agentFiles: string[] = [];
  const settings = new Set<string>();
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const folder of folders) {
    const dir = vscode.Uri.joinPath(folder.uri, ...WORKSPACE_AGENTS_DIR.split('/'));
    const entries = await vscode.workspace.fs.readDirectory(dir).then(undefined, () => []);
    for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      if (name.toLowerCase().endsWith('.md') && (type & vscode.FileType.File) !== 0) {
        agentFiles.push(vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, name), folders.length > 1));
      }
    }
    for (const key of await settingsIn(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'))) {
      settings.add(key);
    }
  }
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') {
    for (const key of await settingsIn(workspaceFile, 'settings')) {
      settings.add(key);
    }
  }
  return { agentFiles, settings: RESTRICTED_SETTINGS.filter((key) => settings.has(key)) };
}

async function settingsIn(uri: vscode.Uri, under?: 'settings'): Promise<string[]> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_SETTINGS_BYTES) {
      return [];
    }
    return restrictedSettingsIn(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)), under);
  } catch {
    return [];
  }
}
