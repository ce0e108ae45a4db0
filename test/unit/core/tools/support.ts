/**
 * Real temp folders for the tool tests, and a ToolHost around them. `findFiles` here is a test
 * double (picomatch over a real walk of the folder); the real one is VS Code's file search.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE, type BashConsent, type BashRequest, type ToolHost, type ToolSession } from '../../../../src/core/tools';
import { REPO_ROOT } from '../../support/paths';

/** A temp folder with the given files (path -> text or bytes); removed by `dispose`. */
export interface TempTree {
  readonly root: string;
  write(rel: string, content: string | Uint8Array): string;
  mkdir(rel: string): string;
  symlink(rel: string, target: string): string;
  dispose(): void;
}

export function tempTree(files: Record<string, string | Uint8Array> = {}, prefix = 'lingualeap-tools-'): TempTree {
  // realpath: os.tmpdir() may itself be a symlink (macOS), and the tests compare paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const tree: TempTree = {
    root,
    write(rel, content) {
      const file = join(root, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    mkdir(rel) {
      const dir = join(root, rel);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    symlink(rel, target) {
      const link = join(root, rel);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link);
      return link;
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (const [rel, content] of Object.entries(files)) {
    tree.write(rel, content);
  }
  return tree;
}

/** Every file under `dir`, following no symlinks to folders (as VS Code's search by default would not loop). */
function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(full, out);
    } else {
      out.push(full);
    }
  }
  return out;
}

export interface TestHost extends ToolHost {
  /** Every findFiles call. */
  readonly findCalls: { pattern: string; base: string; maxResults: number }[];
  /** Every confirmBash call. */
  readonly confirmCalls: BashRequest[];
}

export function testHost(
  roots: readonly string[],
  options: { exclude?: readonly string[]; trusted?: boolean; bash?: 'ask' | 'never'; ripgrepPath?: string | null; consent?: BashConsent[] } = {},
): TestHost {
  const consent = [...(options.consent ?? [])];
  const findCalls: TestHost['findCalls'] = [];
  const confirmCalls: BashRequest[] = [];
  return {
    roots,
    exclude: options.exclude ?? DEFAULT_EXCLUDE,
    trusted: options.trusted ?? true,
    bash: options.bash ?? 'ask',
    ripgrepPath: options.ripgrepPath === null ? undefined : (options.ripgrepPath ?? ripgrep()),
    findCalls,
    confirmCalls,
    findFiles(pattern, base, maxResults) {
      findCalls.push({ pattern, base, maxResults });
      // dot: true: the worst case, a search that does return dot files, so the tools' own filtering is what is tested.
      const match = picomatch(pattern, { dot: true });
      const found = walk(base).filter((file) => match(relative(base, file).split(sep).join('/')));
      return Promise.resolve(found.slice(0, maxResults));
    },
    confirmBash(request) {
      confirmCalls.push(request);
      const answer = consent.shift();
      if (!answer) {
        throw new Error(`confirmBash was not expected for ${request.command}`);
      }
      return Promise.resolve(answer);
    },
  };
}

export function newSession(): ToolSession {
  return { allowedCommands: new Set() };
}

let rgPath: string | undefined;

/** The rg the tests run: $LINGUALEAP_RG, else rg on PATH, else VS Code's from .vscode-test. Throws when none is found. */
export function ripgrep(): string {
  if (rgPath) {
    return rgPath;
  }
  const candidates: string[] = [];
  if (process.env.LINGUALEAP_RG) {
    candidates.push(process.env.LINGUALEAP_RG);
  }
  try {
    candidates.push(execFileSync(process.platform === 'win32' ? 'where' : 'which', ['rg'], { encoding: 'utf8' }).split(/\r?\n/)[0].trim());
  } catch {
    // Not on PATH.
  }
  const vscodeTest = join(REPO_ROOT, '.vscode-test');
  if (existsSync(vscodeTest)) {
    for (const name of readdirSync(vscodeTest).filter((entry) => entry.startsWith('code-server-'))) {
      candidates.push(
        join(vscodeTest, name, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'),
      );
    }
  }
  rgPath = candidates.find((candidate) => candidate !== '' && existsSync(candidate));
  if (!rgPath) {
    throw new Error('No ripgrep found: set LINGUALEAP_RG, put rg on PATH, or download VS Code into .vscode-test.');
  }
  return rgPath;
}

/** An AbortSignal that never fires. */
export const NEVER = new AbortController().signal;
