/**
 * Path safety for every file tool, on real folders and real symlinks: `..`, absolute paths
 * outside, symlinks pointing out, excluded globs, no workspace, several workspace folders.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree({
  'ws/src/app.ts': 'export const app = "TOPSECRET-free";\n',
  'ws/.env': 'API_KEY=TOPSECRET\n',
  'ws/.env.local': 'TOPSECRET=1\n',
  'ws/config/server.pem': 'TOPSECRET pem\n',
  'ws/secrets/db.txt': 'TOPSECRET db\n',
  'ws/.git/config': '[core] TOPSECRET\n',
  'ws/node_modules/lib/index.js': 'module.exports = 1;\n',
  'outside/secret.txt': 'TOPSECRET outside\n',
  'other/readme.md': '# Other root\n',
});
after(() => tree.dispose());
const ws = join(tree.root, 'ws');
tree.symlink('ws/link-out', join(tree.root, 'outside'));
tree.symlink('ws/secret-link.txt', join(tree.root, 'outside/secret.txt'));
tree.symlink('ws/inner-link.ts', join(ws, 'src/app.ts'));
const host = testHost([ws]);
const run = (name: string, input: unknown, h = host) => runTool(name, input, h, newSession(), NEVER);
const outsideSentence = (raw: string, tool: string) => `"${raw}" is outside the workspace folders; ${tool} only works inside them.`;

test('`..` escapes are refused by Read, LS, Grep and Glob', async () => {
  assert.equal((await run('Read', { file_path: '../outside/secret.txt' })).content, outsideSentence('../outside/secret.txt', 'Read'));
  assert.equal((await run('Read', { file_path: 'src/../../outside/secret.txt' })).content, outsideSentence('src/../../outside/secret.txt', 'Read'));
  assert.equal((await run('LS', { path: '..' })).content, outsideSentence('..', 'LS'));
  assert.equal((await run('Grep', { pattern: 'TOPSECRET', path: '..' })).content, outsideSentence('..', 'Grep'));
  assert.equal((await run('Glob', { pattern: '*', path: '../outside' })).content, outsideSentence('../outside', 'Glob'));
  for (const name of ['Read', 'LS', 'Grep', 'Glob']) {
    const outcome = await run(name, { file_path: '..', path: '..', pattern: '*' });
    assert.equal(outcome.isError, true, name);
    assert.deepEqual(outcome.files, [], name);
  }
});

test('absolute paths outside the workspace are refused', async () => {
  const secret = join(tree.root, 'outside/secret.txt');
  const outcome = await run('Read', { file_path: secret });
  assert.equal(outcome.isError, true);
  assert.equal(outcome.content, outsideSentence(secret, 'Read'));
  assert.equal((await run('Read', { file_path: '/etc/passwd' })).content, outsideSentence('/etc/passwd', 'Read'));
  assert.equal((await run('Glob', { pattern: `${tree.root}/outside/*.txt` })).isError, true);
});

test('symlinks pointing out of the workspace are refused, to files, to folders, and below them', async () => {
  const viaLink = (raw: string, tool: string) => `"${raw}" leads outside the workspace folders through a symbolic link; ${tool} only works inside them.`;
  assert.equal((await run('Read', { file_path: 'secret-link.txt' })).content, viaLink('secret-link.txt', 'Read'));
  assert.equal((await run('Read', { file_path: 'link-out/secret.txt' })).content, viaLink('link-out/secret.txt', 'Read'));
  assert.equal((await run('Read', { file_path: 'link-out/not-yet/there.txt' })).content, viaLink('link-out/not-yet/there.txt', 'Read'));
  assert.equal((await run('LS', { path: 'link-out' })).content, viaLink('link-out', 'LS'));
  assert.equal((await run('Grep', { pattern: 'TOPSECRET', path: 'link-out' })).content, viaLink('link-out', 'Grep'));
});

test('a symlink that stays inside the workspace is read, and shown under its target', async () => {
  const outcome = await run('Read', { file_path: 'inner-link.ts' });
  assert.equal(outcome.isError, false);
  assert.equal(outcome.summary, 'Read src/app.ts · 1 line');
  assert.equal(outcome.files[0].path, join(ws, 'src/app.ts'));
});

test('searches never show what a symlink out of the workspace leads to', async () => {
  const glob = await run('Glob', { pattern: '**/*' });
  assert.doesNotMatch(glob.content, /secret/);
  assert.doesNotMatch(glob.content, /link-out/);
  const grep = await run('Grep', { pattern: 'TOPSECRET', output_mode: 'content' });
  assert.equal(grep.content, 'src/app.ts:1:export const app = "TOPSECRET-free";');
  const ls = await run('LS', {});
  assert.match(ls.content, /- link-out \(symbolic link\)/);
  assert.doesNotMatch(ls.content, /secret\.txt$/m);
});

