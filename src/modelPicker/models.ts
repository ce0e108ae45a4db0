/**
 * The Claude models this extension lists in the model picker: metadata only, so they are listed
 * from startup without loading the SDK. Pure (types from \`vscode\` only).
 */
import * as l10n from '@vscode/l10n';
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
 * The models offered, from the one alias table in `src/agent/models.ts`, with what the picker
 * says of each besides its name (in the display language: every host bundle hands `@vscode/l10n`
 * VS Code's strings, `src/host/l10n.ts`): with a key, through it; without one, how to set it.
 */
export function claudeModels(hasKey: boolean): ClaudeModelInformation[] {
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
      tooltip: hasKey
        ? l10n.t('{0} ({1}) through your Anthropic API key.', name, id)
        : l10n.t('{0} ({1}). Set your Anthropic API key with “LinguaLeap: Set Anthropic API Key” to use it.', name, id),
      ...(hasKey ? {} : { detail: l10n.t({ message: 'API key needed', comment: ['Shown next to a Claude model in the model picker when no Anthropic API key is set'] }) }),
      capabilities: { toolCalling: true, imageInput: true },
      isUserSelectable: true,
    };
  });
}

