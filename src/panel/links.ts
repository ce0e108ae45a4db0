/**
 * What the panel's links open, as the host recorded them (the webview only names a turn and an
 * index): the code a question sent, a file a tool read or listed at its lines, a web page through
 * VS Code's link confirmation. Files open in an editor column other than the panel's, so they do
 * not cover the conversation.
 */
import * as vscode from 'vscode';
import { originOf, type StoredConversation, type StoredTurn } from '../core/conversation/conversation';
import { TurnSteps, type StepTarget } from '../core/conversation/steps';

/** Opens what a receipt's link names: the code sent (index into the turn's contexts), or a file a tool touched. */
export async function openReceiptLink(
  conversation: StoredConversation,
  turn: StoredTurn | undefined,
  kind: 'code' | 'file',
  index: number,
  panelColumn: vscode.ViewColumn | undefined,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const column = besidePanel(panelColumn);
  if (kind === 'file') {
    const ref = turn?.receipt?.fileRefs[index];
    if (ref) {
      await openStepTarget({ kind: 'file', path: ref.path, startLine: ref.startLine, endLine: ref.endLine }, column, log);
    }
    return;
  }
  const context = turn?.contexts[index];
  if (!turn || !context) {
    return;
  }
  const origin = index === 0 ? originOf(conversation, turn) : undefined;
  const uri = origin ? vscode.Uri.parse(origin.uri) : await findInWorkspace(context.reference.path);
  if (!uri) {
    log.info(`The code sent from ${context.reference.path} is not in the workspace any more.`);
    return;
  }
  const { startLine, endLine } = context.reference;
  try {
    // To the start of the line after the last one, so the last line is selected too.
    await vscode.window.showTextDocument(uri, { viewColumn: column, preview: true, selection: new vscode.Range(startLine - 1, 0, endLine, 0) });
  } catch (err) {
    log.info(`Opening ${context.reference.path} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens what a tool step's link names: a file at its lines, or a web page. */
export async function openStepLink(
  turn: StoredTurn | undefined,
  stepId: string,
  index: number,
  panelColumn: vscode.ViewColumn | undefined,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const target = turn && TurnSteps.restore(workspaceRoots(), turn.steps, turn.stepTargets).target(stepId, index);
  if (target) {
    await openStepTarget(target, besidePanel(panelColumn), log);
  }
}

/** Opens http(s) links from the answer through VS Code's external-link confirmation. */
export async function openExternalLink(href: string, log: vscode.LogOutputChannel): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn('Ignored a malformed link from the architect panel.');
    return;
  }
  if (uri.scheme !== 'http' && uri.scheme !== 'https') {
    log.warn(`Ignored a link with the scheme "${uri.scheme}" from the architect panel; only http and https open.`);
    return;
  }
  await vscode.env.openExternal(uri);
}

/** The workspace folders the tools work in, as file-system paths. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/** A visible editor's column other than the panel's, else beside it. */
function besidePanel(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return (
    vscode.window.visibleTextEditors.find((editor) => editor.viewColumn !== undefined && editor.viewColumn !== panelColumn)?.viewColumn ??
    vscode.ViewColumn.Beside
  );
}

/** A workspace-relative path in the first workspace folder that has it. */
async function findInWorkspace(path: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, path);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** A file opens in the editor at its lines (in `column`); a page through the link confirmation. */
async function openStepTarget(target: StepTarget, column: vscode.ViewColumn, log: vscode.LogOutputChannel): Promise<void> {
  if (target.kind === 'url') {
    await openExternalLink(target.url, log);
    return;
  }
  const start = Math.max(0, (target.startLine ?? 1) - 1);
  const end = Math.max(start, (target.endLine ?? target.startLine ?? 1) - 1);
  try {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target.path));
    const selection = target.startLine === undefined ? undefined : new vscode.Range(start, 0, end, 0);
    await vscode.window.showTextDocument(document, { viewColumn: column, preview: true, selection });
  } catch (err) {
    // A folder (LS) or a file deleted since: reveal it in the Explorer instead.
    log.info(`Opening ${target.path} in an editor failed (${err instanceof Error ? err.message : String(err)}); revealing it in the Explorer.`);
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target.path));
  }
}