test('excluded files are never read, listed or searched, and a direct Read names the pattern', async () => {
  const cases: [string, string][] = [
    ['.env', '**/.env*'],
    ['.env.local', '**/.env*'],
    ['config/server.pem', '**/*.pem'],
    ['secrets/db.txt', '**/secrets/**'],
    ['.git/config', '**/.git/**'],
  ];
  for (const [file, pattern] of cases) {
    const outcome = await run('Read', { file_path: file });
    assert.equal(outcome.isError, true, file);
    assert.equal(outcome.content, `${file} matches the excluded pattern ${pattern} (lingualeap.tools.exclude), so Read leaves it alone.`);
  }
  const ls = await run('LS', {});
  assert.doesNotMatch(ls.content, /\.env|server\.pem|secrets|\.git\//);
  assert.match(ls.content, /\(5 entries hidden by lingualeap\.tools\.exclude\.\)/);
  assert.equal((await run('LS', { path: 'secrets' })).isError, true);
  const glob = await run('Glob', { pattern: '**/*' });
  assert.doesNotMatch(glob.content, /\.env|\.pem|secrets|\.git/);
  assert.match(glob.content, /src\/app\.ts/);
  const grep = await run('Grep', { pattern: 'TOPSECRET', output_mode: 'files_with_matches' });
  assert.equal(grep.content, 'src/app.ts');
  assert.equal((await run('Grep', { pattern: 'TOPSECRET', path: 'secrets' })).isError, true);
});

test('an exclude pattern naming a folder hides everything inside it', async () => {
  const custom = testHost([ws], { exclude: ['**/node_modules'] });
  const outcome = await run('Read', { file_path: 'node_modules/lib/index.js' }, custom);
  assert.equal(outcome.content, 'node_modules/lib/index.js matches the excluded pattern **/node_modules (lingualeap.tools.exclude), so Read leaves it alone.');
  // With the default patterns gone, .env is readable: the setting is what decides.
  assert.equal((await run('Read', { file_path: '.env' }, custom)).isError, false);
});

test('no workspace folder: every file tool says so in one sentence', async () => {
  const empty = testHost([]);
  for (const [name, input] of [
    ['Read', { file_path: 'a.ts' }],
    ['Glob', { pattern: '*' }],
    ['Grep', { pattern: 'x' }],
    ['LS', {}],
  ] as const) {
    const outcome = await run(name, input, empty);
    assert.equal(outcome.isError, true);
    assert.equal(outcome.content, `No workspace folder is open, so ${name} has no files to work on.`);
  }
  const bash = await run('Bash', { command: 'ls' }, empty);
  assert.match(bash.content, /^No workspace folder is open, so there is nowhere to run the command/);
});

test('several workspace folders: relative paths start at the first, the others are reached by absolute path and shown absolute', async () => {
  const other = join(tree.root, 'other');
  const multi = testHost([ws, other]);
  const readme = await run('Read', { file_path: join(other, 'readme.md') }, multi);
  assert.equal(readme.isError, false);
  assert.equal(readme.summary, `Read ${join(other, 'readme.md')} · 1 line`);
  assert.equal((await run('Read', { file_path: 'readme.md' }, multi)).content, 'readme.md does not exist; Glob or LS can find the right path.');
  assert.equal((await run('Read', { file_path: 'src/app.ts' }, multi)).summary, 'Read src/app.ts · 1 line');
});
