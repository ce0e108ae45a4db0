/**
 * A code block's Insert, Apply and Open buttons: what they do in the editor. The panel checks
 * that the code is part of the turn's answer before calling these.
 */
import * as vscode from 'vscode';
import type { StoredOrigin } from '../core/conversation/conversation';
import { assertNever, type CodeAction } from '../shared/protocol';
import type { ProposalStore } from './proposals';

/** What a code action needs to know about the question the block answered. */
export interface CodeActionTarget {
  /** Where the question's code came from, if it had any. */
  readonly origin?: StoredOrigin;
}

export class CodeActions {
  constructor(
    private readonly proposals: ProposalStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Runs one action; returns the sentence for the panel's live region, if any. Errors are shown, never thrown. */
  async run(action: CodeAction, code: string, language: string, target: CodeActionTarget): Promise<string | undefined> {
    try {
      switch (action) {
        case 'insert':
          return await this.insert(code, target);
        case 'apply':
          return await this.apply(code, target);
        case 'open': {
          const document = await vscode.workspace.openTextDocument({ content: code, language: await languageIdFor(language) });
          await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
          return vscode.l10n.t('Opened the code in a new editor.');
        }
        default:
          return assertNever(action);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`Code block action "${action}" failed: ${message}`);
      void vscode.window.showErrorMessage(failure(action, message));
      return undefined;
    }
  }

  /** Inserts at the editor's current selection (replacing it), as one undo step. */
  private async insert(code: string, target: CodeActionTarget): Promise<string | undefined> {
    const editor = await targetEditor(target.origin);
    if (!editor) {
      void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: open an editor to insert the code into.'));
      return undefined;
    }
    const text = code.replace(/\n$/, '');
    const done = await editor.edit((builder) => builder.replace(editor.selection, text));
    if (!done) {
      return undefined;
    }
    const name = editor.document.uri.path.split('/').pop();
    return name !== undefined ? vscode.l10n.t('Inserted into {0}.', name) : vscode.l10n.t('Inserted into the editor.');
  }

  /** Opens a diff of the original selection replaced by the code; Accept applies it. */
  private async apply(code: string, target: CodeActionTarget): Promise<string | undefined> {
    if (!target.origin) {
      void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: this question was asked without code, so there is nothing to apply the change to.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.origin.uri));
    await this.proposals.propose(document, rangeOf(target.origin), code);
    return vscode.l10n.t('Opened the proposed change in a diff editor. Accept or discard it from the editor title.');
  }
}

/** The notification for an action that failed: a whole sentence per action, so a translator never sees the verb alone. */
function failure(action: CodeAction, message: string): string {
  switch (action) {
    case 'insert':
      return vscode.l10n.t('LinguaLeap: could not insert the code: {0}', message);
    case 'apply':
      return vscode.l10n.t('LinguaLeap: could not apply the code: {0}', message);
    case 'open':
      return vscode.l10n.t('LinguaLeap: could not open the code: {0}', message);
    default:
      return assertNever(action);
  }
}

/** The editor range a stored origin names. */
function rangeOf(origin: StoredOrigin): vscode.Range {
  const [sl, sc, el, ec] = origin.range;
  return new vscode.Range(sl, sc, el, ec);
}

/** An editor range as stored with the conversation. */
export function toStoredOrigin(uri: vscode.Uri, range: vscode.Range): StoredOrigin {
  const { start, end } = range;
  return { uri: uri.toString(), range: [start.line, start.character, end.line, end.character] };
}

/** The editor the question came from (opened again if needed), else the last text editor. */
async function targetEditor(origin: StoredOrigin | undefined): Promise<vscode.TextEditor | undefined> {
  if (origin) {
    const uri = vscode.Uri.parse(origin.uri);
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === uri.toString());
    if (visible) {
      return visible;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  }
  return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
}

const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  json5: 'json',
  psql: 'sql',
  postgres: 'sql',
  postgresql: 'sql',
  rb: 'ruby',
  rs: 'rust',
  cs: 'csharp',
  'c#': 'csharp',
  'c++': 'cpp',
  kt: 'kotlin',
  text: 'plaintext',
  txt: 'plaintext',
};

/** A code block's tag as a VS Code language id, or plain text when VS Code does not know it. */
async function languageIdFor(tag: string): Promise<string> {
  const lower = tag.toLowerCase();
  const id = LANGUAGE_ALIASES[lower] ?? lower;
  if (!id) {
    return 'plaintext';
  }
  const known = await vscode.languages.getLanguages();
  return known.includes(id) ? id : 'plaintext';
}
