/**
 * Where a tool may look: inside a workspace folder after symlinks, and never at an excluded path.
 * Every path a tool opens, lists or searches goes through `Workspace.resolve` (from the model) or
 * `Workspace.locate` (from a search result).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { oneLine } from './text';
import { type ToolHost } from './types';

/** A path inside a workspace folder. */
export interface WorkspacePath {
  /** After symlinks: the path to open. */
  readonly real: string;
  /** The workspace folder it is in, as the host names it. */
  readonly root: string;
  /** Root-relative, `/`-separated, from the real paths; '' for the folder itself. */
  readonly rel: string;
  /** `rel` under the host's name for the folder: the path VS Code opens. */
  readonly fsPath: string;
  /** How the model sees it: relative to the first folder, else absolute. */
  readonly display: string;
  /** False when nothing is there yet (the nearest existing ancestor was checked). */
  readonly exists: boolean;
}

/** A path the model gave, resolved, or the one sentence saying why not. */
export type Resolved = { ok: true; path: WorkspacePath } | { ok: false; message: string };

interface Root {
  readonly name: string;
  readonly real: string;
}

/** The workspace folders and exclusions of one tool call. */
export class Workspace {
  private roots: Promise<Root[]> | undefined;
  private readonly matchers: { pattern: string; test: (rel: string) => boolean }[];

  constructor(private readonly host: ToolHost) {
    this.matchers = host.exclude
      .filter((pattern) => typeof pattern === 'string' && pattern.trim() !== '')
      .map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true }) }));
  }

  /** The first folder: where relative paths start and commands run. Undefined with no workspace. */
  get firstRoot(): string | undefined {
    return this.host.roots[0];
  }

  /**
   * A path from the model (absolute, or relative to the first folder), checked: inside a folder
   * after symlinks and not excluded. `tool` names the tool in the refusal sentence.
   */
  async resolve(raw: string, tool: string): Promise<Resolved> {
    const first = this.firstRoot;
    if (first === undefined) {
      return { ok: false, message: `No workspace folder is open, so ${tool} has no files to work on.` };
    }
    const lexical = path.resolve(first, raw);
    const { real, exists } = await realPathOfNearest(lexical);
    const roots = await this.realRoots();
    const root = findRoot(roots, real);
    if (!root) {
      const lexicallyInside = roots.some((r) => isInside(path.resolve(r.name), lexical) || isInside(r.real, lexical));
      return {
        ok: false,
        message: lexicallyInside
          ? `"${oneLine(raw)}" leads outside the workspace folders through a symbolic link; ${tool} only works inside them.`
          : `"${oneLine(raw)}" is outside the workspace folders; ${tool} only works inside them.`,
      };
    }
    const located = this.describe(root, real, exists);
    const pattern = this.excludedBy(located.rel);
    if (pattern !== undefined) {
      return { ok: false, message: `${located.display} matches the excluded pattern ${pattern} (lingualeap.tools.exclude), so ${tool} leaves it alone.` };
    }
    return { ok: true, path: located };
  }

  /**
   * A path a search returned: undefined when it is outside every folder after symlinks, gone, or
   * excluded, so it is neither shown nor counted.
   */
  async locate(absolute: string): Promise<WorkspacePath | undefined> {
    let real: string;
    try {
      real = await fs.realpath(absolute);
    } catch {
      return undefined;
    }
    const root = findRoot(await this.realRoots(), real);
    if (!root) {
      return undefined;
    }
    const located = this.describe(root, real, true);
    return this.excludedBy(located.rel) === undefined ? located : undefined;
  }

  /** The exclude pattern matching `rel` or one of its folders; undefined when none does. */
  excludedBy(rel: string): string | undefined {
    if (rel === '' || this.matchers.length === 0) {
      return undefined;
    }
    // Each ancestor too, so `**/node_modules` also hides what is inside it.
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const hit = this.matchers.find((matcher) => matcher.test(prefix));
      if (hit) {
        return hit.pattern;
      }
    }
    return undefined;
  }

  /** A child of a listed directory, without another realpath: same root, `rel` extended. */
  child(parent: WorkspacePath, name: string): WorkspacePath {
    const rel = parent.rel === '' ? name : `${parent.rel}/${name}`;
    return {
      real: path.join(parent.real, name),
      root: parent.root,
      rel,
      fsPath: path.join(parent.fsPath, name),
      display: this.displayOf(parent.root, rel, path.join(parent.fsPath, name)),
      exists: true,
    };
  }

  private describe(root: Root, real: string, exists: boolean): WorkspacePath {
    const rel = toPosix(path.relative(root.real, real));
    const fsPath = rel === '' ? root.name : path.join(root.name, ...rel.split('/'));
    return { real, root: root.name, rel, fsPath, display: this.displayOf(root.name, rel, fsPath), exists };
  }

  private displayOf(rootName: string, rel: string, fsPath: string): string {
    if (rootName === this.firstRoot) {
      return oneLine(rel === '' ? '.' : rel);
    }
    return oneLine(fsPath);
  }

  private realRoots(): Promise<Root[]> {
    this.roots ??= Promise.all(
      this.host.roots.map(async (name) => ({ name, real: await fs.realpath(name).catch(() => path.resolve(name)) })),
    );
    return this.roots;
  }
}

/** `fs.realpath` of the path, or of its nearest existing ancestor with the rest appended. */
async function realPathOfNearest(absolute: string): Promise<{ real: string; exists: boolean }> {
  const rest: string[] = [];
  for (let current = absolute; ; ) {
    try {
      const real = await fs.realpath(current);
      return { real: rest.length === 0 ? real : path.join(real, ...rest.reverse()), exists: rest.length === 0 };
    } catch {
      const parent = path.dirname(current);
      if (parent === current) {
        return { real: absolute, exists: false };
      }
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** The innermost folder containing `real`. */
function findRoot(roots: readonly Root[], real: string): Root | undefined {
  let best: Root | undefined;
  for (const root of roots) {
    if (isInside(root.real, real) && (!best || root.real.length > best.real.length)) {
      best = root;
    }
  }
  return best;
}

/** True when `candidate` is `parent` or below it. */
function isInside(parent: string, candidate: string): boolean {
  const rel = path.relative(parent, candidate);
  return rel === '' || (!path.isAbsolute(rel) && !isDotDotSegment(rel));
}

/** True when a relative path starts with a `..` segment (not a name like `..foo`). */
function isDotDotSegment(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || rel.startsWith('../');
}

function toPosix(rel: string): string {
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}
