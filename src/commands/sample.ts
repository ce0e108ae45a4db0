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

/** Opens the sample in the active editor group with its handler selected and in view. */
export async function openSample(extensionUri: vscode.Uri): Promise<void> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...SAMPLE_PATH)));
  } catch {
    void vscode.window.showErrorMessage(`LinguaLeap: the sample route is missing from the extension (${SAMPLE_PATH.join('/')}).`);
    return;
  }
  // Asked again, the copy still open and unchanged is shown rather than a second one.
  const open = vscode.workspace.textDocuments.find((document) => document.isUntitled && document.getText() === text);
  const document = open ?? (await vscode.workspace.openTextDocument({ language: 'typescript', content: text }));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
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
