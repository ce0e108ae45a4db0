/**
 * Plain text for the model: escapes and controls out, invalid UTF-8 as U+FFFD, long output cut in the middle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutMiddle, decodeUtf8, HeadTail, oneLine, plainText, shortQuote } from '../../../../src/core/tools/text';

test('plainText removes CSI, OSC and other escapes and control characters, keeps \\n and \\t', () => {
  assert.equal(plainText('\x1b[1;31mbold red\x1b[0m'), 'bold red');
  assert.equal(plainText('\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\'), 'link');
  assert.equal(plainText('\x1b]0;window title\x07after'), 'after');
  assert.equal(plainText('\x9b2Jcleared'), 'cleared');
  assert.equal(plainText('a\x00b\x07c\x08d\x7fe\x85f'), 'abcdef');
  assert.equal(plainText('col1\tcol2\nline2'), 'col1\tcol2\nline2');
  assert.equal(plainText('crlf\r\nprogress 10%\rprogress 100%\n'), 'crlf\nprogress 10%\nprogress 100%\n');
  assert.equal(plainText('ünïcödé ✓ 😀'), 'ünïcödé ✓ 😀');
});

test('invalid UTF-8 becomes U+FFFD; a BOM is dropped', () => {
  assert.equal(decodeUtf8(Buffer.from([0x61, 0xc3, 0x28, 0x62, 0xff])), 'a\uFFFD(b\uFFFD');
  assert.equal(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x68, 0x69])), 'hi');
});

test('oneLine and shortQuote keep a name on one line', () => {
  assert.equal(oneLine('evil\nname\r.ts'), 'evil\uFFFDname\uFFFD.ts');
  assert.equal(shortQuote('  npx   prisma\nmigrate  status  '), 'npx prisma migrate status');
  assert.equal(shortQuote('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
});

test('cutMiddle keeps head and tail and counts what it cut', () => {
  assert.equal(cutMiddle('short', 10), 'short');
  assert.equal(cutMiddle('0123456789abcdefghij', 10), '01234\n… 10 characters cut …\nfghij');
  // A surrogate pair on the cut is not split.
  const cut = cutMiddle(`abcd😀${'x'.repeat(20)}`, 10);
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(cut), cut);
});

test('HeadTail gives the same result as cutMiddle on the whole text, whatever the pieces', () => {
  const text = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
  for (const size of [1, 7, 100, 4096]) {
    const buffer = new HeadTail(1000);
    for (let i = 0; i < text.length; i += size) {
      buffer.push(text.slice(i, i + size));
    }
    assert.equal(buffer.text(), cutMiddle(text, 1000), `pieces of ${size}`);
  }
  const small = new HeadTail(1000);
  small.push('a');
  small.push('b');
  assert.equal(small.text(), 'ab');
});
