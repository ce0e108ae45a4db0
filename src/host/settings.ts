/**
 * The extension's settings, read fresh at each request so a change applies at once.
 */
import * as vscode from 'vscode';

export interface ArchitectConfig {
  /** `lingualeap.model`: overrides the agent's model when not empty. */
  readonly modelOverride: string;
  /** `lingualeap.baseUrl`, else `ANTHROPIC_BASE_URL`, else undefined (the SDK's default). */
  readonly baseUrl: string | undefined;
  readonly maxTokens: number;
  readonly maxContextChars: number;
  /** `lingualeap.maxInputTokens`: the most tokens a request may take; 0 for the model's context window. */
  readonly maxInputTokens: number;
  /** `lingualeap.chat.model`: which model answers `@lingualeap` in the Chat view. */
  readonly chatModel: 'agent' | 'chat';
  /** `lingualeap.maxRetries`: retries of a 429/5xx/529 (or a dropped connection) before giving up. */
  readonly maxRetries: number;
  /** `lingualeap.idleTimeoutSeconds` in milliseconds: a stream silent this long is stopped. */
  readonly idleTimeoutMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ArchitectConfig {
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
  };
}

/** A whole number within [min, max]; `fallback` for anything that is not a number (a hand-edited settings.json). */
function clamp(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.round(value)));
}
