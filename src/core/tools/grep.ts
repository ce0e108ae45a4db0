/**
 * Grep: Claude Code's ripgrep tool, run with VS Code's bundled `rg`. The arguments come from one
 * pure function (`ripgrepArgs`); excluded globs are passed to rg and checked again on its output.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { InputReader } from './input';
import { fileCount, matchingLinesInFiles } from './labels';
import { type Workspace, type WorkspacePath } from './paths';
import { decodeUtf8, oneLine, plainText, plural, shortQuote } from './text';
import { type ToolFileRef, type ToolHost, type ToolOutcome } from './types';

/** Claude Code's Grep input. */
export interface GrepInput {
  pattern: string;
  path?: string;
  glob?: string;
  type?: string;
  output_mode?: GrepOutputMode;
  '-i'?: boolean;
  '-n'?: boolean;
  '-A'?: number;
  '-B'?: number;
  '-C'?: number;
  head_limit?: number;
  offset?: number;
  multiline?: boolean;
}

type GrepOutputMode = 'files_with_matches' | 'content' | 'count';
const OUTPUT_MODES: readonly GrepOutputMode[] = ['files_with_matches', 'content', 'count'];

/** Lines or entries shown when the model gives no `head_limit` (0 = no limit), as Claude Code. */
export const GREP_DEFAULT_HEAD_LIMIT = 250;
/** Characters of one matching line rg prints before it says the line is too long. */
const GREP_MAX_COLUMNS = 500;
/** Characters of output at most, whatever the head_limit. */
const GREP_MAX_OUTPUT_CHARS = 30_000;
/** Bytes read from rg at most; past this rg is stopped and the result says it was cut. */
const MAX_STDOUT_BYTES = 8 * 1024 * 1024;
/** Version-control folders never searched, whatever the exclude setting (`--hidden` would reach them). */
const VCS_FOLDERS = ['.git', '.svn', '.hg', '.jj', '.bzr'];
/** Files located and stat'ed at once when sorting by modification time. */
const STAT_BATCH = 64;

/**
 * rg's arguments for a Grep input: no config file, no color, hidden files searched (the exclude
 * globs and VCS folders are not), long lines capped, the file name always printed and followed by
 * a NUL so names with colons parse. The mode's flags, then `-e pattern -- paths`.
 */
export function ripgrepArgs(input: GrepInput, options: { exclude: readonly string[]; paths: readonly string[] }): string[] {
  const mode = input.output_mode ?? 'files_with_matches';
  const args = ['--no-config', '--color', 'never', '--hidden', '--with-filename', '--null', '--no-heading'];
  args.push('--max-columns', String(GREP_MAX_COLUMNS), '--max-columns-preview');
  if (input['-i']) {
    args.push('--ignore-case');
  }
  if (input.multiline) {
    args.push('--multiline', '--multiline-dotall');
  }
  if (input.type) {
    args.push('--type', input.type);
  }
  for (const glob of splitGlobs(input.glob ?? '')) {
    args.push('--glob', glob);
  }
  // After the model's globs: when several match, rg lets the last one win, so exclusions do.
  for (const folder of VCS_FOLDERS) {
    args.push('--glob', `!${folder}`);
  }
  for (const pattern of options.exclude) {
    if (pattern.trim() !== '') {
      args.push('--glob', `!${pattern}`);
    }
  }
  if (mode === 'files_with_matches') {
    args.push('--files-with-matches');
  } else if (mode === 'count') {
    args.push('--count', '--sort', 'path');
  } else {
    // One thread, in path order: the model reads the same result for the same search.
    args.push('--sort', 'path');
    if (input['-n'] !== false) {
      args.push('--line-number');
    }
    const context = input['-C'];
    if (context !== undefined) {
      args.push('--context', String(context));
    } else {
      if (input['-B'] !== undefined) {
        args.push('--before-context', String(input['-B']));
      }
      if (input['-A'] !== undefined) {
        args.push('--after-context', String(input['-A']));
      }
    }
  }
  args.push('--regexp', input.pattern, '--', ...options.paths);
  return args;
}

