/**
 * Glob through the host's file search: newest first, capped at 100, paths relative to the folder.
 */
import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { splitAbsolutePattern } from '../../../../src/core/tools/glob';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree();
after(() => tree.dispose());
const glob = (input: unknown, host = testHost([tree.root])) => runTool('Glob', input, host, newSession(), NEVER);

const touch = (rel: string, secondsAgo: number): void => {
  const time = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(tree.write(rel, `// ${rel}\n`), time, time);
};

test('files come from host.findFiles, newest first, relative to the folder', async () => {
  touch('src/old.ts', 300);
  touch('src/new.ts', 10);
  touch('src/deep/mid.ts', 100);
  touch('src/readme.md', 1);
  const host = testHost([tree.root]);
  const outcome = await glob({ pattern: 'src/**/*.ts' }, host);
  assert.equal(outcome.isError, false);
  assert.equal(outcome.content, 'src/new.ts\nsrc/deep/mid.ts\nsrc/old.ts');
  assert.equal(outcome.summary, 'Glob `src/**/*.ts` · 3 files');
  assert.deepEqual(host.findCalls, [{ pattern: 'src/**/*.ts', base: tree.root, maxResults: 5000 }]);
  assert.deepEqual(
    outcome.files.map((file) => [file.use, file.path]),
    [['searched', tree.root], ['matched', join(tree.root, 'src/new.ts')], ['matched', join(tree.root, 'src/deep/mid.ts')], ['matched', join(tree.root, 'src/old.ts')]],
  );
});

test('path narrows the search to a folder; the summary names it', async () => {
  const host = testHost([tree.root]);
  const outcome = await glob({ pattern: '*.ts', path: 'src/deep' }, host);
  assert.equal(outcome.content, 'src/deep/mid.ts');
  assert.equal(outcome.summary, 'Glob `*.ts` in src/deep · 1 file');
  assert.equal(host.findCalls[0].base, join(tree.root, 'src/deep'));
});

test('an absolute pattern becomes a base folder and a relative pattern', async () => {
  const host = testHost([tree.root]);
  const outcome = await glob({ pattern: `${tree.root}/src/**/*.ts` }, host);
  assert.equal(outcome.content, 'src/new.ts\nsrc/deep/mid.ts\nsrc/old.ts');
  assert.deepEqual(host.findCalls[0], { pattern: '**/*.ts', base: join(tree.root, 'src'), maxResults: 5000 });
  assert.deepEqual(splitAbsolutePattern('/repo/a/b.ts', undefined), { base: '/repo/a', pattern: 'b.ts' });
  assert.deepEqual(splitAbsolutePattern('./src/*.ts', 'lib'), { base: 'lib', pattern: 'src/*.ts' });
});

test('more than 100 files: the newest 100 and a note with the total', async () => {
  for (let i = 0; i < 150; i++) {
    touch(`many/f${String(i).padStart(3, '0')}.txt`, 1000 + i);
  }
  const outcome = await glob({ pattern: 'many/*.txt' });
  const lines = outcome.content.split('\n');
  assert.equal(lines.length, 101);
  assert.equal(lines[0], 'many/f000.txt');
  assert.equal(lines[99], 'many/f099.txt');
  assert.equal(lines[100], '(results cut at 100 of 150; narrow the pattern or the path)');
  assert.equal(outcome.summary, 'Glob `many/*.txt` · 150 files');
  assert.equal(outcome.files.length, 101);
});

test('nothing found, a file as path, a missing path and a missing pattern', async () => {
  const none = await glob({ pattern: '**/*.rs' });
  assert.deepEqual([none.isError, none.content, none.summary], [false, 'No files found', 'Glob `**/*.rs` · 0 files']);
  assert.deepEqual([(await glob({ pattern: '*', path: 'src/new.ts' })).content], ['src/new.ts is a file, not a directory to search in.']);
  assert.equal((await glob({ pattern: '*', path: 'nowhere' })).content, 'nowhere does not exist.');
  assert.equal((await glob({})).content, 'Glob needs "pattern": a glob pattern such as "**/*.ts".');
  assert.equal((await glob({ pattern: '*', path: ['src'] })).content, 'The "path" field of Glob must be a string, not a list.');
});

test('a stopped search is cancelled, not failed', async () => {
  const controller = new AbortController();
  const host = testHost([tree.root]);
  host.findFiles = (_pattern, _base, _max, signal) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('search cancelled')));
      controller.abort();
    });
  const outcome = await runTool('Glob', { pattern: '**/*' }, host, newSession(), controller.signal);
  assert.deepEqual([outcome.cancelled, outcome.summary], [true, 'Glob · stopped']);
});
