/**
 * The one table that maps an agent's model alias to a current Claude model id, and the
 * rule that decides which model a request uses. Pure.
 */
import type { AgentModel, ModelAlias } from './parse';

/** Current Claude models for each alias an agent file may name. */
export const MODEL_ALIASES: Readonly<Record<ModelAlias, string>> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
};

/** Used when the agent names no model, or `inherit` (there is no parent model to inherit). */
export const DEFAULT_MODEL = MODEL_ALIASES.sonnet;

/** Tokens of context (input and answer together) of a model missing from `CONTEXT_WINDOWS`. */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

/**
 * The context window of each current Claude model, in tokens: the request and its answer
 * must fit in it. Dated snapshots (`claude-sonnet-5-5-20261001`) match their base id.
 */
export const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  [MODEL_ALIASES.opus]: 200_000,
  [MODEL_ALIASES.sonnet]: 200_000,
  [MODEL_ALIASES.haiku]: 200_000,
};

/** The context window of `model`, or `DEFAULT_CONTEXT_WINDOW` for a model not in the table. */
export function contextWindowOf(model: string): number {
  const id = model.trim().toLowerCase();
  const base = id.replace(/-\d{8}$/, '');
  for (const key of [id, base]) {
    if (Object.prototype.hasOwnProperty.call(CONTEXT_WINDOWS, key)) {
      return CONTEXT_WINDOWS[key];
    }
  }
  return DEFAULT_CONTEXT_WINDOW;
}

/** Which model a request uses, and what chose it (named in "model not found" messages). */
export interface ResolvedModel {
  readonly id: string;
  readonly source: 'setting' | 'agent' | 'default' | 'chat';
}

/**
 * The `lingualeap.model` setting wins; otherwise the agent's alias or id; otherwise the default.
 */
export function resolveModel(agentModel: AgentModel | undefined, settingOverride: string | undefined): ResolvedModel {
  const override = settingOverride?.trim();
  if (override) {
    const alias = override.toLowerCase();
    return { id: alias in MODEL_ALIASES ? MODEL_ALIASES[alias as ModelAlias] : override, source: 'setting' };
  }
  switch (agentModel?.kind) {
    case 'alias':
      return { id: MODEL_ALIASES[agentModel.alias], source: 'agent' };
    case 'id':
      return { id: agentModel.id, source: 'agent' };
    case 'inherit':
    case undefined:
      return { id: DEFAULT_MODEL, source: 'default' };
  }
}

/** Words for where the model came from, for a message about a model that was not found. */
export function describeModelSource(model: ResolvedModel, agentSource: string): string {
  switch (model.source) {
    case 'setting':
      return 'the "lingualeap.model" setting';
    case 'agent':
      return `the "model" field of ${agentSource}`;
    case 'default':
      return 'the extension\'s default model';
    case 'chat':
      return 'the model picked in the Chat view';
  }
}
