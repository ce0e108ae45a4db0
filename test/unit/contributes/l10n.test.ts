/**
 * Localization is complete and current: the committed string table (`l10n/bundle.l10n.json`,
 * what a translator translates) is exactly what `npm run l10n` exports from `src/` today, and
 * every call the exporter has to read is one it can read (a literal message, not a variable or a
 * template with substitutions, which it would silently skip and leave English in every language).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoPath } from '../support/paths';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The literal messages of every `l10n.t('…')` / `l10n.t({ message: '…' })` call in src/, with where. */
function callMessages(): { message: string; at: string }[] {
  const found: { message: string; at: string }[] = [];
  for (const file of sourceFiles(repoPath('src'))) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\bl10n\.t\(\s*(?:\{\s*message:\s*)?('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/g)) {
      const literal = call[1];
      // The literal as JavaScript reads it: quotes and escapes resolved.
      const message = literal.startsWith("'") ? (JSON.parse(`"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string) : (JSON.parse(literal) as string);
      found.push({ message, at: `${relative(repoPath(), file)}:${text.slice(0, call.index).split('\n').length}` });
    }
  }
  return found;
}

void test('l10n/bundle.l10n.json is what `npm run l10n` exports from src/ now', () => {
  const out = mkdtempSync(join(tmpdir(), 'lingualeap-l10n-'));
  try {
    const cli = repoPath('node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'export', '--outDir', out, repoPath('src')], { cwd: repoPath(), encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const exported = JSON.parse(readFileSync(join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const committed = JSON.parse(readFileSync(repoPath('l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(committed, exported, 'the string table is stale: run `npm run l10n` and commit l10n/bundle.l10n.json');
    assert.ok(Object.keys(exported).length > 100, `only ${Object.keys(exported).length} strings exported`);
    // The exporter skips calls it does not recognize without a word (a `vscode.l10n.t` in a file
    // that imports vscode with `import vscode = require(...)`, say): every message written in a
    // call must be in the table.
    const messages = new Set(Object.values(exported).map((value) => (typeof value === 'string' ? value : (value as { message: string }).message)));
    const missing = callMessages().filter(({ message }) => !messages.has(message));
    assert.deepEqual(missing, [], 'messages in l10n.t calls that the exporter did not collect');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

void test('every l10n.t call in src/ passes a message the exporter can read', () => {
  const unreadable: string[] = [];
  for (const file of sourceFiles(repoPath('src'))) {
    const text = readFileSync(file, 'utf8');
    // What may follow `l10n.t(`: a quoted literal, the object form, or nothing else. A tagged
    // template (l10n.t`...`) is readable too, a template literal argument is not.
    for (const call of text.matchAll(/\bl10n\.t\(\s*(.)/g)) {
      const first = call[1];
      const line = text.slice(0, call.index).split('\n').length;
      if (first !== "'" && first !== '"' && first !== '{') {
        unreadable.push(`${relative(repoPath(), file)}:${line}`);
      }
    }
  }
  assert.deepEqual(unreadable, [], 'these l10n.t calls pass a message the exporter cannot read');
});
