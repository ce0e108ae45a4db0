/**
 * LS on real folders: the indented tree, ignore globs, the entry cap.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree({
  'package.json': '{}',
  'src/index.ts': '',
  'src/api/routes.ts': '',
  'src/api/app.log': '',
  'build/out.js': '',
  'node_modules/left-pad/index.js': '',
  '.github/workflows/ci.yml': '',
});
after(() => tree.dispose());
const ls = (input: unknown) => runTool('LS', input, testHost([tree.root]), newSession(), NEVER);

test('the folder as an indented tree: folders end with /, names sorted, node_modules not expanded', async () => {
  const outcome = await ls({});
  assert.equal(outcome.isError, false);
  assert.equal(
    outcome.content,
    [
      '- ./',
      '  - .github/',
      '    - workflows/',
      '      - ci.yml',
      '  - build/',
      '    - out.js',
      '  - node_modules/ (not expanded)',
      '  - package.json',
      '  - src/',
      '    - api/',
      '      - app.log',
      '      - routes.ts',
      '    - index.ts',
    ].join('\n'),
  );
  assert.equal(outcome.summary, 'LS . · 12 entries');
  assert.deepEqual(outcome.files, [{ path: tree.root, use: 'listed' }]);
});

test('a subfolder by relative or absolute path; ignore globs match names and relative paths', async () => {
  const sub = await ls({ path: 'src', ignore: ['*.log'] });
  assert.equal(sub.content, '- src/\n  - api/\n    - routes.ts\n  - index.ts');
  assert.deepEqual(sub.files, [{ path: join(tree.root, 'src'), use: 'listed' }]);
  const absolute = await ls({ path: join(tree.root, 'src'), ignore: ['api/**', 'api'] });
  assert.equal(absolute.content, '- src/\n  - index.ts');
});

test('more than 1000 entries: the listing is cut with a note', async () => {
  for (let i = 0; i < 1100; i++) {
    tree.write(`big/f${String(i).padStart(4, '0')}.txt`, '');
  }
  const outcome = await ls({ path: 'big' });
  const entries = outcome.content.split('\n').filter((line) => line.startsWith('  - '));
  assert.equal(entries.length, 1000);
  assert.match(outcome.content, /\n\n\(Listing cut at 1,000 entries; list a subfolder, or use Glob\.\)$/);
  assert.equal(outcome.summary, 'LS big · more than 1,000 entries');
});

test('an empty folder, a file, a missing path and bad ignore', async () => {
  tree.mkdir('empty');
  assert.equal((await ls({ path: 'empty' })).content, '- empty/\n\n(The folder is empty.)');
  assert.deepEqual([(await ls({ path: 'package.json' })).content], ['package.json is a file; use Read to read it.']);
  assert.equal((await ls({ path: 'gone' })).content, 'gone does not exist.');
  assert.equal((await ls({ ignore: '*.log' })).content, 'The "ignore" field of LS must be a list of strings, not "*.log".');
});
