/**
 * The extension's settings, read fresh at each use so a change applies at once. Every
 * `lingualeap.*` setting is read here and nowhere else.
 */
import * as vscode from 'vscode';
import type { ArchitectSettings } from '../core/architect/architect';
import { DEFAULT_EXCLUDE } from '../core/tools';

export interface ExtensionSettings extends ArchitectSettings {
  readonly maxContextChars: number;
  /** `lingualeap.chat.model`: which model answers `@lingualeap` in the Chat view. */
  readonly chatModel: 'agent' | 'chat';
  /** `lingualeap.agent`: the name of the workspace agent that answers; empty for the bundled one. */
  readonly agent: string;
  /** `lingualeap.panel.reuse`: asking from the editor adds to the open panel. */
  readonly panelReuse: boolean;
  /** `lingualeap.tools.bash`: `ask` before each command (default), or `never` run one. */
  readonly toolsBash: 'ask' | 'never';
  /** `lingualeap.tools.exclude`: globs the tools never read, list or search. */
  readonly toolsExclude: readonly string[];
  /** `lingualeap.confirmAboveDollars`: a question estimated above this asks first; 0 never asks. */
  readonly confirmAboveDollars: number;
  /** `lingualeap.budget.monthlyDollars`: this machine's monthly budget for the key; 0 for none. */
  readonly budgetMonthlyDollars: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ExtensionSettings {
  const config = vscode.workspace.getConfiguration('lingualeap');
  const baseUrl = config.get<string>('baseUrl', '').trim() || env.ANTHROPIC_BASE_URL?.trim() || undefined;
  return {
    modelOverride: config.get<string>('model', '').trim(),
    baseUrl,
    maxTokens: config.get<number>('maxTokens', 4096),
    maxContextChars: config.get<number>('maxContextChars', 60000),
    maxInputTokens: clamp(config.get<number>('maxInputTokens', 0), 0, 10_000_000, 0),
    chatModel: config.get<string>('chat.model', 'agent') === 'chat' ? 'chat' : 'agent',
    maxRetries: clamp(config.get<number>('maxRetries', 2), 0, 10, 2),
    idleTimeoutMs: clamp(config.get<number>('idleTimeoutSeconds', 60), 1, 3600, 60) * 1000,
    agent: config.get<string>('agent', '').trim(),
    panelReuse: config.get<boolean>('panel.reuse', true) !== false,
    toolsMaxSteps: clamp(config.get<number>('tools.maxSteps', 25), 1, 200, 25),
    toolsBash: config.get<string>('tools.bash', 'ask') === 'never' ? 'never' : 'ask',
    toolsWeb: config.get<boolean>('tools.web', true) !== false,
    toolsExclude: stringList(config.get<unknown>('tools.exclude'), DEFAULT_EXCLUDE),
    confirmAboveDollars: dollars(config.get<unknown>('confirmAboveDollars'), 0.25),
    budgetMonthlyDollars: dollars(config.get<unknown>('budget.monthlyDollars'), 0),
  };
}

/** An amount of dollars, 0 or more; `fallback` for anything that is not a number (a hand-edited settings.json). */
function dollars(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1_000_000, Math.max(0, value)) : fallback;
}

/** A whole number within [min, max]; `fallback` for anything that is not a number (a hand-edited settings.json). */
function clamp(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A list of non-empty strings; `fallback` for anything else (a hand-edited settings.json). */
function stringList(value: unknown, fallback: readonly string[]): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : fallback;
}