/** "*.ts *.tsx", "*.{ts,tsx}", "*.ts,*.tsx": the globs in a Glob field, braces kept whole. */
export function splitGlobs(field: string): string[] {
  const globs: string[] = [];
  for (const word of field.split(/\s+/)) {
    let depth = 0;
    let current = '';
    for (const char of word) {
      if (char === ',' && depth === 0) {
        globs.push(current);
        current = '';
        continue;
      }
      depth += char === '{' ? 1 : char === '}' && depth > 0 ? -1 : 0;
      current += char;
    }
    globs.push(current);
  }
  return globs.filter((glob) => glob !== '');
}

/** Runs Grep. Bad input throws `BadInput` (runTool's to report); refusals are error outcomes. */
export async function runGrep(input: unknown, host: ToolHost, workspace: Workspace, signal: AbortSignal): Promise<ToolOutcome> {
  const grep = readGrepInput(input);
  const quoted = shortQuote(grep.pattern, 40);
  const title = `Grep \`${quoted}\``;
  const refuse = (message: string): ToolOutcome => ({ content: message, isError: true, summary: `${title} · ${message}`, files: [] });

  const resolved = await workspace.resolve(grep.path ?? '.', 'Grep');
  if (!resolved.ok) {
    return refuse(resolved.message);
  }
  const target = resolved.path;
  if (!target.exists) {
    return refuse(`${target.display} does not exist.`);
  }
  if (!host.ripgrepPath) {
    return refuse("Grep is unavailable because VS Code's ripgrep (rg) was not found.");
  }
  const inFirstFolder = target.rel === '' && target.root === workspace.firstRoot;
  const args = ripgrepArgs(grep, { exclude: host.exclude, paths: [target.real] });
  const run = await runRipgrep(host.ripgrepPath, args, target.root, signal);
  signal.throwIfAborted();
  if ('error' in run) {
    return refuse(run.error);
  }
  if (run.code === 1 || (run.code === 0 && run.stdout.length === 0)) {
    return { content: 'No matches found', isError: false, summary: inFirstFolder ? l10n.t('Grep `{0}` · no matches', quoted) : l10n.t('Grep `{0}` in {1} · no matches', quoted, target.display), files: [{ path: target.fsPath, use: 'searched' }] };
  }
  if (run.code !== 0 && run.stdout.length === 0) {
    return refuse(ripgrepError(run.stderr, run.code));
  }
  const problems = run.code === 0 ? [] : ['(Some files could not be searched.)'];
  if (run.cut) {
    problems.push('(rg was stopped after 8 MB of output; narrow the search.)');
  }
  const result = await formatResult(grep, run.stdout, workspace, signal);
  const notes = [...result.notes, ...problems];
  return {
    content: notes.length === 0 ? result.text : `${result.text}\n\n${notes.join('\n')}`,
    isError: false,
    summary: inFirstFolder ? `${title} · ${result.summary}` : l10n.t('Grep `{0}` in {1} · {2}', quoted, target.display, result.summary),
    files: [{ path: target.fsPath, use: 'searched' }, ...result.files],
  };
}

function readGrepInput(input: unknown): GrepInput {
  const reader = new InputReader('Grep', input);
  const context = { min: 0, max: 1000, what: 'a number of lines' };
  return {
    pattern: reader.requiredString('pattern', 'the regular expression to search for'),
    path: reader.optionalString('path'),
    glob: reader.optionalString('glob'),
    type: reader.optionalString('type'),
    output_mode: reader.optionalEnum('output_mode', OUTPUT_MODES),
    '-i': reader.optionalBoolean('-i'),
    '-n': reader.optionalBoolean('-n'),
    '-A': reader.optionalInteger('-A', context),
    '-B': reader.optionalInteger('-B', context),
    '-C': reader.optionalInteger('-C', context),
    head_limit: reader.optionalInteger('head_limit', { min: 0, what: 'a number of lines or entries (0 for no limit)' }),
    offset: reader.optionalInteger('offset', { min: 0, what: 'a number of lines or entries to skip' }),
    multiline: reader.optionalBoolean('multiline'),
  };
}

type RipgrepRun = { code: number; stdout: Buffer; stderr: string; cut: boolean } | { error: string };

