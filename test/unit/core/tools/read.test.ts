/**
 * Read on real files: cat -n numbering, offset/limit, caps, and the files it refuses.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runTool } from '../../../../src/core/tools';
import { READ_MAX_LINE_CHARS, READ_MAX_OUTPUT_CHARS } from '../../../../src/core/tools/read';
import { NEVER, newSession, tempTree, testHost } from './support';

const tree = tempTree();
after(() => tree.dispose());
const host = testHost([tree.root]);
const read = (input: unknown) => runTool('Read', input, host, newSession(), NEVER);
const lines = (count: number, make = (i: number) => `line ${i}`) => Array.from({ length: count }, (_, i) => make(i + 1)).join('\n') + '\n';

test('lines are numbered like cat -n: right-aligned number, tab, line; relative and absolute paths read the same file', async () => {
  const file = tree.write('src/a.ts', 'const a = 1;\n\nexport { a };\n');
  const outcome = await read({ file_path: 'src/a.ts' });
  assert.equal(outcome.isError, false);
  assert.equal(outcome.content, '     1\tconst a = 1;\n     2\t\n     3\texport { a };');
  assert.equal(outcome.summary, 'Read src/a.ts · 3 lines');
  assert.deepEqual(outcome.files, [{ path: file, startLine: 1, endLine: 3, use: 'read' }]);
  assert.equal((await read({ file_path: file })).content, outcome.content);
});

test('a last line without a newline is still a line', async () => {
  tree.write('nolf.txt', 'one\ntwo');
  const outcome = await read({ file_path: 'nolf.txt' });
  assert.equal(outcome.content, '     1\tone\n     2\ttwo');
});

test('offset and limit pick lines and say how many remain and how to read on', async () => {
  tree.write('ten.txt', lines(10));
  const outcome = await read({ file_path: 'ten.txt', offset: 3, limit: 2 });
  assert.equal(outcome.isError, false);
  assert.match(outcome.content, /^ {5}3\tline 3\n {5}4\tline 4\n\n/);
  assert.match(outcome.content, /6 more lines after line 4 of 10; call Read with offset 5 to read on/);
  assert.equal(outcome.summary, 'Read ten.txt · lines 3–4 of 10');
  assert.deepEqual(outcome.files[0], { path: `${tree.root}/ten.txt`, startLine: 3, endLine: 4, use: 'read' });
});

test('without a limit, 2000 lines are shown and the rest is announced', async () => {
  tree.write('long.txt', lines(2500));
  const outcome = await read({ file_path: 'long.txt' });
  const numbered = outcome.content.split('\n').filter((line) => /^ *\d+\t/.test(line));
  assert.equal(numbered.length, 2000);
  assert.equal(numbered[1999], '  2000\tline 2000');
  assert.match(outcome.content, /500 more lines after line 2000 of 2500; call Read with offset 2001/);
});

test('numbers wider than six digits still get their tab', async () => {
  tree.write('wide.txt', lines(1_000_001, () => ''));
  const outcome = await read({ file_path: 'wide.txt', offset: 1_000_000, limit: 2 });
  assert.equal(outcome.content.split('\n\n')[0], '1000000\t\n1000001\t');
});

test('a line over 2000 characters is cut with a note, even a single 5 MB line', async () => {
  tree.write('wide-line.txt', `short\n${'x'.repeat(3000)}\nend\n`);
  const outcome = await read({ file_path: 'wide-line.txt' });
  const second = outcome.content.split('\n')[1];
  assert.ok(second.startsWith(`     2\t${'x'.repeat(READ_MAX_LINE_CHARS)} … (line cut at 2000 characters)`), second.slice(0, 50));
  assert.match(outcome.content, /\(1 line longer than 2000 characters is cut\.\)/);
  assert.match(outcome.content, / {5}3\tend/);

  tree.write('minified.js', 'y'.repeat(5 * 1024 * 1024));
  const started = Date.now();
  const huge = await read({ file_path: 'minified.js' });
  assert.ok(Date.now() - started < 2000);
  assert.ok(huge.content.length < 2100, `content is ${huge.content.length} characters`);
  assert.match(huge.content, /line cut at 2000 characters/);
});

test('past 64 MB, lines after the ones shown are not all counted: "more lines follow"', async () => {
  const line = `${'q'.repeat(99)}\n`;
  tree.write('huge.log', Buffer.alloc(70 * 1024 * 1024, line));
  const outcome = await read({ file_path: 'huge.log', limit: 3 });
  assert.match(outcome.content, /^ {5}1\tq{99}\n {5}2\tq{99}\n {5}3\tq{99}\n\n\(More lines follow line 3; call Read with offset 4 to read on\.\)$/);
  assert.match(outcome.summary, /^Read huge\.log · lines 1–3 of more than [\d,]+$/);
});

test('the output stops at its character budget and says where to read on', async () => {
  tree.write('heavy.txt', lines(2000, () => 'z'.repeat(1000)));
  const outcome = await read({ file_path: 'heavy.txt' });
  assert.ok(outcome.content.length <= READ_MAX_OUTPUT_CHARS + 200);
  const shown = outcome.content.split('\n').filter((line) => /^ *\d+\t/.test(line)).length;
  assert.ok(shown > 50 && shown < 2000, `${shown} lines shown`);
  assert.match(outcome.content, new RegExp(`call Read with offset ${shown + 1} to read on`));
});

test('binary files are refused: NUL bytes, or mostly control bytes', async () => {
  tree.write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
  const png = await read({ file_path: 'image.png' });
  assert.equal(png.isError, true);
  assert.equal(png.content, 'image.png looks like a binary file (it has NUL bytes); Read only shows text.');
  const noisy = Buffer.alloc(4096);
  for (let i = 0; i < noisy.length; i++) {
    noisy[i] = [0x01, 0x02, 0x41, 0x03, 0xff, 0x42][i % 6];
  }
  tree.write('blob.bin', noisy);
  const blob = await read({ file_path: 'blob.bin' });
  assert.equal(blob.isError, true);
  assert.match(blob.content, /looks like a binary file/);
});

test('notebooks are refused with a sentence; a .py file is fine', async () => {
  tree.write('analysis.ipynb', '{"cells": []}');
  const notebook = await read({ file_path: 'analysis.ipynb' });
  assert.equal(notebook.isError, true);
  assert.match(notebook.content, /^analysis\.ipynb is a Jupyter notebook, which Read does not open here/);
  tree.write('analysis.py', '# %%\nprint(1)\n');
  assert.equal((await read({ file_path: 'analysis.py' })).content, '     1\t# %%\n     2\tprint(1)');
});

test('an empty file says so; a directory points to LS; a missing file says it does not exist', async () => {
  tree.write('empty.txt', '');
  const empty = await read({ file_path: 'empty.txt' });
  assert.deepEqual([empty.isError, empty.content, empty.summary], [false, 'empty.txt is empty.', 'Read empty.txt · empty']);
  tree.mkdir('folder');
  const folder = await read({ file_path: 'folder' });
  assert.deepEqual([folder.isError, folder.content], [true, 'folder is a directory; use LS to list it.']);
  const missing = await read({ file_path: 'nope/missing.ts' });
  assert.equal(missing.isError, true);
  assert.equal(missing.content, 'nope/missing.ts does not exist; Glob or LS can find the right path.');
});

test('an offset past the end is an error that gives the length', async () => {
  tree.write('three.txt', lines(3));
  const outcome = await read({ file_path: 'three.txt', offset: 9 });
  assert.deepEqual([outcome.isError, outcome.content], [true, 'three.txt has 3 lines, so offset 9 is past its end.']);
});

test('output is plain text: CRLF, terminal escapes and control characters go, invalid UTF-8 becomes U+FFFD', async () => {
  tree.write('dirty.log', Buffer.concat([Buffer.from('\x1b[31mred\x1b[0m\r\nbell\x07 and \x1b]0;title\x07tab\there\r\n'), Buffer.from([0x62, 0xff, 0x61, 0x0a])]));
  const outcome = await read({ file_path: 'dirty.log' });
  assert.equal(outcome.content, '     1\tred\n     2\tbell and tab\there\n     3\tb\uFFFDa');
});

test('UTF-16 files with a BOM are decoded', async () => {
  tree.write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\r\nwörld\r\n', 'utf16le')]));
  const outcome = await read({ file_path: 'utf16.txt' });
  assert.equal(outcome.content, '     1\théllo\n     2\twörld');
});

test('bad input names the field in one sentence; numbers sent as strings are taken', async () => {
  tree.write('five.txt', lines(5));
  const cases: [unknown, RegExp][] = [
    [{}, /^Read needs "file_path": the path of the file to read\.$/],
    [{ file_path: 42 }, /^The "file_path" field of Read must be a string, not 42\.$/],
    [{ file_path: 'five.txt', offset: -1 }, /^The "offset" field of Read must be a line number \(1 is the first line\) of at least 0, not -1\.$/],
    [{ file_path: 'five.txt', limit: 0 }, /"limit" field of Read must be a number of lines of at least 1, not 0\./],
    [{ file_path: 'five.txt', limit: 2.5 }, /"limit" field/],
    [{ file_path: 'five.txt', offset: 'two' }, /"offset" field of Read .* not "two"\./],
    [['five.txt'], /^The input to Read must be a JSON object with its fields, not a list\.$/],
    [null, /^The input to Read must be a JSON object/],
  ];
  for (const [input, expected] of cases) {
    const outcome = await read(input);
    assert.equal(outcome.isError, true, JSON.stringify(input));
    assert.match(outcome.content, expected);
    assert.equal(outcome.content.split('. ').length, 1, `one sentence: ${outcome.content}`);
  }
  const stringy = await read({ file_path: 'five.txt', offset: '4', limit: '1' });
  assert.equal(stringy.content.split('\n')[0], '     4\tline 4');
});
