/**
 * What the adapters see of the agents the user has: the agent registry
 * (`src/agentRegistry`) implements `AgentDirectory`, the agent-file editor (`src/agentEditor`)
 * implements `AgentFileActions`, and `extension.ts` hands each to whoever needs it.
 */
import type * as vscode from 'vscode';
import type { AgentScope } from '../core/agent/catalog';
import type { AgentDefinition } from '../core/agent/parse';

/** One agent file found, as the catalog lists it. */
export interface AgentFileEntry {
  /** The `name` the file declares (undefined when it declares none or cannot be read). */
  readonly name: string | undefined;
  readonly scope: AgentScope;
  readonly uri: vscode.Uri;
}

export interface AgentDirectory {
  /** Every agent file of the project, the user and the extension, read as they are on disk now. */
  files(): Promise<readonly AgentFileEntry[]>;
  /** An agent file was added, changed or deleted. */
  readonly onDidChange: vscode.Event<void>;
  /** Where the user's agents live: `~/.claude/agents` (tests point it elsewhere). */
  readonly userFolder: vscode.Uri;
}

export interface AgentFileActions {
  /** Opens, read-only and beside the file, exactly what is sent as `system` for the agent that file defines. */
  previewSystemPrompt(file: vscode.Uri): Promise<void>;
}

/** Choosing agents, for the commands: the agent registry implements it. */
export interface AgentChooser {
  /** The quick pick of every agent; undefined when dismissed. */
  pick(title: string): Promise<AgentDefinition | undefined>;
  /** The usable agent of that name, if any. */
  find(name: string): Promise<AgentDefinition | undefined>;
  /** The agent a file defines, or why it cannot answer. */
  agentIn(file: vscode.Uri): Promise<{ agent?: AgentDefinition; problem?: string }>;
  /** Chooses the default agent (`lingualeap.agent`); resolves with its name. */
  chooseDefault(): Promise<string | undefined>;
  /** Scaffolds a new agent file and opens it. */
  newAgent(): Promise<vscode.Uri | undefined>;
}
