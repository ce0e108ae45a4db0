/**
 * What the commands see of the architect's panels. The panel manager (`src/panel/panelManager.ts`)
 * implements it and `extension.ts` hands it to the commands, so no adapter reaches into another.
 */
import type * as vscode from 'vscode';
import type { AgentDefinition } from '../core/agent/parse';
import type { StoredConversation } from '../core/conversation/conversation';
import type { TurnResult } from '../core/llm/pipeline';
import type { CodeContext } from '../core/prompt/context';
import type { QuestionEstimate } from '../core/usage/answer';
import type { CodeAction, TurnAction } from '../shared/protocol';

/** The editor range a question was about: Insert and Apply go back there. */
export interface AskOrigin {
  readonly uri: vscode.Uri;
  readonly range: vscode.Range;
}

/** The conversation the panel in front shows, and the agent answering there. */
export interface ShownConversation {
  readonly conversation: StoredConversation;
  readonly agentName: string;
}

export interface ArchitectPanels {
  /**
   * Asks `agent` (else the default agent) in its open panel (revealed), or a new one
   * (`lingualeap.panel.reuse` off: always new); resolves when answered.
   */
  ask(question: string, contexts: readonly CodeContext[], origin?: AskOrigin, agent?: AgentDefinition): Promise<TurnResult>;
  /**
   * Opens (without focus) the panel a question to `agent` will go to, while the question is still
   * being typed, so its page has loaded by Enter. `discard()` closes it again if it was opened
   * for this and nothing was asked (Escape in the question box).
   */
  prepare(agent?: AgentDefinition): Promise<{ discard(): void }>;
  /**
   * What `question` with `contexts` would send and cost in the conversation it would go to
   * (`agent`'s open panel, else a new one). Reads nothing from the network; undefined when the
   * agent cannot be read.
   */
  estimate(question: string, contexts: readonly CodeContext[], agent?: AgentDefinition): Promise<QuestionEstimate | undefined>;
  /** A conversation changed: a question was asked or answered, a new one started, another shown. */
  readonly onDidChange: vscode.Event<void>;
  /** A follow-up in the panel in front, as if typed in its box; undefined when no panel is open. */
  followUp(question: string): Promise<TurnResult> | undefined;
  /** Starts a new conversation in the panel in front (opening one if needed); resolves with its id. */
  newConversation(): Promise<string>;
  /** Shows a stored conversation in the panel in front (opening one if needed). */
  showConversation(conversation: StoredConversation): Promise<void>;
  /** The panel in front's conversation, if a panel is open. */
  readonly shown: ShownConversation | undefined;
  /** A code block's button in the panel in front, as if pressed (the code must be part of that turn's answer). */
  runCodeAction(turnId: string, action: CodeAction, code: string, language: string): Promise<void> | undefined;
  /** A failed turn's button in the panel in front, as if pressed. */
  runAction(turnId: string, action: TurnAction): Promise<void> | undefined;
  /** Stops every answer streaming in any panel. */
  stopAll(): void;
  /** Accept / Discard of a proposed change shown in a diff editor. */
  acceptProposal(arg?: unknown): Promise<boolean>;
  discardProposal(arg?: unknown): Promise<void>;
}
