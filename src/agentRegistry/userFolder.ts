/**
 * Where the user's own agents live, as Claude Code keeps them: `~/.claude/agents`.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';

/** `~/.claude/agents`; `LINGUALEAP_USER_AGENTS_DIR` moves it, for the tests, which must not touch the real one. */
export function userAgentsFolder(env: NodeJS.ProcessEnv = process.env): vscode.Uri {
  const override = env.LINGUALEAP_USER_AGENTS_DIR?.trim();
  return vscode.Uri.file(override || `${homedir()}/.claude/agents`);
}
