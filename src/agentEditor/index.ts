/**
 * Agent files as a language: Claude Code agent files (`.claude/agents/**\/*.md`, the project's
 * and the user's) get diagnostics in the Problems view, quick fixes, completions and hovers in
 * the front matter, a CodeLens to ask the agent or preview its system prompt, and that preview.
 * Registering reads nothing: the analysis is loaded when the first agent file is opened.
 */
import type * as vscode from 'vscode';
import type { AgentDirectory, AgentFileActions } from '../host/agents';
import { AgentDiagnostics } from './diagnostics';
import { registerAgentProviders } from './providers';
import { SystemPromptPreviews } from './systemPrompt';

export interface AgentEditorDeps {
  /** Every agent file, for duplicate names; its `onDidChange` refreshes diagnostics and previews. */
  readonly directory: AgentDirectory;
  readonly log: vscode.LogOutputChannel;
}

/**
 * Registers the agent-file editor features; every disposable goes to `context.subscriptions`.
 * Returns what the `lingualeap.previewSystemPrompt` command calls.
 */
export function registerAgentEditor(context: vscode.ExtensionContext, deps: AgentEditorDeps): AgentFileActions {
  const previews = new SystemPromptPreviews(deps.directory, deps.log);
  context.subscriptions.push(new AgentDiagnostics(deps.directory, deps.log), registerAgentProviders(deps.directory), previews);
  return { previewSystemPrompt: (file) => previews.previewSystemPrompt(file) };
}
