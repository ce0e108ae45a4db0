/**
 * Where the repository is, wherever a compiled test file lands under `out/`: the nearest folder
 * whose `package.json` is the extension's manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lingualeap-architect') {
      return dir;
    }
    if (dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * The repository root: `package.json`, `agents/`, `dist/` are here. Found above the compiled
 * test (under `out/`), else above the working folder (a bundle built elsewhere, run from the repo).
 */
export const REPO_ROOT =
  findRepoRoot(__dirname) ??
  findRepoRoot(process.cwd()) ??
  (() => {
    throw new Error(`No lingualeap-architect package.json above ${__dirname} or ${process.cwd()}`);
  })();

/** A path inside the repository. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}
