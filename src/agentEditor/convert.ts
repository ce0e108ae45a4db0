/**
 * The core's plain data (0-based ranges, severities as words, Markdown as strings) to VS Code's
 * classes. Ranges map 1:1: the core counts lines and characters as `vscode.Position` does.
 */
import * as vscode from 'vscode';
import type { AgentCompletion, AgentHover } from '../core/agent/editor';
import type { AgentDiagnostic, AgentEdit, AgentRange, AgentSeverity } from '../core/agent/diagnostics';

/** The Problems view's source for every agent-file diagnostic. */
export const DIAGNOSTIC_SOURCE = 'LinguaLeap';

const SEVERITIES: Readonly<Record<AgentSeverity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const COMPLETION_KINDS: Readonly<Record<AgentCompletion['kind'], vscode.CompletionItemKind>> = {
  field: vscode.CompletionItemKind.Property,
  tool: vscode.CompletionItemKind.Function,
  model: vscode.CompletionItemKind.EnumMember,
  color: vscode.CompletionItemKind.EnumMember,
};

/** Keys whose value has completions of its own: after inserting `tools: `, the list opens again. */
const KEYS_WITH_VALUES: ReadonlySet<string> = new Set(['tools', 'model', 'color']);

function toRange(range: AgentRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
}

/**
 * A diagnostic for the Problems view. The core's messages are written to follow a file name
 * ("x.md: the front matter has no …"); standing alone they start with a capital.
 */
export function toDiagnostic(diagnostic: AgentDiagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toRange(diagnostic.range), sentenceCase(diagnostic.message), SEVERITIES[diagnostic.severity]);
  result.source = DIAGNOSTIC_SOURCE;
  result.code = diagnostic.code;
  return result;
}

/**
 * Capitalizes a first word of lowercase letters (`the`, `this`), never a name that happens to
 * start the sentence (`mcp__github`, `~/.claude/…`, `"reed"`).
 */
function sentenceCase(message: string): string {
  return /^[a-z]+(?=[\s,;:])/.test(message) ? message[0].toUpperCase() + message.slice(1) : message;
}

/** Whether a VS Code diagnostic shows this core diagnostic (the code action context carries copies). */
export function sameDiagnostic(shown: vscode.Diagnostic, diagnostic: AgentDiagnostic): boolean {
  return (
    shown.source === DIAGNOSTIC_SOURCE &&
    shown.code === diagnostic.code &&
    shown.message === sentenceCase(diagnostic.message) &&
    shown.range.isEqual(toRange(diagnostic.range))
  );
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: readonly AgentEdit[]): vscode.WorkspaceEdit {
  const result = new vscode.WorkspaceEdit();
  result.set(
    uri,
    edits.map((edit) => vscode.TextEdit.replace(toRange(edit.range), edit.newText)),
  );
  return result;
}

export function toCompletionItem(completion: AgentCompletion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(completion.label, COMPLETION_KINDS[completion.kind]);
  item.detail = completion.detail;
  if (completion.documentation !== undefined) {
    item.documentation = untrustedMarkdown(completion.documentation);
  }
  item.insertText = completion.insertText;
  item.range = toRange(completion.range);
  item.sortText = completion.sortText;
  if (completion.kind === 'field' && KEYS_WITH_VALUES.has(completion.label)) {
    item.command = { title: vscode.l10n.t('Suggest values'), command: 'editor.action.triggerSuggest' };
  }
  return item;
}

export function toHover(hover: AgentHover): vscode.Hover {
  return new vscode.Hover(untrustedMarkdown(hover.markdown), toRange(hover.range));
}

/**
 * Markdown from the extension's own tables, shown untrusted anyway: no command links, no HTML,
 * so nothing in a hover can run anything.
 */
function untrustedMarkdown(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
