/**
 * Parses a Claude Code agent file (YAML front matter + Markdown body) into a typed agent
 * and a list of problems. Pure: no `vscode`, no file system, never throws for bad input.
 */
import { analyzeAgentText, LOAD_CODES, MAX_AGENT_FILE_CHARS } from './analyze';
import type { AgentRange } from './frontMatter';

/** What the agent's `model` field asked for. */
export type AgentModel =
  | { readonly kind: 'alias'; readonly alias: ModelAlias }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'inherit' };

export type ModelAlias = 'sonnet' | 'opus' | 'haiku';

/** A parsed agent. `body` is the system prompt, sent as the API's `system` parameter. */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly tools: readonly string[];
  /** Undefined when the file names no model (the default model is used). */
  readonly model?: AgentModel;
  readonly color?: string;
  readonly body: string;
  /** Where the file came from, for messages. */
  readonly source: string;
}

/** One thing wrong with an agent file; `error` problems mean no agent was produced. */
export interface AgentProblem {
  /** `hint`: harmless (an unused key); for the Problems view, never a notification. */
  readonly severity: 'error' | 'warning' | 'hint';
  /** The front-matter key at fault, when there is one. */
  readonly field?: string;
  /** A sentence naming the file (and the field) and what is wrong. */
  readonly message: string;
  /** The check's id, as in `diagnoseAgentText` (`missing-name`, `unknown-key` …). */
  readonly code?: string;
  /** Where in the file, 0-based like `vscode.Range`. */
  readonly range?: AgentRange;
}

export interface AgentParseResult {
  readonly agent?: AgentDefinition;
  readonly problems: readonly AgentProblem[];
}

export { MAX_AGENT_FILE_CHARS };

/**
 * Parses the text of an agent file. `source` names the file in every problem. The front matter
 * is read as Claude Code reads it (see `frontMatter.ts`: strict YAML, else field by field, so
 * multi-line example descriptions load) and never runs code. Only the checks that decide how
 * the agent loads are reported here (`LOAD_CODES`); the editor shows all of them.
 */
export function parseAgentFile(text: string, source: string): AgentParseResult {
  const { fields, diagnostics } = analyzeAgentText(text, source);
  const problems: AgentProblem[] = diagnostics
    .filter((d) => LOAD_CODES.has(d.code))
    .map((d) => ({
      severity: d.severity === 'info' ? 'hint' : d.severity,
      field: d.field,
      message: `${source}: ${d.message}`,
      code: d.code,
      range: d.range,
    }));
  if (!fields || fields.name === undefined || fields.description === undefined) {
    return { problems };
  }
  const { name, description, tools, model, color, body } = fields;
  return { agent: { name, description, tools, model, color, body, source }, problems };
}
