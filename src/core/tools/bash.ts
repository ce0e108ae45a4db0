/**
 * Bash: one command in the user's shell, in the first workspace folder, only after the user said
 * yes (once, or for the conversation). Its whole process tree is stopped on timeout, on Stop, and
 * when the shell exits (nothing is left running in the background).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import * as l10n from '@vscode/l10n';
import treeKill from 'tree-kill';
import { InputReader } from './input';
import { HeadTail, plainText, shortQuote } from './text';
import { type ToolHost, type ToolOutcome, type ToolSession } from './types';

/** Milliseconds a command may run when the model gives no `timeout`. */
export const BASH_DEFAULT_TIMEOUT_MS = 120_000;
/** The longest `timeout` accepted. */
export const BASH_MAX_TIMEOUT_MS = 600_000;
/** Characters of output kept: the first and the last half. */
export const BASH_MAX_OUTPUT_CHARS = 30_000;
/** After the shell exits, how long its output pipes may stay open (a background child holding them). */
const DRAIN_MS = 200;

/** Runs Bash. Bad input throws `BadInput` (runTool's to report); refusals are error outcomes. */
export async function runBash(input: unknown, host: ToolHost, session: ToolSession, signal: AbortSignal): Promise<ToolOutcome> {
  const reader = new InputReader('Bash', input);
  const command = reader.requiredString('command', 'the shell command to run');
  const timeout =
    reader.optionalInteger('timeout', { min: 1, max: BASH_MAX_TIMEOUT_MS, what: 'a time in milliseconds' }) ?? BASH_DEFAULT_TIMEOUT_MS;
  const description = reader.optionalString('description');
  const quoted = shortQuote(command);
  // `message` goes to the model (English); `summary` is the step's title.
  const refuse = (message: string, summary = l10n.t('Bash `{0}` · not run', quoted)): ToolOutcome => ({ content: message, isError: true, summary, files: [] });

  const cwd = host.roots[0];
  if (cwd === undefined) {
    return refuse('No workspace folder is open, so there is nowhere to run the command; it did not run.');
  }
  if (host.bash === 'never') {
    return refuse('Running commands is turned off (the lingualeap.tools.bash setting is "never"), so the command did not run.');
  }
  if (!host.trusted) {
    return refuse('This workspace is in Restricted Mode, where commands never run; the user can trust the workspace to allow them.');
  }
  if (!session.allowedCommands.has(command)) {
    const consent = await host.confirmBash(description === undefined ? { command, cwd } : { command, cwd, description });
    signal.throwIfAborted();
    if (consent === 'deny') {
      return refuse('The user denied running this command; it did not run. Do not try it again unless the user asks.', l10n.t('Bash `{0}` · denied', quoted));
    }
    if (consent === 'allowConversation') {
      session.allowedCommands.add(command);
    }
  }
  signal.throwIfAborted();
  const result = await runCommand(command, cwd, timeout, signal);
  signal.throwIfAborted();
  const output = result.output.trim() === '' ? '(no output)' : result.output.replace(/\n+$/, '');
  if (result.error) {
    return refuse(`The command could not start: ${result.error}.`, l10n.t('Bash `{0}` · failed to start', quoted));
  }
  if (result.timedOut) {
    return {
      content: `${output}\n\nThe command timed out after ${formatMs(timeout)} and was stopped, with every process it started.`,
      isError: true,
      summary: l10n.t('Bash `{0}` · timed out after {1}', quoted, formatMs(timeout)),
      files: [],
    };
  }
  if (result.code === null) {
    return {
      content: `${output}\n\nThe command was killed by ${result.signal ?? 'a signal'}.`,
      isError: true,
      summary: result.signal ? l10n.t('Bash `{0}` · killed by {1}', quoted, result.signal) : l10n.t('Bash `{0}` · killed by a signal', quoted),
      files: [],
    };
  }
  return {
    content: `${output}\n\nExit code ${result.code}`,
    isError: result.code !== 0,
    summary: l10n.t('Bash `{0}` · exit {1}', quoted, result.code),
    files: [],
    exitCode: result.code,
  };
}

interface CommandResult {
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error?: string;
}

/** The environment of a command: the extension's, without the Anthropic key. */
export function commandEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.keys(copy)) {
    if (name.toUpperCase() === 'ANTHROPIC_API_KEY') {
      delete copy[name];
    }
  }
  return copy;
}

/** Runs the command to its end, its timeout, or the signal; stdout and stderr interleaved as they arrive. */
function runCommand(command: string, cwd: string, timeout: number, signal: AbortSignal): Promise<CommandResult> {
  return new Promise((resolve) => {
    const posix = process.platform !== 'win32';
    // POSIX: /bin/sh -c in its own process group, so the group can be killed at once. Windows:
    // the default shell (cmd), tree-kill's taskkill /T reaches the children.
    const child = posix
      ? spawn('/bin/sh', ['-c', command], { cwd, env: commandEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn(command, { cwd, env: commandEnv(), stdio: ['ignore', 'pipe', 'pipe'], shell: true, windowsHide: true });
    const output = new HeadTail(BASH_MAX_OUTPUT_CHARS);
    const stdoutText = new StringDecoder('utf8');
    const stderrText = new StringDecoder('utf8');
    let timedOut = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    const finish = (result: Partial<CommandResult>): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      output.push(stdoutText.end() + stderrText.end());
      // Whatever the command left running in the background goes with it.
      killTree(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ output: plainText(output.text()), code: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, ...result });
    };
    const onAbort = (): void => {
      killTree(child);
      finish({});
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
      finish({});
    }, timeout);
    signal.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => output.push(stdoutText.write(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => output.push(stderrText.write(chunk)));
    child.on('error', (err) => finish({ error: err.message }));
    child.on('exit', (code, exitSignal) => {
      exit = { code, signal: exitSignal };
      // Wait briefly for the pipes to empty; a background child keeping them open is stopped after.
      setTimeout(() => finish({}), DRAIN_MS).unref();
    });
    child.on('close', () => finish({}));
  });
}

/**
 * SIGKILL to the process and its descendants (tree-kill walks them through their parents), then,
 * on POSIX, to its process group: that reaches children whose parent already exited.
 */
function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) {
    return;
  }
  const killGroup = (): void => {
    if (process.platform !== 'win32') {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is already empty.
      }
    }
  };
  if (treeKillWorks()) {
    treeKill(pid, 'SIGKILL', killGroup);
  } else {
    killGroup();
  }
}

let treeKillUsable: boolean | undefined;

/**
 * tree-kill spawns `ps` (Linux) or `pgrep` (macOS) without an error listener, so a missing one
 * would crash the extension host: look for it once on PATH.
 */
function treeKillWorks(): boolean {
  if (treeKillUsable === undefined) {
    const helper = process.platform === 'win32' ? undefined : process.platform === 'darwin' ? 'pgrep' : 'ps';
    treeKillUsable =
      helper === undefined || (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, helper)));
  }
  return treeKillUsable;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