/** Runs rg to the end (or until the signal), stdout capped at MAX_STDOUT_BYTES. */
function runRipgrep(rgPath: string, args: string[], cwd: string, signal: AbortSignal): Promise<RipgrepRun> {
  return new Promise((resolve) => {
    const child = spawn(rgPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let cut = false;
    const onAbort = (): void => {
      child.kill();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes + chunk.length > MAX_STDOUT_BYTES) {
        stdout.push(chunk.subarray(0, MAX_STDOUT_BYTES - stdoutBytes));
        stdoutBytes = MAX_STDOUT_BYTES;
        if (!cut) {
          cut = true;
          child.kill();
        }
        return;
      }
      stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) {
        stderr += decodeUtf8(chunk);
      }
    });
    child.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ error: `Grep could not start ripgrep (${oneLine(rgPath)}): ${oneLine(err.message)}.` });
    });
    child.on('close', (code) => {
      signal.removeEventListener('abort', onAbort);
      // Stopped for its output size: what arrived is a result, not a failure.
      resolve({ code: cut ? 0 : (code ?? 2), stdout: Buffer.concat(stdout), stderr, cut });
    });
  });
}

/** rg's complaint as one sentence: a bad regex, an unknown file type, or its first line. */
export function ripgrepError(stderr: string, code: number): string {
  const text = plainText(stderr).trim();
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (/regex parse error/i.test(text)) {
    const detail = lines.find((line) => line.startsWith('error:'))?.replace(/^error:\s*/, '');
    return `The pattern is not a valid regular expression${detail ? `: ${detail}` : ''}; escape literal characters such as ( [ { with a backslash.`;
  }
  const typeMatch = /unrecognized file type: (\S+)/.exec(text);
  if (typeMatch) {
    return `rg does not know the file type "${typeMatch[1]}"; use a type such as js, ts, py or rust, or a glob instead.`;
  }
  const first = lines[0]?.replace(/^rg:\s*/, '');
  return first ? `rg failed: ${shortQuote(first, 200)}` : `rg failed with exit code ${code}.`;
}

interface Formatted {
  text: string;
  /** For the step's title, in the display language. */
  summary: string;
  notes: string[];
  files: ToolFileRef[];
}

