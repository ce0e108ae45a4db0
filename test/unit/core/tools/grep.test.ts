/**
 * Grep: the rg arguments (pure), then the real rg over real files: modes, limits, errors, abort.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ripgrepArgs, runTool, DEFAULT_EXCLUDE } from '../../../../src/core/tools';
import { ripgrepError, splitGlobs } from '../../../../src/core/tools/grep';
import { NEVER, newSession, ripgrep, tempTree, testHost } from './support';

const tree = tempTree();
after(() => tree.dispose());
const grep = (input: unknown, host = testHost([tree.root])) => runTool('Grep', input, host, newSession(), NEVER);
const at = (rel: string, content: string, secondsAgo: number): void => {
  const time = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(tree.write(rel, content), time, time);
};
at('src/old.ts', 'const findMany = 1;\n// nothing\nfindMany();\n', 500);
at('src/new.ts', 'export function findMany() {}\n', 5);
at('src/mid.py', 'def find_many(): pass  # FINDMANY\n', 50);
at('docs/notes.md', 'first\nsecond findMany\nthird\nfourth\nfifth\nsixth findMany\n', 100);
at('odd:name.ts', 'findMany in a file with a colon\n', 200);
at('ansi.log', '\x1b[31mfindMany\x1b[0m in red\n', 300);

test('ripgrepArgs: no config, no color, exclusions after the model\'s globs, pattern by --regexp, then the paths', () => {
  const args = ripgrepArgs({ pattern: '-foo', glob: '*.{ts,tsx} *.js' }, { exclude: DEFAULT_EXCLUDE, paths: ['/ws'] });
  assert.deepEqual(args.slice(0, 3), ['--no-config', '--color', 'never']);
  assert.ok(args.includes('--hidden') && args.includes('--null') && args.includes('--with-filename'));
  assert.deepEqual(args.slice(args.indexOf('--max-columns'), args.indexOf('--max-columns') + 3), ['--max-columns', '500', '--max-columns-preview']);
  const globs = args.flatMap((arg, i) => (args[i - 1] === '--glob' ? [arg] : []));
  assert.deepEqual(globs, ['*.{ts,tsx}', '*.js', '!.git', '!.svn', '!.hg', '!.jj', '!.bzr', ...DEFAULT_EXCLUDE.map((pattern) => `!${pattern}`)]);
  assert.ok(args.includes('--files-with-matches'));
  assert.deepEqual(args.slice(-4), ['--regexp', '-foo', '--', '/ws']);
});

test('ripgrepArgs: content mode numbers lines unless -n is false, -C wins over -A/-B, flags map one to one', () => {
  const content = ripgrepArgs(
    { pattern: 'x', output_mode: 'content', '-A': 2, '-B': 1, '-i': true, multiline: true, type: 'ts' },
    { exclude: [], paths: ['.'] },
  );
  for (const flag of ['--line-number', '--ignore-case', '--multiline', '--multiline-dotall', '--sort']) {
    assert.ok(content.includes(flag), flag);
  }
  assert.deepEqual(content.slice(content.indexOf('--after-context'), content.indexOf('--after-context') + 2), ['--after-context', '2']);
  assert.deepEqual(content.slice(content.indexOf('--before-context'), content.indexOf('--before-context') + 2), ['--before-context', '1']);
  assert.deepEqual(content.slice(content.indexOf('--type'), content.indexOf('--type') + 2), ['--type', 'ts']);
  assert.ok(!content.includes('--files-with-matches'));
  const both = ripgrepArgs({ pattern: 'x', output_mode: 'content', '-C': 3, '-A': 2, '-n': false }, { exclude: [], paths: ['.'] });
  assert.ok(both.includes('--context') && !both.includes('--after-context') && !both.includes('--line-number'));
  const count = ripgrepArgs({ pattern: 'x', output_mode: 'count', '-A': 2 }, { exclude: [], paths: ['.'] });
  assert.ok(count.includes('--count') && !count.includes('--after-context'));
  assert.deepEqual(splitGlobs('*.ts,*.{js,jsx}  src/**'), ['*.ts', '*.{js,jsx}', 'src/**']);
});

test('files_with_matches (the default) lists files newest first, relative to the folder', async () => {
  const outcome = await grep({ pattern: 'findMany' });
  assert.equal(outcome.isError, false);
  assert.equal(outcome.content, 'src/new.ts\ndocs/notes.md\nodd:name.ts\nansi.log\nsrc/old.ts');
  assert.equal(outcome.summary, 'Grep `findMany` · 5 files');
  assert.deepEqual(outcome.files[0], { path: tree.root, use: 'searched' });
  assert.deepEqual(outcome.files[1], { path: join(tree.root, 'src/new.ts'), use: 'matched' });
});

test('content mode: path:line:text in path order, escapes stripped, references carry the matched lines', async () => {
  const outcome = await grep({ pattern: 'findMany', output_mode: 'content', path: 'src' });
  assert.equal(outcome.content, 'src/new.ts:1:export function findMany() {}\nsrc/old.ts:1:const findMany = 1;\nsrc/old.ts:3:findMany();');
  assert.equal(outcome.summary, 'Grep `findMany` in src · 3 matching lines in 2 files');
  assert.deepEqual(outcome.files.slice(1), [
    { path: join(tree.root, 'src/new.ts'), use: 'matched', startLine: 1, endLine: 1 },
    { path: join(tree.root, 'src/old.ts'), use: 'matched', startLine: 1, endLine: 3 },
  ]);
  const ansi = await grep({ pattern: 'findMany', output_mode: 'content', path: 'ansi.log' });
  assert.equal(ansi.content, 'ansi.log:1:findMany in red');
});

test('content mode with context: context lines use -, groups are separated by --', async () => {
  const outcome = await grep({ pattern: 'findMany', output_mode: 'content', path: 'docs', '-C': 1 });
  assert.equal(
    outcome.content,
    ['docs/notes.md:1-first', 'docs/notes.md:2:second findMany', 'docs/notes.md:3-third', '--', 'docs/notes.md:5-fifth', 'docs/notes.md:6:sixth findMany'].join('\n'),
  );
  const plain = await grep({ pattern: 'second', output_mode: 'content', path: 'docs', '-n': false });
  assert.equal(plain.content, 'docs/notes.md:second findMany');
});

test('count mode, -i, glob and type filters, multiline', async () => {
  const count = await grep({ pattern: 'findMany', output_mode: 'count', glob: '*.ts' });
  assert.equal(count.content, 'odd:name.ts:1\nsrc/new.ts:1\nsrc/old.ts:2\n\n4 matching lines in 3 files.');
  const insensitive = await grep({ pattern: 'FINDMANY', '-i': true, type: 'py' });
  assert.equal(insensitive.content, 'src/mid.py');
  const sensitive = await grep({ pattern: 'FINDMANY', glob: '*.ts' });
  assert.equal(sensitive.content, 'No matches found');
  const multiline = await grep({ pattern: 'second.*?third', multiline: true, output_mode: 'content' });
  assert.equal(multiline.content, 'docs/notes.md:2:second findMany\ndocs/notes.md:3:third');
});

test('head_limit and offset page the entries and say what was left out; the default is 250', async () => {
  const first = await grep({ pattern: 'findMany', head_limit: 2 });
  assert.equal(first.content, 'src/new.ts\ndocs/notes.md\n\n(Showing 2 files of 5; pass offset 2 for the next ones, or narrow the search.)');
  const next = await grep({ pattern: 'findMany', head_limit: 2, offset: 2 });
  assert.match(next.content, /^odd:name\.ts\nansi\.log\n\n\(Showing 2 files of 5; pass offset 4/);
  for (let i = 0; i < 300; i++) {
    tree.write(`bulk/b${i}.txt`, 'needle\n');
  }
  const bulk = await grep({ pattern: 'needle', path: 'bulk' });
  assert.equal(bulk.content.split('\n').filter((line) => line.startsWith('bulk/')).length, 250);
  assert.match(bulk.content, /\(Showing 250 files of 300;/);
  const all = await grep({ pattern: 'needle', path: 'bulk', head_limit: 0 });
  assert.equal(all.content.split('\n').length, 300);
});

test('long lines are capped by rg, and the whole output by a character budget', async () => {
  tree.write('wide/one.txt', `${'a'.repeat(3000)} needle ${'b'.repeat(3000)}\n`);
  const wide = await grep({ pattern: 'needle', path: 'wide', output_mode: 'content' });
  assert.ok(wide.content.length < 700, `${wide.content.length} characters`);
  assert.match(wide.content, /omitted/);
  tree.write('wide/many.txt', Array.from({ length: 3000 }, (_, i) => `needle ${i} ${'c'.repeat(200)}`).join('\n'));
  const many = await grep({ pattern: 'needle', path: 'wide/many.txt', output_mode: 'content', head_limit: 0 });
  assert.ok(many.content.length < 31_000, `${many.content.length} characters`);
  assert.match(many.content, /\(Output cut at 30,000 characters: [\d,]+ more lines not shown; narrow the search or use offset\.\)$/);
});

test('no matches is not an error; a bad regex or an unknown type is one sentence', async () => {
  const none = await grep({ pattern: 'nothing-matches-this' });
  assert.deepEqual([none.isError, none.content, none.summary], [false, 'No matches found', 'Grep `nothing-matches-this` · no matches']);
  const regex = await grep({ pattern: 'findMany(' });
  assert.equal(regex.isError, true);
  assert.equal(regex.content, 'The pattern is not a valid regular expression: unclosed group; escape literal characters such as ( [ { with a backslash.');
  const type = await grep({ pattern: 'x', type: 'klingon' });
  assert.equal(type.content, 'rg does not know the file type "klingon"; use a type such as js, ts, py or rust, or a glob instead.');
  assert.equal(ripgrepError('', 2), 'rg failed with exit code 2.');
  assert.equal(ripgrepError('rg: something odd\nmore', 2), 'rg failed: something odd');
});

test('bad input names the field', async () => {
  assert.equal((await grep({})).content, 'Grep needs "pattern": the regular expression to search for.');
  assert.equal((await grep({ pattern: 'x', output_mode: 'lines' })).content, 'The "output_mode" field of Grep must be one of files_with_matches, content, count, not "lines".');
  assert.equal((await grep({ pattern: 'x', '-C': 'wide' })).content, 'The "-C" field of Grep must be a number of lines from 0 to 1000, not "wide".');
  assert.equal((await grep({ pattern: 'x', '-i': 'yes' })).content, 'The "-i" field of Grep must be true or false, not "yes".');
  assert.equal((await grep({ pattern: 'findMany', '-i': 'true', head_limit: '1' })).content.split('\n')[0], 'src/new.ts');
});

test('without rg, Grep says it is unavailable; a broken rg path is one sentence', async () => {
  const none = await grep({ pattern: 'x' }, testHost([tree.root], { ripgrepPath: null }));
  assert.deepEqual([none.isError, none.content], [true, "Grep is unavailable because VS Code's ripgrep (rg) was not found."]);
  const broken = await grep({ pattern: 'x' }, testHost([tree.root], { ripgrepPath: join(tree.root, 'no-rg') }));
  assert.equal(broken.isError, true);
  assert.match(broken.content, /^Grep could not start ripgrep \(.*no-rg\): spawn .*ENOENT\.$/);
});

test('Stop kills a running rg at once and the outcome is cancelled', async () => {
  // A stand-in rg that never finishes: it writes its pid and sleeps (exec, so the pid is the sleeper's).
  const pidFile = join(tree.root, 'slow-rg.pid');
  const slow = tree.write('slow-rg.sh', `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 30\n`);
  chmodSync(slow, 0o755);
  const controller = new AbortController();
  const started = Date.now();
  const pending = runTool('Grep', { pattern: 'x' }, testHost([tree.root], { ripgrepPath: slow }), newSession(), controller.signal);
  while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const pid = Number(readFileSync(pidFile, 'utf8'));
  controller.abort();
  const outcome = await pending;
  assert.equal(outcome.cancelled, true);
  assert.ok(Date.now() - started < 5000);
  assert.equal(isAlive(pid), false, 'the rg process is gone');
});

test('the rg used here is a real one', () => {
  assert.ok(existsSync(ripgrep()));
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
