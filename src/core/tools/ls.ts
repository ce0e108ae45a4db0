/**
 * LS: a folder's tree, breadth first so a cut keeps the top levels, printed as an indented list
 * (folders end with `/`). Symbolic links are shown, never followed.
 */
import { promises as fs } from 'node:fs';
import * as l10n from '@vscode/l10n';
import picomatch from 'picomatch';
import { InputReader } from './input';
import { type Workspace, type WorkspacePath } from './paths';
import { oneLine, plural } from './text';
import { type ToolOutcome } from './types';

/** Entries listed at most. */
export const LS_MAX_ENTRIES = 1000;
/** Folders shown but not opened: dependencies and caches drown the project's own files. */
const NOT_EXPANDED = new Set(['node_modules', '.git', '__pycache__', '.venv', '.tox', '.mypy_cache', '.gradle', '.next', '.turbo']);

interface Node {
  name: string;
  kind: 'directory' | 'file' | 'link';
  children?: Node[];
  note?: string;
}

/** Runs LS. Bad input throws `BadInput` (runTool's to report); refusals are error outcomes. */
export async function runLs(input: unknown, workspace: Workspace, signal: AbortSignal): Promise<ToolOutcome> {
  const reader = new InputReader('LS', input);
  const rawPath = reader.optionalString('path') ?? '.';
  const ignore = reader.optionalStringArray('ignore') ?? [];
  const resolved = await workspace.resolve(rawPath, 'LS');
  if (!resolved.ok) {
    return { content: resolved.message, isError: true, summary: `LS · ${resolved.message}`, files: [] };
  }
  const dir = resolved.path;
  const refuse = (message: string): ToolOutcome => ({ content: message, isError: true, summary: `LS ${dir.display} · ${message}`, files: [] });
  if (!dir.exists) {
    return refuse(`${dir.display} does not exist.`);
  }
  if (!(await fs.stat(dir.real)).isDirectory()) {
    return refuse(`${dir.display} is a file; use Read to read it.`);
  }

  const ignored = ignore.length > 0 ? picomatch(ignore, { dot: true }) : undefined;
  const root: Node = { name: dir.display, kind: 'directory', children: [] };
  const queue: { node: Node; path: WorkspacePath; relToListed: string }[] = [{ node: root, path: dir, relToListed: '' }];
  let count = 0;
  let excluded = 0;
  let cut = false;
  while (queue.length > 0 && !cut) {
    signal.throwIfAborted();
    const { node, path, relToListed } = queue.shift()!;
    let entries;
    try {
      entries = await fs.readdir(path.real, { withFileTypes: true });
    } catch {
      node.note = 'cannot be read';
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    node.children = [];
    for (const entry of entries) {
      const child = workspace.child(path, entry.name);
      const rel = relToListed === '' ? entry.name : `${relToListed}/${entry.name}`;
      if (workspace.excludedBy(child.rel) !== undefined) {
        excluded++;
        continue;
      }
      if (ignored && (ignored(entry.name) || ignored(rel))) {
        continue;
      }
      if (count >= LS_MAX_ENTRIES) {
        cut = true;
        break;
      }
      count++;
      const kind = entry.isSymbolicLink() ? 'link' : entry.isDirectory() ? 'directory' : 'file';
      const childNode: Node = { name: oneLine(entry.name), kind };
      node.children.push(childNode);
      if (kind === 'directory') {
        if (NOT_EXPANDED.has(entry.name)) {
          childNode.note = 'not expanded';
        } else {
          queue.push({ node: childNode, path: child, relToListed: rel });
        }
      }
    }
  }

  const lines = [`- ${dir.display === '.' ? './' : `${dir.display}/`}`];
  print(root.children ?? [], 1, lines);
  if (root.note) {
    lines.push(`  (${root.note})`);
  }
  const notes: string[] = [];
  if (cut) {
    notes.push(`(Listing cut at ${LS_MAX_ENTRIES.toLocaleString('en-US')} entries; list a subfolder, or use Glob.)`);
  }
  if (excluded > 0) {
    notes.push(`(${plural(excluded, 'entry', 'entries')} hidden by lingualeap.tools.exclude.)`);
  }
  if (count === 0 && !root.note) {
    notes.push('(The folder is empty.)');
  }
  return {
    content: notes.length === 0 ? lines.join('\n') : `${lines.join('\n')}\n\n${notes.join('\n')}`,
    isError: false,
    summary: lsSummary(dir.display, count, cut),
    files: [{ path: dir.fsPath, use: 'listed' }],
  };
}

/** The step's title: "LS src · 12 entries", "LS src · more than 1,000 entries" when the listing was cut. */
function lsSummary(display: string, count: number, cut: boolean): string {
  const n = count.toLocaleString('en-US');
  if (cut) {
    return count === 1 ? l10n.t('LS {0} · more than 1 entry', display) : l10n.t('LS {0} · more than {1} entries', display, n);
  }
  return count === 1 ? l10n.t('LS {0} · 1 entry', display) : l10n.t('LS {0} · {1} entries', display, n);
}

function print(nodes: readonly Node[], depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  for (const node of nodes) {
    const name = node.kind === 'directory' ? `${node.name}/` : node.kind === 'link' ? `${node.name} (symbolic link)` : node.name;
    lines.push(`${indent}- ${name}${node.note ? ` (${node.note})` : ''}`);
    if (node.children) {
      print(node.children, depth + 1, lines);
    }
  }
}
