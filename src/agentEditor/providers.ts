/**
 * Quick fixes, completions, hovers and the CodeLens of an agent file: thin adapters over the
 * core's `diagnoseAgentText`, `completionsAt`, `hoverAt` and `parseAgentFile`.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../contributes/ids';
import type { AgentDirectory } from '../host/agents';
import { DIAGNOSTIC_SOURCE, sameDiagnostic, toCompletionItem, toHover, toWorkspaceEdit } from './convert';
import { agentFileLabel, agentFileSelector, isAgentDocument, scopeOf } from './documents';
import { loadAgentCore } from './lazyCore';

/** Typing these in the front matter offers completions without Ctrl+Space. */
const TRIGGER_CHARACTERS = [':', ',', ' ', '['];

export function registerAgentProviders(directory: AgentDirectory): vscode.Disposable {
  const selector = agentFileSelector(directory.userFolder);
  const isAgent = (document: vscode.TextDocument): boolean => isAgentDocument(document, directory.userFolder);
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(selector, new AgentQuickFixes(directory), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        provideCompletionItems: async (document, position) =>
          isAgent(document) ? (await loadAgentCore()).completionsAt(document.getText(), position.line, position.character).map(toCompletionItem) : [],
      },
      ...TRIGGER_CHARACTERS,
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover: async (document, position) => {
        const hover = isAgent(document) ? (await loadAgentCore()).hoverAt(document.getText(), position.line, position.character) : undefined;
        return hover && toHover(hover);
      },
    }),
    vscode.languages.registerCodeLensProvider(selector, new AgentCodeLenses(directory)),
  );
}

/**
 * The core's fixes for the diagnostics in range, each with its diagnostic attached. The fixes
 * are computed again from the document's text as it is now, and matched to the diagnostics the
 * editor passes back by code, range and message, so an edit never applies to text it was not
 * made for. Exported for the integration test: `vscode.executeCodeActionProvider` does not
 * return the attached diagnostics.
 */
export class AgentQuickFixes implements vscode.CodeActionProvider {
  constructor(private readonly directory: AgentDirectory) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const shown = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!isAgentDocument(document, this.directory.userFolder) || shown.length === 0 || (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix))) {
      return [];
    }
    const core = await loadAgentCore();
    // Duplicate names (the only check that needs the other agents) have no fix.
    const { userFolder } = this.directory;
    const scope = scopeOf(document.uri, userFolder);
    const diagnostics = core.diagnoseAgentText(document.getText(), { fileName: agentFileLabel(document.uri, scope, userFolder), scope });
    const actions: vscode.CodeAction[] = [];
    for (const vsDiagnostic of shown) {
      const diagnostic = diagnostics.find((d) => sameDiagnostic(vsDiagnostic, d));
      for (const fix of diagnostic?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(document.uri, fix.edits);
        action.diagnostics = [vsDiagnostic];
        // One fix is the obvious one; between a rename and a removal the user chooses.
        action.isPreferred = diagnostic?.fixes.length === 1;
        actions.push(action);
      }
    }
    return actions;
  }
}

/**
 * "Ask this agent" and "Preview system prompt" over the front matter's first line, for a file
 * that defines an agent; a file that does not parse only shows its diagnostics.
 */
class AgentCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private coreLoaded = false;

  constructor(private readonly directory: AgentDirectory) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!isAgentDocument(document, this.directory.userFolder)) {
      return [];
    }
    const core = await loadAgentCore();
    if (!this.coreLoaded) {
      // The first request waited for the analysis to load and the editor may have given up on
      // it: ask for the lenses once more, now that they come at once.
      this.coreLoaded = true;
      setTimeout(() => this.changed.fire(), 0);
    }
    const source = agentFileLabel(document.uri, scopeOf(document.uri, this.directory.userFolder), this.directory.userFolder);
    if (!core.parseAgentFile(document.getText(), source).agent) {
      return [];
    }
    const range = document.lineAt(0).range;
    return [
      new vscode.CodeLens(range, { title: vscode.l10n.t('Ask this agent'), command: COMMANDS.askThisAgent, arguments: [document.uri] }),
      new vscode.CodeLens(range, { title: vscode.l10n.t('Preview system prompt'), command: COMMANDS.previewSystemPrompt, arguments: [document.uri] }),
    ];
  }
}