/** rg's NUL-separated output as the model's text, paths shown relative to the first folder. */
async function formatResult(input: GrepInput, stdout: Buffer, workspace: Workspace, signal: AbortSignal): Promise<Formatted> {
  const mode = input.output_mode ?? 'files_with_matches';
  const locations = new Map<string, Promise<WorkspacePath | undefined>>();
  const locate = (file: string): Promise<WorkspacePath | undefined> => {
    let found = locations.get(file);
    if (!found) {
      found = workspace.locate(file);
      locations.set(file, found);
    }
    return found;
  };
  const text = decodeUtf8(stdout);
  const offset = input.offset ?? 0;
  const limit = input.head_limit === undefined ? GREP_DEFAULT_HEAD_LIMIT : input.head_limit;

  if (mode === 'files_with_matches') {
    const names = text.split('\0').filter((name) => name !== '');
    const files: { path: WorkspacePath; mtime: number }[] = [];
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      signal.throwIfAborted();
      const batch = await Promise.all(
        names.slice(i, i + STAT_BATCH).map(async (name) => {
          const located = await locate(name);
          const stat = located && (await fs.stat(located.real).catch(() => undefined));
          return located ? { path: located, mtime: stat ? stat.mtimeMs : 0 } : undefined;
        }),
      );
      files.push(...batch.filter((file) => file !== undefined));
    }
    files.sort((a, b) => b.mtime - a.mtime || a.path.display.localeCompare(b.path.display));
    const page = pageOf(files, offset, limit, 'file');
    return {
      text: page.items.length === 0 ? 'No matches found' : capOutput(page.items.map((file) => file.path.display).join('\n'), page.notes),
      summary: fileCount(files.length),
      notes: page.notes,
      files: page.items.map((file) => ({ path: file.path.fsPath, use: 'matched' as const })),
    };
  }

  // content and count: one entry per line, "path\0rest"; "--" separates context groups.
  const entries: { path: WorkspacePath | undefined; rest: string }[] = [];
  for (const line of text.split('\n')) {
    if (line === '') {
      continue;
    }
    const nul = line.indexOf('\0');
    if (nul === -1) {
      entries.push({ path: undefined, rest: line });
      continue;
    }
    const located = await locate(line.slice(0, nul));
    if (located) {
      entries.push({ path: located, rest: line.slice(nul + 1) });
    }
  }

  if (mode === 'count') {
    const counts = entries.filter((entry) => entry.path).map((entry) => ({ path: entry.path!, count: Number.parseInt(entry.rest, 10) || 0 }));
    const total = counts.reduce((sum, entry) => sum + entry.count, 0);
    const page = pageOf(counts, offset, limit, 'file');
    const body = page.items.map((entry) => `${entry.path.display}:${entry.count}`).join('\n');
    // The model reads the total in English; the title has it in the display language.
    const totals = `${plural(total, 'matching line')} in ${plural(counts.length, 'file')}`;
    return {
      text: capOutput(`${body}\n\n${totals}.`, page.notes),
      summary: matchingLinesInFiles(total, counts.length),
      notes: page.notes,
      files: page.items.map((entry) => ({ path: entry.path.fsPath, use: 'matched' as const })),
    };
  }

  const numbered = input['-n'] !== false;
  const isMatch = (entry: { path: WorkspacePath | undefined; rest: string }): boolean =>
    entry.path !== undefined && (!numbered || /^\d+:/.test(entry.rest));
  // Separators only between two shown lines.
  const page = pageOf(entries, offset, limit, 'line');
  const shown = page.items.filter((entry, i, all) => entry.path || (i > 0 && i < all.length - 1 && all[i - 1].path !== undefined));
  const refs = new Map<string, ToolFileRef>();
  const lines = shown.map((entry) => {
    if (!entry.path) {
      return plainText(entry.rest);
    }
    const ref = refs.get(entry.path.fsPath) ?? { path: entry.path.fsPath, use: 'matched' as const };
    refs.set(entry.path.fsPath, ref);
    const lineNo = numbered && isMatch(entry) ? Number.parseInt(entry.rest, 10) : undefined;
    if (lineNo !== undefined) {
      ref.startLine = Math.min(ref.startLine ?? lineNo, lineNo);
      ref.endLine = Math.max(ref.endLine ?? lineNo, lineNo);
    }
    return `${entry.path.display}:${plainText(entry.rest)}`;
  });
  const matching = entries.filter(isMatch);
  const files = new Set(matching.map((entry) => entry.path!.fsPath)).size;
  return {
    text: lines.length === 0 ? 'No matches found' : capOutput(lines.join('\n'), page.notes),
    summary: matchingLinesInFiles(matching.length, files),
    notes: page.notes,
    files: [...refs.values()],
  };
}

/** `offset` and `head_limit` applied, with a note saying what was left out. */
function pageOf<T>(items: readonly T[], offset: number, limit: number, noun: string): { items: T[]; notes: string[] } {
  const end = limit === 0 ? items.length : offset + limit;
  const page = items.slice(offset, end);
  const notes: string[] = [];
  if (end < items.length) {
    notes.push(`(Showing ${plural(page.length, noun)} of ${items.length.toLocaleString('en-US')}; pass offset ${end} for the next ones, or narrow the search.)`);
  }
  return { items: page, notes };
}

/** The text cut at GREP_MAX_OUTPUT_CHARS (at a line end), with a note added to `notes`. */
function capOutput(text: string, notes: string[]): string {
  if (text.length <= GREP_MAX_OUTPUT_CHARS) {
    return text;
  }
  const end = text.lastIndexOf('\n', GREP_MAX_OUTPUT_CHARS);
  const kept = text.slice(0, end > 0 ? end : GREP_MAX_OUTPUT_CHARS);
  const left = text.slice(kept.length).split('\n').filter((line) => line !== '').length;
  notes.push(`(Output cut at ${GREP_MAX_OUTPUT_CHARS.toLocaleString('en-US')} characters: ${plural(left, 'more line')} not shown; narrow the search or use offset.)`);
  return kept;
}
