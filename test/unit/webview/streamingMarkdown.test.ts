/**
 * The panel's streaming Markdown renderer, in a real browser (headless Chromium): however an
 * answer is cut into deltas and frames, the DOM it ends with is the DOM of one render of the
 * whole text. The renderer freezes blocks, reuses rendered nodes and shows pending text as
 * plain text on the way; any mistake there shows up here as a different final DOM.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openHarnessPage } from './harnessPage';
import type { StreamOptions, StreamResult } from './streamingHarness';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module shared with the preview and the benchmark
import { CRLF, LONG_ANSWER, TRICKY } from '../../webview-preview/scenario.mjs';

/** Constructs where a later line changes how earlier lines render. */
const DOCUMENTS: Record<string, string> = {
  long: LONG_ANSWER as string,
  tricky: TRICKY as string,
  crlf: CRLF as string,
  setext: 'Intro paragraph.\n\nTitle\n=====\n\nSub title\n---\n\nText after.\n',
  tableAfterParagraph: 'Columns follow\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nDone.\n',
  looseningList: '- one\n- two\n\n- three\n\nAfter the list.\n\n1. first\n2. second\n   continued lazily\nstill lazy\n\n* x\n',
  nestedQuote: '> quote line\n> - item\n>   more\n> > deeper\n\nOut of the quote.\n\n> lazy\ncontinuation\n',
  fences: 'Before\n\n~~~~python\ndef f():\n    return "```"\n~~~~\n\n````md\n```js\ninner\n```\n````\n\n```\nunclosed at the end\n',
  references: 'See [the docs][docs] and [spec].\n\nMore [docs] text.\n\n[docs]: https://example.com/docs\n[spec]: https://example.com/spec "Spec"\n',
  headingsAndRules: '# One\ntext\n***\n## Two\n- a\n***\n- b\n\n    indented code\n    block\n\nend',
  inlineAcrossDeltas: 'Some **bold text** and `code span` and *emphasis* and a [link](https://example.com) end.\nNext line with <b>raw html</b> shown as text.\n',
  hostile: '<img src=x onerror="window.__pwned=1">\n\n[x](javascript:window.__pwned=1)\n\n```"><img src=x onerror=window.__pwned=1>\ncode\n```\n',
  // A block start on the incomplete last line is not one yet: `#` alone is a heading, `#tag` is not.
  partialLineStarts: Array.from({ length: 40 }, (_, i) => `Paragraph ${i}\n#tag${i} continues it\n-dash continues it\n1.5 continues it\n>not quite\n`).join(''),
  // Longer than one frame parses at once: frozen a slice at a time, references defined last.
  large: `${Array.from({ length: 12 }, (_, i) => `${i % 2 ? TRICKY : LONG_ANSWER}\n\nSee [the spec][spec-${i % 3}].\n\n`).join('')}[spec-0]: https://example.com/0\n[spec-1]: https://example.com/1\n`,
  noFinalNewline: 'Last paragraph without a newline',
  whitespaceOnly: '\n\n   \n',
};

const DELIVERIES: Record<string, StreamOptions> = {
  'one char per frame, fast frames': { chunk: 1, perFrame: 1, frameMs: 5 },
  'one token per frame, 60 Hz': { chunk: 4, perFrame: 1, frameMs: 1000 / 60 },
  'three tokens a frame': { chunk: 4, perFrame: 3, frameMs: 1000 / 60 },
  'odd chunks, slow frames': { chunk: 7, perFrame: 2, frameMs: 400 },
  'large chunks': { chunk: 97, perFrame: 1, frameMs: 1000 / 60 },
  'everything before one frame': { chunk: 4, perFrame: Number.MAX_SAFE_INTEGER, frameMs: 16 },
  'everything, then finish, then frames': { chunk: 4, perFrame: Number.MAX_SAFE_INTEGER, frameMs: 16, finishAtOnce: true },
  'a few frames, then finish': { chunk: 64, perFrame: 150, frameMs: 16, finishAtOnce: true },
};

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await openHarnessPage());
});

after(async () => {
  await browser?.close();
});

describe('streaming Markdown ends with the one-shot DOM', () => {
  for (const [documentName, text] of Object.entries(DOCUMENTS)) {
    test(documentName, async () => {
      for (const [deliveryName, options] of Object.entries(DELIVERIES)) {
        const result = await page.evaluate(
          ([text, options]) => (window as unknown as { __stream: (t: string, o: StreamOptions) => StreamResult }).__stream(text, options),
          [text, options] as const,
        );
        assert.equal(result.streamed, result.oneShot, `${documentName}, delivered as "${deliveryName}"`);
      }
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no payload ran');
    });
  }
});

test('the sanitizer behind the renderer removes what markdown-it would never emit, on every call', async () => {
  const probe = (html: string) => page.evaluate((html) => (window as unknown as { __sanitize: (h: string) => string }).__sanitize(html), html);
  // Twice each: the configuration is set once and must hold for every later call.
  for (let round = 0; round < 2; round++) {
    const out = await probe(
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><svg onload="window.__pwned=1"></svg>' +
        '<iframe src="https://example.com"></iframe><p style="color:red" onclick="window.__pwned=1">kept text</p>' +
        '<a href="javascript:window.__pwned=1">js</a><a href="command:workbench.action.quit">cmd</a>' +
        '<a href="https://example.com/ok" target="_blank">ok</a><form><input></form><b>bold</b>',
    );
    for (const banned of ['<img', '<script', '<svg', '<iframe', 'onclick', 'onerror', 'style=', 'javascript:', 'command:', 'target=', '<form', '<input', '<b>']) {
      assert.ok(!out.includes(banned), `round ${round}: "${banned}" survived: ${out}`);
    }
    assert.match(out, /<p>kept text<\/p>/);
    assert.match(out, /<a href="https:\/\/example\.com\/ok">ok<\/a>/);
  }
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no payload ran');
});
