/**
 * "Ask LinguaLeap Architect": the selection (else the active file, else nothing) and a question
 * from the input box, answered in the panel.
 */
import * as vscode from 'vscode';
import type { TurnResult } from '../core/llm/pipeline';
import { describeReference, type CodeContext } from '../core/prompt/context';
import { contextFromEditor } from '../host/editorContext';
import type { ArchitectPanels } from '../host/panels';
import { readConfig } from '../host/settings';

/** Arguments a caller (a test, a keybinding) may pass to skip the question box. */
interface AskArgs {
  readonly question: string;
}

function isAskArgs(value: unknown): value is AskArgs {
  return typeof value === 'object' && value !== null && typeof (value as AskArgs).question === 'string';
}

/**
 * Asks about the selection (else the active file, else nothing) and shows the answer in the
 * panel. Resolves undefined when the user dismisses the question box.
 */
export async function ask(panels: ArchitectPanels, arg: unknown): Promise<TurnResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const code = editor && contextFromEditor(editor, readConfig().maxContextChars);
  const contexts: CodeContext[] = code ? [code] : [];
  const question = isAskArgs(arg) ? arg.question : await promptForQuestion(code);
  if (question === undefined) {
    return undefined;
  }
  return panels.ask(question, contexts, code && editor ? { uri: editor.document.uri, range: originRange(editor) } : undefined);
}

/** What a code block's Apply replaces: the selection, else the whole document. */
function originRange(editor: vscode.TextEditor): vscode.Range {
  const { document, selection } = editor;
  return selection.isEmpty ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) : selection;
}

function promptForQuestion(code: CodeContext | undefined): Thenable<string | undefined> {
  const about = code
    ? `About ${code.reference.kind === 'selection' ? 'the selection in' : ''} ${describeReference(code.reference)}${code.reference.truncated ? ' (cut to fit)' : ''}. Leave empty to have it reviewed.`
    : 'No editor is open, so only your question is sent.';
  return vscode.window.showInputBox({
    title: 'Ask LinguaLeap Architect',
    prompt: about.replace(/\s+/g, ' '),
    placeHolder: code ? 'e.g. How should this scale to 100k concurrent learners?' : 'e.g. How should I store conversation history?',
    ignoreFocusOut: true,
  });
}
