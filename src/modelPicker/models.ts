/**
 * The Claude models this extension lists in the model picker: metadata only, so they are listed
 * from startup without loading the SDK. Pure (types from \`vscode\` only).
 */
import type * as vscode from 'vscode';
import { contextWindowOf, MODEL_ALIASES } from '../core/agent/models';
import type { ModelAlias } from '../core/agent/parse';

/**
 * `isUserSelectable` is not in the 1.104 typings, but editors that know it list only models
 * that set it; the extension host passes it through.
 */
export interface ClaudeModelInformation extends vscode.LanguageModelChatInformation {
  readonly isUserSelectable: boolean;
}

/** What the models may write; the request asks for `REQUEST_MAX_TOKENS`. They read up to their context window. */
const MAX_OUTPUT_TOKENS = 64_000;

/** Sonnet first: the default of the agent files, and what the picker should offer first. */
const ALIAS_ORDER: readonly ModelAlias[] = ['sonnet', 'opus', 'haiku'];

/**
 * What the picker says of a model besides its name, in the display language. The caller makes
 * it: `register.ts` with `vscode.l10n.t`, since this file is also in the startup bundle, where
 * `@vscode/l10n` has no translations (see `src/host/l10n.ts`); `provider.ts` with `l10n.t`.
 */
export interface ModelTexts {
  /** The model's hover: with a key, through it; without one, how to set it. */
  readonly tooltip: (name: string, id: string, hasKey: boolean) => string;
  /** Next to the name when there is no key. */
  readonly keyNeeded: string;
}

/** The models offered, from the one alias table in `src/agent/models.ts`; without `texts`, no tooltip or detail. */
export function claudeModels(hasKey: boolean, texts?: ModelTexts): ClaudeModelInformation[] {
  return ALIAS_ORDER.map((alias) => {
    const id = MODEL_ALIASES[alias];
    const version = /(\d+)-(\d+)$/.exec(id)?.slice(1).join('.') ?? id;
    const name = `Claude ${alias[0].toUpperCase()}${alias.slice(1)} ${version}`;
    return {
      id,
      name,
      family: `claude-${alias}`,
      version,
      maxInputTokens: contextWindowOf(id),
      maxOutputTokens: MAX_OUTPUT_TOKENS,
      ...(texts ? { tooltip: texts.tooltip(name, id, hasKey) } : {}),
      ...(hasKey || !texts ? {} : { detail: texts.keyNeeded }),
      capabilities: { toolCalling: true, imageInput: true },
      isUserSelectable: true,
    };
  });
}

