/**
 * The one table that maps an agent's model alias to a current Claude model id, and the
 * rule that decides which model a request uses. Pure.
 */
import * as l10n from '@vscode/l10n';
import type { AgentModel, ModelAlias } from './parse';
import { editDistance } from './toolNames';

/** Current Claude models for each alias an agent file may name. */
export const MODEL_ALIASES: Readonly<Record<ModelAlias, string>> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
};

/** Used when the agent names no model, or `inherit` (there is no parent model to inherit). */
export const DEFAULT_MODEL = MODEL_ALIASES.sonnet;

/**
 * Model names Claude Code accepts in its `/model` command but documents no meaning for in an
 * agent file, and what an agent naming one gets here. Accepted (with a note) rather than
 * ignored, since the author's intent is plain. A function: the meanings are read in the display
 * language, which is known only once the extension runs.
 */
function otherModelAliases(): Readonly<Record<string, { readonly runsAs: ModelAlias | 'default'; readonly meaning: string }>> {
  return {
    default: { runsAs: 'default', meaning: l10n.t("Claude Code's default model; here the extension's default model") },
    opusplan: {
      runsAs: 'opus',
      meaning: l10n.t('Opus for planning and Sonnet for the work in Claude Code; the architect here only plans and advises, so Opus'),
    },
    'sonnet[1m]': {
      runsAs: 'sonnet',
      meaning: l10n.t('Sonnet with the 1M-token context window in Claude Code; here Sonnet with its standard window'),
    },
  };
}

/**
 * What an agent file may write after `model:`, for completions and hovers. The `inherit` detail
 * is a getter so it is translated when read, after the display language's bundle is loaded.
 */
export const MODEL_CHOICES: readonly { readonly value: string; readonly detail: string }[] = [
  { value: 'sonnet', detail: MODEL_ALIASES.sonnet },
  { value: 'opus', detail: MODEL_ALIASES.opus },
  { value: 'haiku', detail: MODEL_ALIASES.haiku },
  {
    value: 'inherit',
    get detail() {
      return l10n.t('the model of the conversation in Claude Code; here {0}', DEFAULT_MODEL);
    },
  },
];

/** What a `model:` value means: the model, or a problem (and the alias it probably meant). */
export interface ModelReading {
  readonly model?: AgentModel;
  readonly problem?: {
    readonly severity: 'warning' | 'info';
    readonly code: 'model-type' | 'unknown-model' | 'model-alias';
    readonly message: string;
    readonly suggestion?: string;
  };
}

/** Reads a `model:` value: an alias (any case), `inherit`, a `claude-…` id, or one of `OTHER_MODEL_ALIASES`. */
export function readModel(value: unknown): ModelReading {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return {
      problem: {
        severity: 'warning',
        code: 'model-type',
        message: l10n.t('"model" must be sonnet, opus, haiku, inherit or a Claude model id; the default model is used.'),
      },
    };
  }
  const model = value.trim();
  const lower = model.toLowerCase();
  if (lower === 'inherit') {
    return { model: { kind: 'inherit' } };
  }
  if (lower in MODEL_ALIASES) {
    return { model: { kind: 'alias', alias: lower as ModelAlias } };
  }
  if (/^claude-[a-z0-9.-]+$/i.test(model)) {
    return { model: { kind: 'id', id: model } };
  }
  const others = otherModelAliases();
  const other = Object.prototype.hasOwnProperty.call(others, lower) ? others[lower] : undefined;
  if (other) {
    const runsAs = other.runsAs;
    return {
      model: runsAs === 'default' ? undefined : { kind: 'alias', alias: runsAs },
      problem: {
        severity: 'info',
        code: 'model-alias',
        message: l10n.t('"model: {0}" means {1}. In an agent file Claude Code documents sonnet, opus, haiku and inherit.', model, other.meaning),
      },
    };
  }
  const suggestion = [...Object.keys(MODEL_ALIASES), 'inherit'].find((alias) => editDistance(lower, alias) <= 2);
  return {
    problem: {
      severity: 'warning',
      code: 'unknown-model',
      message: suggestion
        ? l10n.t('"model: {0}" is not sonnet, opus, haiku, inherit or a Claude model id (did you mean "{1}"?); the default model is used.', model, suggestion)
        : l10n.t('"model: {0}" is not sonnet, opus, haiku, inherit or a Claude model id; the default model is used.', model),
      suggestion,
    },
  };
}

/** Tokens of context (input and answer together) of a model missing from `CONTEXT_WINDOWS`. */
export const DEFAULT_CONTEXT_WINDOW = 200_000;

/**
 * The context window of each current Claude model, in tokens: the request and its answer
 * must fit in it. Dated snapshots (`claude-sonnet-5-5-20261001`) match their base id.
 */
const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
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
  // Each ends the sentence "The model “{0}” was not found; check {1}." (core/llm/errors.ts).
  switch (model.source) {
    case 'setting':
      return l10n.t({ message: 'the "lingualeap.model" setting', comment: ['Ends the sentence "The model “{0}” was not found; check …": what to check'] });
    case 'agent':
      return l10n.t({ message: 'the "model" field of {0}', args: [agentSource], comment: ['Ends the sentence "The model “{0}” was not found; check …": what to check'] });
    case 'default':
      return l10n.t({ message: "the extension's default model", comment: ['Ends the sentence "The model “{0}” was not found; check …": what to check'] });
    case 'chat':
      return l10n.t({ message: 'the model picked in the Chat view', comment: ['Ends the sentence "The model “{0}” was not found; check …": what to check'] });
  }
}
