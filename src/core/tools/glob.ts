/**
 * Glob: files by name pattern through VS Code's file search (never a walk of the disk here),
 * newest first, excluded and out-of-workspace paths dropped.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { InputReader } from './input';
import { fileCount } from './labels';
import { type Workspace, type WorkspacePath } from './paths';
import { shortQuote } from './text';
import { type ToolHost, type ToolOutcome } from './types';

/** Paths shown at most. */
export const GLOB_MAX_RESULTS = 100;
/** Paths asked of the file search, so "newest first" is over a wide set. */
const FIND_LIMIT = 5000;
const STAT_BATCH = 64;

/** Runs Glob. Bad input throws `BadInput` (runTool's to report); refusals are error outcomes. */
export async function runGlob(input: unknown, host: ToolHost, workspace: Workspace, signal: AbortSignal): Promise<ToolOutcome> {
  const reader = new InputReader('Glob', input);
  const rawPattern = reader.requiredString('pattern', 'a glob pattern such as "**/*.ts"');
  const rawPath = reader.optionalString('path');
  const quoted = shortQuote(rawPattern);
  const title = `Glob \`${quoted}\``;

  const { base: requestedBase, pattern } = splitAbsolutePattern(rawPattern, rawPath);
  const resolved = await workspace.resolve(requestedBase ?? '.', 'Glob');
  if (!resolved.ok) {
    return { content: resolved.message, isError: true, summary: l10n.t('Glob `{0}` · refused', quoted), files: [] };
  }
  const base = resolved.path;
  const isDirectory = base.exists && (await fs.stat(base.real)).isDirectory();
  if (!isDirectory) {
    const message = base.exists ? `${base.display} is a file, not a directory to search in.` : `${base.display} does not exist.`;
    return { content: message, isError: true, summary: `${title} · ${message}`, files: [] };
  }

  const found = await host.findFiles(pattern, base.fsPath, FIND_LIMIT, signal);
  signal.throwIfAborted();
  const matches = await newestFirst(found, workspace, signal);
  const shown = matches.slice(0, GLOB_MAX_RESULTS);
  const count = found.length >= FIND_LIMIT ? `more than ${matches.length}` : String(matches.length);
  const files = fileCount(matches.length, found.length >= FIND_LIMIT);
  const inFirstFolder = base.rel === '' && base.root === workspace.firstRoot;
  const lines = shown.map((match) => match.path.display);
  if (matches.length > shown.length) {
    lines.push(`(results cut at ${GLOB_MAX_RESULTS} of ${count}; narrow the pattern or the path)`);
  }
  return {
    content: lines.length === 0 ? 'No files found' : lines.join('\n'),
    isError: false,
    summary: inFirstFolder ? `${title} · ${files}` : l10n.t('Glob `{0}` in {1} · {2}', quoted, base.display, files),
    files: [{ path: base.fsPath, use: 'searched' }, ...shown.map((match) => ({ path: match.path.fsPath, use: 'matched' as const }))],
  };
}

/**
 * An absolute pattern ("/repo/src/**\/*.ts") as a base folder and a relative pattern, as VS Code's
 * file search wants them; a relative pattern stays as it is.
 */
export function splitAbsolutePattern(pattern: string, base: string | undefined): { base: string | undefined; pattern: string } {
  const trimmed = pattern.replace(/^\.\//, '');
  if (!path.isAbsolute(trimmed)) {
    return { base, pattern: trimmed };
  }
  const segments = trimmed.split(/[\\/]/);
  const firstGlob = segments.findIndex((segment) => /[*?[\]{}!]/.test(segment));
  if (firstGlob === -1) {
    return { base: path.dirname(trimmed), pattern: path.basename(trimmed) };
  }
  const prefix = segments.slice(0, firstGlob).join('/') || '/';
  return { base: prefix, pattern: segments.slice(firstGlob).join('/') };
}

interface Match {
  path: WorkspacePath;
  mtime: number;
}

/** The found paths still inside the workspace and not excluded, newest first (then by name). */
async function newestFirst(found: readonly string[], workspace: Workspace, signal: AbortSignal): Promise<Match[]> {
  const seen = new Set<string>();
  const matches: Match[] = [];
  for (let i = 0; i < found.length; i += STAT_BATCH) {
    signal.throwIfAborted();
    const batch = await Promise.all(
      found.slice(i, i + STAT_BATCH).map(async (file) => {
        const located = await workspace.locate(file);
        if (!located) {
          return undefined;
        }
        const stat = await fs.stat(located.real).catch(() => undefined);
        return stat?.isFile() ? { path: located, mtime: stat.mtimeMs } : undefined;
      }),
    );
    for (const match of batch) {
      if (match && !seen.has(match.path.real)) {
        seen.add(match.path.real);
        matches.push(match);
      }
    }
  }
  return matches.sort((a, b) => b.mtime - a.mtime || a.path.display.localeCompare(b.path.display));
}
