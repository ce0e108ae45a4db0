/**
 * Turns what the user is looking at into code context: the selection, else the file.
 */
import * as vscode from 'vscode';
import { boundCode, type CodeContext } from '../prompt/context';

/** The selection of `editor`, or its whole document when nothing is selected. */
export function contextFromEditor(editor: vscode.TextEditor, maxChars: number): CodeContext | undefined {
  const { document, selection } = editor;
  if (!selection.isEmpty) {
    return contextFromRange(document, selection, 'selection', maxChars);
  }
  if (document.getText().trim() === '') {
    return undefined;
  }
  return boundCode(
    { text: document.getText(), path: displayPath(document.uri), languageId: document.languageId, startLine: 1, kind: 'file' },
    maxChars,
  );
}

/** A range of a document (a selection or a `#selection` / `#file` reference). */
export function contextFromRange(
  document: vscode.TextDocument,
  range: vscode.Range,
  kind: 'selection' | 'file',
  maxChars: number,
): CodeContext {
  return boundCode(
    {
      text: document.getText(range),
      path: displayPath(document.uri),
      languageId: document.languageId,
      startLine: range.start.line + 1,
      kind,
    },
    maxChars,
  );
}

/** Workspace-relative where possible; an untitled document by its title. */
export function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') {
    return uri.path;
  }
  return vscode.workspace.asRelativePath(uri, false);
}
