/**
 * "Ask LinguaLeap Architect": the selection (else the active file, else nothing) and a question
 * from the input box, answered in the panel.
 */
import * as vscode from 'vscode';
import type { TurnResult } from '../core/llm/pipeline';
import { describeReference, type CodeContext } from '../core/prompt/context';
import { contextFromEditor } from '../host/editorContext';
import { agentDisplayName } from '../core/agent/display';
import type { AgentDefinition } from '../core/agent/parse';
import type { AgentChooser } from '../host/agents';
import type { ArchitectPanels } from '../host/panels';
import { readConfig } from '../host/settings';

/** Arguments a caller (a test, a keybinding) may pass to skip the question box and the agent picker. */
interface AskArgs {
  readonly question?: string;
  /** For Ask Agent…: the agent's `name`. */
  readonly agent?: string;
}

function askArgs(value: unknown): AskArgs {
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  const { question, agent } = value as Record<string, unknown>;
  return { question: typeof question === 'string' ? question : undefined, agent: typeof agent === 'string' ? agent : undefined };
}

/**
 * Asks about the selection (else the active file, else nothing) and shows the answer in the
 * panel of `agent` (else the default agent). Resolves undefined when the user dismisses the
 * question box.
 */
export async function ask(panels: ArchitectPanels, arg: unknown, agent?: AgentDefinition): Promise<TurnResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  const code = editor && contextFromEditor(editor, readConfig().maxContextChars);
  const contexts: CodeContext[] = code ? [code] : [];
  const given = askArgs(arg).question;
  let question = given;
  if (question === undefined) {
    // The panel opens while the question is typed, so its page is ready when Enter is pressed.
    const typed = promptForQuestion(code, agent);
    const prepared = panels.prepare(agent).catch(() => undefined);
    question = await typed;
    // Wait for the panel to exist, so the question goes to it rather than to a second one.
    const panel = await prepared;
    if (question === undefined) {
      panel?.discard();
      return undefined;
    }
  }
  return panels.ask(question, contexts, code && editor ? { uri: editor.document.uri, range: originRange(editor) } : undefined, agent);
}

/** "Ask Agent…": pick the agent (or name it in the arguments), then ask as `ask` does. */
export async function askAgent(panels: ArchitectPanels, agents: AgentChooser, arg: unknown): Promise<TurnResult | undefined> {
  const named = askArgs(arg).agent;
  const agent = named ? await agents.find(named) : await agents.pick('LinguaLeap: Ask Agent');
  if (!agent) {
    if (named) {
      void vscode.window.showWarningMessage(`LinguaLeap: no usable agent is named “${named}”.`);
    }
    return undefined;
  }
  return ask(panels, arg, agent);
}

/** The CodeLens "Ask this agent" on an agent file. */
export async function askThisAgent(panels: ArchitectPanels, agents: AgentChooser, file: unknown): Promise<TurnResult | undefined> {
  const uri = file instanceof vscode.Uri ? file : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    return undefined;
  }
  const { agent, problem } = await agents.agentIn(uri);
  if (!agent) {
    void vscode.window.showWarningMessage(`LinguaLeap: this agent cannot answer: ${problem ?? 'the file is not an agent file'}`);
    return undefined;
  }
  // The agent file itself is not the code to ask about.
  const question = await promptForQuestion(undefined, agent);
  return question === undefined ? undefined : panels.ask(question, [], undefined, agent);
}

/** What a code block's Apply replaces: the selection, else the whole document. */
function originRange(editor: vscode.TextEditor): vscode.Range {
  const { document, selection } = editor;
  return selection.isEmpty ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) : selection;
}

function promptForQuestion(code: CodeContext | undefined, agent?: AgentDefinition): Thenable<string | undefined> {
  const about = code
    ? `About ${code.reference.kind === 'selection' ? 'the selection in' : ''} ${describeReference(code.reference)}${code.reference.truncated ? ' (cut to fit)' : ''}. Leave empty to have it reviewed.`
    : 'No editor is open, so only your question is sent.';
  return vscode.window.showInputBox({
    title: agent ? `Ask ${agentDisplayName(agent)}` : 'Ask LinguaLeap Architect',
    prompt: about.replace(/\s+/g, ' '),
    placeHolder: code ? 'e.g. How should this scale to 100k concurrent learners?' : 'e.g. How should I store conversation history?',
    ignoreFocusOut: true,
  });
}
