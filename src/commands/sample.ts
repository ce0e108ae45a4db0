/**
 * "Open Sample Route", the walkthrough's second step: a small LinguaLeap Express route with a
 * Prisma query, opened as an untitled TypeScript document with its request handler selected,
 * ready for Ask. Untitled, so nothing is written to the workspace and the panel's Insert and
 * Apply can change it.
 */
import * as vscode from 'vscode';

/** The sample, shipped in the extension (`.txt`, so the project's TypeScript tools leave it alone). */
const SAMPLE_PATH = ['media', 'walkthrough', 'sample-route.ts.txt'] as const;

/** The line that starts the handler the sample selects. */
const HANDLER_START = 'progressRouter.post(';

/**
 * Opens the sample with its handler selected and in view: in the active editor group when a text
 * editor is active, else beside what is (the walkthrough, which stays in view).
 */
export async function openSample(extensionUri: vscode.Uri): Promise<void> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...SAMPLE_PATH)));
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('LinguaLeap: the sample route is missing from the extension ({0}).', SAMPLE_PATH.join('/')));
    return;
  }
  // Asked again, the copy in view (if unchanged) is used rather than a second one. A copy out of
  // view (restored with the window, maybe behind the walkthrough) is left alone.
  const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.isUntitled && editor.document.getText() === text);
  const document = shown?.document ?? (await vscode.workspace.openTextDocument({ language: 'typescript', content: text }));
  // Beside the walkthrough (or whatever else that is not a text editor is active), so it stays in
  // view; in place when a text editor is active.
  const viewColumn = shown?.viewColumn ?? (vscode.window.activeTextEditor ? vscode.ViewColumn.Active : vscode.ViewColumn.Beside);
  const editor = await vscode.window.showTextDocument(document, { viewColumn, preview: false });
  const handler = handlerRange(document);
  editor.selection = new vscode.Selection(handler.start, handler.end);
  editor.revealRange(handler, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** From the line that registers the handler to its closing `});`, whole lines; the whole text if the sample has no such lines. */
function handlerRange(document: vscode.TextDocument): vscode.Range {
  const lines = document.getText().split(/\r?\n/);
  const start = lines.findIndex((line) => line.startsWith(HANDLER_START));
  const end = lines.findIndex((line, index) => index > start && line === '});');
  if (start < 0 || end < 0) {
    return new vscode.Range(0, 0, document.lineCount, 0);
  }
  return new vscode.Range(start, 0, end, lines[end].length);
}
