// Loads a bench's TypeScript half (`test/bench/<name>.ts`, which imports the product's pure code)
// the way the extension is built: bundled by esbuild for Node into test-results/bench/<name>.cjs,
// then required; and their tables, printed as Markdown with aligned columns. Used by estimate.mjs
// and toolTurn.mjs.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(resolve(here, '..', '..'), 'test-results', 'bench');

/** The exports of `test/bench/<name>.ts`, freshly bundled. */
export async function loadTsModule(name) {
  mkdirSync(out, { recursive: true });
  const bundle = join(out, `${name}.cjs`);
  await esbuild.build({
    entryPoints: [join(here, `${name}.ts`)],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(bundle);
}

/** Prints `rows` under `head` as a Markdown table, each column as wide as its widest cell. */
export function printTable(head, rows) {
  const widths = head.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length)));
  const line = (cells) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) {
    console.log(line(row));
  }
}
