/**
 * Turns what the user is looking at into code context: the selection, else the file.
 */
import * as vscode from 'vscode';
import { boundCode, type CodeContext } from '../core/prompt/context';

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

/**
 * Workspace-relative where possible; an untitled document by its title; a notebook cell as
 * its notebook's path and the cell's number (its own URI, `vscode-notebook-cell:…#W0sZmlsZQ==`,
 * means nothing to a reader or to the model).
 */
function displayPath(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') {
    return uri.path;
  }
  if (uri.scheme === 'vscode-notebook-cell') {
    for (const notebook of vscode.workspace.notebookDocuments) {
      const cell = notebook.getCells().find((candidate) => candidate.document.uri.toString() === uri.toString());
      if (cell) {
        return `${displayPath(notebook.uri)}, cell ${cell.index + 1}`;
      }
    }
    return displayPath(uri.with({ scheme: 'file', fragment: '' }));
  }
  return vscode.workspace.asRelativePath(uri, false);
}
