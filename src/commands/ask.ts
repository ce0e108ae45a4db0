/**
 * "Ask LinguaLeap Architect": the selection (else the active file, else nothing) and a question
 * from the input box, answered in the panel. Under the box, what the question would send and
 * cost, updated as the question, the selection or the conversation changes.
 */
import * as vscode from 'vscode';
import type { TurnResult } from '../core/llm/pipeline';
import { describeReference, type CodeContext } from '../core/prompt/context';
import { estimateText } from '../core/usage/answer';
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
  const given = askArgs(arg).question;
  let asked: Asked | undefined;
  if (given === undefined) {
    // The panel opens while the question is typed, so its page is ready when Enter is pressed.
    const typed = promptForQuestion(panels, agent, true);
    const prepared = panels.prepare(agent).catch(() => undefined);
    asked = await typed;
    // Wait for the panel to exist, so the question goes to it rather than to a second one.
    const panel = await prepared;
    if (asked === undefined) {
      panel?.discard();
      return undefined;
    }
  } else {
    asked = { question: given, ...editorCode() };
  }
  const { question, code, editor } = asked;
  return panels.ask(question, code ? [code] : [], code && editor ? { uri: editor.document.uri, range: originRange(editor) } : undefined, agent);
}

/** The question typed, and the code it is about as it stood at Enter (the selection may change while typing). */
interface Asked {
  readonly question: string;
  readonly code?: CodeContext;
  readonly editor?: vscode.TextEditor;
}

/** The selection of the active editor, else its whole file, else nothing. */
function editorCode(editor = vscode.window.activeTextEditor): { code?: CodeContext; editor?: vscode.TextEditor } {
  const code = editor && contextFromEditor(editor, readConfig().maxContextChars);
  return code ? { code, editor } : {};
}

/** "Ask Agent…": pick the agent (or name it in the arguments), then ask as `ask` does. */
export async function askAgent(panels: ArchitectPanels, agents: AgentChooser, arg: unknown): Promise<TurnResult | undefined> {
  const named = askArgs(arg).agent;
  const agent = named ? await agents.find(named) : await agents.pick(vscode.l10n.t('LinguaLeap: Ask Agent'));
  if (!agent) {
    if (named) {
      void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: no usable agent is named “{0}”.', named));
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
    void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: this agent cannot answer: {0}', problem ?? vscode.l10n.t('the file is not an agent file')));
    return undefined;
  }
  // The agent file itself is not the code to ask about.
  const asked = await promptForQuestion(panels, agent, false);
  return asked === undefined ? undefined : panels.ask(asked.question, [], undefined, agent);
}

/** What a code block's Apply replaces: the selection, else the whole document. */
function originRange(editor: vscode.TextEditor): vscode.Range {
  const { document, selection } = editor;
  return selection.isEmpty ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) : selection;
}

/** What the question box says goes with the question: "About the selection in src/x.ts, lines 3–9. …". */
function aboutCode(code: CodeContext): string {
  const where = describeReference(code.reference);
  if (code.reference.kind === 'selection') {
    return code.reference.truncated
      ? vscode.l10n.t('About the selection in {0} (cut to fit). Leave empty to have it reviewed.', where)
      : vscode.l10n.t('About the selection in {0}. Leave empty to have it reviewed.', where);
  }
  return code.reference.truncated
    ? vscode.l10n.t('About {0} (cut to fit). Leave empty to have it reviewed.', where)
    : vscode.l10n.t('About {0}. Leave empty to have it reviewed.', where);
}

/** How long typing pauses before the estimate is made again: it never holds up a keystroke. */
const ESTIMATE_DELAY_MS = 150;

/**
 * The question box. Its prompt says what code goes with the question (`withEditor`: the active
 * editor's selection, else its file, followed as the selection changes), then the estimate of
 * what the question would send and cost, made again when the question, the selection or a
 * conversation changes. (The prompt, not a validation message: VS Code shows a validation
 * message instead of the prompt.) Escape resolves undefined; an empty question is a request
 * for a review.
 */
function promptForQuestion(panels: ArchitectPanels, agent: AgentDefinition | undefined, withEditor: boolean): Promise<Asked | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = agent ? vscode.l10n.t('Ask {0}', agentDisplayName(agent)) : vscode.l10n.t('Ask LinguaLeap Architect');
    box.ignoreFocusOut = true;
    let current = withEditor ? editorCode() : {};
    let settled = false;
    /** The estimate's line, once made; kept until a newer one replaces it. */
    let estimated = '';
    let seq = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const describe = () => {
      const { code } = current;
      const about = code ? aboutCode(code) : withEditor ? vscode.l10n.t('No editor is open, so only your question is sent.') : vscode.l10n.t('Only your question is sent.');
      box.prompt = `${about.replace(/\s+/g, ' ')}${estimated ? `\n${estimated}` : ''}`;
      box.placeholder = code ? vscode.l10n.t('e.g. How should this scale to 100k concurrent learners?') : vscode.l10n.t('e.g. How should I store conversation history?');
    };
    const estimate = (delay: number) => {
      clearTimeout(timer);
      const mine = ++seq;
      timer = setTimeout(() => {
        void panels
          .estimate(box.value, current.code ? [current.code] : [], agent)
          .catch(() => undefined)
          .then((result) => {
            // A later keystroke or selection made a newer one; a closed box shows nothing.
            if (mine !== seq || settled) {
              return;
            }
            estimated = result ? vscode.l10n.t('Estimate: {0}', estimateText(result).line) : '';
            describe();
          });
      }, delay);
    };
    const followEditor = (editor: vscode.TextEditor | undefined) => {
      if (!withEditor || !editor || editor !== vscode.window.activeTextEditor) {
        return;
      }
      current = editorCode(editor);
      describe();
      estimate(ESTIMATE_DELAY_MS);
    };
    const subscriptions = [
      box.onDidChangeValue(() => estimate(ESTIMATE_DELAY_MS)),
      vscode.window.onDidChangeTextEditorSelection((event) => followEditor(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor(followEditor),
      panels.onDidChange(() => estimate(0)),
      box.onDidAccept(() => {
        settled = true;
        resolve({ question: box.value, ...current });
        box.hide();
      }),
      box.onDidHide(() => {
        settled = true;
        clearTimeout(timer);
        resolve(undefined);
        for (const subscription of subscriptions) {
          subscription.dispose();
        }
        box.dispose();
      }),
    ];
    describe();
    box.show();
    estimate(0);
  });
}
