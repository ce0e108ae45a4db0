/**
 * The command palette and context-menu commands.
 */
import * as vscode from 'vscode';
import type { TurnResult } from '../core/llm/pipeline';
import { describeReference, type CodeContext } from '../core/prompt/context';
import { ArchitectPanel, type PanelDeps } from '../panel/architectPanel';
import { PARTICIPANT_NAME } from '../chat/participant';
import type { ApiKeyStore } from '../host/apiKey';
import { readConfig } from '../host/settings';
import { contextFromEditor } from '../host/editorContext';

export interface CommandDeps extends PanelDeps {
  readonly keys: ApiKeyStore;
}

/** Arguments a caller (a test, a keybinding) may pass to skip the question box. */
interface AskArgs {
  readonly question: string;
}

function isAskArgs(value: unknown): value is AskArgs {
  return typeof value === 'object' && value !== null && typeof (value as AskArgs).question === 'string';
}

/** The `@lingualeap …` question a chat answer's Set API Key button passes along, if well formed. */
function retryChatQuery(arg: unknown): string | undefined {
  const query = typeof arg === 'object' && arg !== null ? (arg as { retryChatQuery?: unknown }).retryChatQuery : undefined;
  const mention = `@${PARTICIPANT_NAME}`;
  const wellFormed = typeof query === 'string' && query.length <= 100_000 && (query === mention || query.startsWith(`${mention} `));
  return wellFormed ? query : undefined;
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('lingualeap.ask', (arg?: unknown) => ask(deps, isAskArgs(arg) ? arg.question : undefined)),
    vscode.commands.registerCommand('lingualeap.setApiKey', async (arg?: unknown) => {
      const stored = await deps.keys.promptAndStore();
      if (stored) {
        deps.log.info('An Anthropic API key was stored in secret storage.');
        void vscode.window.showInformationMessage('LinguaLeap: Anthropic API key saved.');
        // From a chat answer that failed for want of a key: ask that question again.
        const query = retryChatQuery(arg);
        if (query) {
          void vscode.commands.executeCommand('workbench.action.chat.open', { query, preserveInput: true });
        }
      }
      return stored;
    }),
    vscode.commands.registerCommand('lingualeap.clearApiKey', async () => {
      await deps.keys.clear();
      deps.log.info('The stored Anthropic API key was removed.');
      void vscode.window.showInformationMessage(
        deps.keys.hasEnvironmentKey()
          ? 'LinguaLeap: the stored API key was removed; ANTHROPIC_API_KEY from the environment is still used.'
          : 'LinguaLeap: the stored API key was removed.',
      );
    }),
    vscode.commands.registerCommand('lingualeap.stop', () => ArchitectPanel.all.forEach((panel) => panel.stopAll())),
    vscode.commands.registerCommand('lingualeap.showLog', () => deps.log.show()),
    // Closing the panels on deactivation aborts any answer still streaming.
    { dispose: () => ArchitectPanel.all.forEach((panel) => panel.dispose()) },
  );
}

/**
 * Asks about the selection (else the active file, else nothing) and shows the answer
 * in the panel. Resolves undefined when the user dismisses the question box.
 */
async function ask(deps: CommandDeps, given: string | undefined): Promise<TurnResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const contexts: CodeContext[] = [];
  const code = editor && contextFromEditor(editor, readConfig().maxContextChars);
  if (code) {
    contexts.push(code);
  }
  const question = given ?? (await promptForQuestion(code));
  if (question === undefined) {
    return undefined;
  }
  const panel = await ArchitectPanel.show(deps);
  return panel.ask(question, contexts, code && editor ? { uri: editor.document.uri, range: originRange(editor) } : undefined);
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
