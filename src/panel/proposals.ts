/**
 * "Apply" for a code block: a proposed version of the document the question came from, shown
 * in VS Code's diff editor against the original. Accept applies the change as one undo step;
 * Discard closes the diff. The proposed text lives in memory behind a read-only virtual
 * document scheme, so nothing is written until the user accepts.
 */
import * as vscode from 'vscode';
import { PROPOSAL_SCHEME } from '../contributes/ids';

interface Proposal {
  readonly target: vscode.Uri;
  readonly range: vscode.Range;
  /** The text of `range` when the proposal was made; Accept refuses if it changed since. */
  readonly original: string;
  readonly replacement: string;
  readonly content: string;
}

export class ProposalStore implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private next = 1;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.content ?? '';
  }

  /** Opens the diff of `document` with `range` replaced by `replacement`; returns the proposal's uri. */
  async propose(document: vscode.TextDocument, range: vscode.Range, replacement: string): Promise<vscode.Uri> {
    const name = document.uri.path.split('/').pop() || 'untitled';
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${this.next++}/${name}` });
    const text = document.getText();
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const original = text.slice(start, end);
    // Keep the selection's own line ending: a selection of whole lines ends with a newline.
    let code = replacement.replace(/\r\n/g, '\n');
    if (original.endsWith('\n') && !code.endsWith('\n')) {
      code += '\n';
    } else if (!original.endsWith('\n') && code.endsWith('\n')) {
      code = code.slice(0, -1);
    }
    if (document.eol === vscode.EndOfLine.CRLF) {
      code = code.replace(/\n/g, '\r\n');
    }
    this.proposals.set(uri.toString(), {
      target: document.uri,
      range,
      original,
      replacement: code,
      content: text.slice(0, start) + code + text.slice(end),
    });
    await vscode.commands.executeCommand('vscode.diff', document.uri, uri, vscode.l10n.t("{0} ↔ Architect's proposal", name), { preview: false });
    return uri;
  }

  /** The proposal shown in the active diff editor, or the one `arg` names. */
  private find(arg: unknown): [string, Proposal] | undefined {
    const key =
      arg instanceof vscode.Uri ? arg.toString() : typeof arg === 'string' ? arg : vscode.window.activeTextEditor?.document.uri.toString();
    if (key && this.proposals.has(key)) {
      return [key, this.proposals.get(key)!];
    }
    // The diff editor's focused side may be the original; fall back to the newest proposal shown.
    const open = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (open instanceof vscode.TabInputTextDiff && this.proposals.has(open.modified.toString())) {
      const k = open.modified.toString();
      return [k, this.proposals.get(k)!];
    }
    return undefined;
  }

  /** Applies the proposal as one undo step and closes its diff. False when it no longer fits. */
  async accept(arg?: unknown): Promise<boolean> {
    const found = this.find(arg);
    if (!found) {
      void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: there is no proposed change to accept.'));
      return false;
    }
    const [key, proposal] = found;
    const document = await vscode.workspace.openTextDocument(proposal.target);
    if (document.getText(proposal.range) !== proposal.original) {
      void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: the code changed since the proposal was made; ask again to get a new one.'));
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(proposal.target, proposal.range, proposal.replacement);
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
      await this.close(key);
    }
    return applied;
  }

  /** Closes the diff without changing anything. */
  async discard(arg?: unknown): Promise<void> {
    const found = this.find(arg);
    if (found) {
      await this.close(found[0]);
    }
  }

  private async close(key: string): Promise<void> {
    this.proposals.delete(key);
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === key);
    if (tabs.length > 0) {
      await vscode.window.tabGroups.close(tabs);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.proposals.clear();
  }
}
