/**
 * The CommonMark spec's own examples (npm `commonmark-spec`, 652 of them), plus the constructs
 * markdown-it adds (tables, strikethrough, linkify) and the ones where whitespace at the end of
 * a line or of the answer matters, streamed through the panel's renderer in headless Chromium
 * in many delivery patterns: each must end with exactly the DOM of one render of the whole text.
 *
 * Hundreds of documents go through one page evaluation, so the whole corpus takes seconds.
 * A mismatch names the example and the delivery (its seed, for the random ones).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT, repoPath } from '../support/paths';
import { openHarnessPage } from './harnessPage';
import type { StreamMismatch, StreamOptions } from './streamingHarness';

interface SpecExample {
  readonly markdown: string;
  readonly section: string;
  readonly number: number;
}

/** One document of the corpus and where it comes from, for the failure message. */
interface Sample {
  readonly name: string;
  readonly text: string;
}

/**
 * The spec examples, read with the package's own extractor at run time (bundling it would move
 * the `spec.txt` it reads). The spec writes a tab as `→`.
 */
function specExamples(): Sample[] {
  const spec = createRequire(repoPath('package.json'))('commonmark-spec') as { tests: SpecExample[] };
  return spec.tests.map((example) => ({
    name: `spec example ${example.number} (${example.section})`,
    text: example.markdown.replace(/→/g, '\t'),
  }));
}

const NBSP = '\u00a0';
const IDEOGRAPHIC_SPACE = '\u3000';

/**
 * What markdown-it renders beyond the spec (its own fixtures are not in its npm package, so
 * these are written here after the constructs its rules handle), and documents where trailing
 * whitespace is part of the rendering: code keeps its spaces and last newline, and U+00A0 and
 * U+3000 are not Markdown whitespace at all.
 */
const EXTRAS: Record<string, string> = {
  tableBasic: '| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |\n',
  tableAligned: 'left | center | right\n:--- | :---: | ---:\nx | y | z\n',
  tableEscapedPipes: '| a \\| b | `c | d` |\n| --- | --- |\n| \\| | `|` |\n',
  tableColumnsMismatch: '| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n',
  tableHeaderOnly: '| a | b |\n|---|---|\n',
  tableThenParagraph: '| a | b |\n|---|---|\n| 1 | 2 |\nno pipe here\n\nafter\n',
  tableAfterParagraph: 'text\n| a | b |\n|---|---|\n| 1 | 2 |\n',
  tableInQuote: '> | a | b |\n> |---|---|\n> | 1 | 2 |\n\nout\n',
  tableInList: '- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n- next\n',
  tableNotATable: '| a | b |\n|---|---|---|\n| 1 | 2 |\n',
  tableTrailingSpaces: `| a | b |  \n|---|---|  \n| 1${NBSP} | 2  \n`,
  strikethrough: '~~deleted~~ and ~~a ~~nested~~ b~~ and ~~unclosed\n\n~one tilde~ and ~~~ three\n',
  strikethroughAcrossLines: '~~starts here\nends here~~\n',
  linkify: 'See https://example.com. Or (https://example.com/a_(b)) and <https://example.com/x>.\n\n`https://in.code` and www.example.com and javascript:alert(1)\n',
  linkifyAtEnd: 'Ends with a link https://example.com/path?q=1',
  references: '[proto][__proto__] [own][hasOwnProperty]\n\n[__proto__]: https://example.com/p\n[hasOwnProperty]: https://example.com/h\n',
  referenceTitleNextLine: '[foo]: https://example.com\n"title"\n\n[foo]\n',
  hostileLinks: '[a](javascript&#x3A;alert(1)) [b](JAVASCRIPT:alert(1)) <javascript:alert(1)> ![i](data:image/png;base64,AAA)\n\n<script>alert(1)</script>\n',
  nul: 'a\u0000b\n\n    code\u0000\n\n```\n\u0000\n```\n',
  lonelyCarriageReturns: 'one\rtwo\r\rthree\r\n    code  \r```\rfence  \r',
  deepQuotes: `${'> '.repeat(60)}deep\n\nout\n`,
  deepLists: `${Array.from({ length: 30 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n`,
  manyBrackets: `${'['.repeat(200)}x${']'.repeat(200)}\n\n${'*'.repeat(150)}a${'_'.repeat(150)}\n`,
  indentedCodeTrailingSpaces: 'Para\n\n    code  \n    more\t\n    last   \n',
  indentedCodeTrailingSpacesAtEnd: '    code  \n    last   ',
  indentedCodeBlankLines: '    a\n      \n    b  \n\n\n\nafter\n',
  indentedCodeThenBlankIndentedLine: '    a  \n    ',
  fenceClosedByEnd: 'Text\n\n```js\nconst a = 1;  \n',
  fenceClosedByEndNoNewline: '```\ncode',
  fenceClosedByEndTrailingSpaces: '```\ncode   ',
  fenceClosedByEndBlankLines: '~~~\ncode\n\n\n',
  fenceClosedByQuoteEnd: '> ```\n> code  \n\nafter\n',
  fenceClosedByQuoteEndNoNewline: '> ```\n> code',
  fenceClosedByListItemEnd: '- ```\n  code\n- next\n',
  fenceClosedByListItemEndAtAnswerEnd: '1. ```\n   code  ',
  fenceWithTrailingWhitespaceLines: '```\na\n   \n\t\n```\n',
  fenceCloserWithTrailingSpaces: '```\na  \n```   \nafter\n',
  nbspLineEnds: `Ends in a non-breaking space${NBSP}\nnext${NBSP}\n\n# Heading${NBSP}\n\n- item${NBSP}\n`,
  nbspAtAnswerEnd: `last${NBSP}`,
  ideographicSpaceLineEnds: `全角スペースで終わる${IDEOGRAPHIC_SPACE}\n次の行${IDEOGRAPHIC_SPACE}${IDEOGRAPHIC_SPACE}\n\n    code${IDEOGRAPHIC_SPACE}\n`,
  ideographicSpaceAtAnswerEnd: `終わり${IDEOGRAPHIC_SPACE}`,
  nbspInCode: `\`\`\`\ncode${NBSP}\n\`\`\`\n\n    indented${NBSP}\n`,
  hardBreaks: 'two spaces  \nbackslash\\\nat end of paragraph  \n\nat end of answer  ',
  tabsEverywhere: '-\tone\n\n\t\tcode\t\n>\tquote\t\n\ntext\t\n',
  trailingBlankLinesOnly: 'para\n\n\n   \n\t\n',
};

/**
 * Ways an answer reaches the renderer. Steps (Markdown renders of the tail) happen when a line
 * ends, at most every 250 ms, and within a long line every 300 ms: slow frames make a step of
 * nearly every delta, so the tail is rendered at every possible cut.
 */
const DELIVERIES: Record<string, StreamOptions> = {
  'one character a frame, a step at every character (300 ms frames)': { chunk: 1, perFrame: 1, frameMs: 300 },
  'one character a frame, fast frames (5 ms)': { chunk: 1, perFrame: 1, frameMs: 5 },
  'one token a frame at 60 Hz': { chunk: 4, perFrame: 1, frameMs: 1000 / 60 },
  'random deltas of 1 to 40 characters, 1 to 3 a frame, frames 5 to 300 ms apart': { chunk: 40, perFrame: 3, frameMs: 300, seed: 1 },
  'random deltas of 1 to 8 characters, a frame each, 5 to 300 ms apart': { chunk: 8, perFrame: 1, frameMs: 300, seed: 2 },
  'everything before one frame, then finish() before the frames catch up': { chunk: 3, perFrame: Number.MAX_SAFE_INTEGER, frameMs: 16, finishAtOnce: true },
  'a few frames, then finish() before they catch up': { chunk: 2, perFrame: 5, frameMs: 300, finishAtOnce: true },
};

/** Deliveries of the corpus with CRLF line endings (a `\r` and its `\n` often in different deltas). */
const CRLF_DELIVERIES: Record<string, StreamOptions> = {
  'CRLF, one character a frame, a step at every character': { chunk: 1, perFrame: 1, frameMs: 300 },
  'CRLF, random deltas of 1 to 40 characters, frames 5 to 300 ms apart': { chunk: 40, perFrame: 3, frameMs: 300, seed: 3 },
  'CRLF, a few frames, then finish() before they catch up': { chunk: 3, perFrame: 4, frameMs: 300, finishAtOnce: true },
};

/** Documents per page evaluation: a few hundred ms each, well inside the protocol's limits. */
const BATCH = 120;

const corpus: Sample[] = [...specExamples(), ...Object.entries(EXTRAS).map(([name, text]) => ({ name, text }))];

let browser: Browser;
let page: Page;

before(async () => {
  ({ browser, page } = await openHarnessPage());
});

after(async () => {
  await browser?.close();
});

async function mismatches(texts: readonly string[], options: StreamOptions): Promise<StreamMismatch[]> {
  const found: StreamMismatch[] = [];
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = texts.slice(start, start + BATCH);
    const result = await page.evaluate(
      ([texts, options]) => (window as unknown as { __streamMany: (t: readonly string[], o: StreamOptions) => StreamMismatch[] }).__streamMany(texts, options),
      [batch, options] as const,
    );
    found.push(...result.map((mismatch) => ({ ...mismatch, index: start + mismatch.index })));
  }
  return found;
}

function report(found: readonly StreamMismatch[], samples: readonly Sample[], delivery: string): string {
  const names = found.map((mismatch) => samples[mismatch.index].name);
  const first = found[0];
  const sample = samples[first.index];
  return (
    `${found.length} of ${samples.length} documents end differently from one render when delivered as "${delivery}": ` +
    `${names.slice(0, 20).join('; ')}${names.length > 20 ? '; …' : ''}\n` +
    `first: ${JSON.stringify(sample.text)}\nstreamed: ${first.streamed}\none render: ${first.oneShot}`
  );
}

test('the corpus is the whole CommonMark spec and the extras', () => {
  const spec = corpus.filter((sample) => sample.name.startsWith('spec example'));
  assert.equal(spec.length, 652, `commonmark-spec 0.31.2 has 652 examples (${REPO_ROOT})`);
  assert.ok(spec.some((sample) => sample.text.includes('\t')), 'the spec writes tabs as →; they are tabs here');
  assert.ok(!spec.some((sample) => sample.text.includes('→')));
  assert.equal(corpus.length, 652 + Object.keys(EXTRAS).length);
});

/**
 * The corpus in runs of 25 documents, each run one answer: blocks of one example meet the next
 * one's, reference definitions come after the links that use them, a fence left open swallows
 * the rest. Answers of a few KB go through freezing, block reuse and the finish()-time
 * re-render of links; the whole corpus as one answer (over 15 KB) through the long-tail slices.
 */
const ANSWERS: Sample[] = [
  ...Array.from({ length: Math.ceil(corpus.length / 25) }, (_, n) => ({
    name: `documents ${n * 25 + 1} to ${Math.min(corpus.length, n * 25 + 25)} as one answer`,
    text: corpus
      .slice(n * 25, n * 25 + 25)
      .map((sample) => sample.text)
      .join('\n'),
  })),
  { name: 'the whole corpus as one answer', text: corpus.map((sample) => sample.text).join('\n') },
];

describe('every CommonMark example and markdown-it construct, streamed, ends as one render', () => {
  for (const [delivery, options] of Object.entries(DELIVERIES)) {
    test(delivery, async () => {
      const found = await mismatches(
        corpus.map((sample) => sample.text),
        options,
      );
      assert.ok(found.length === 0, found.length === 0 ? '' : report(found, corpus, delivery));
    });
  }
  for (const [delivery, options] of Object.entries(CRLF_DELIVERIES)) {
    test(delivery, async () => {
      const crlf = corpus.map((sample) => ({ name: sample.name, text: sample.text.replace(/\r?\n/g, '\r\n') }));
      const found = await mismatches(
        crlf.map((sample) => sample.text),
        options,
      );
      assert.ok(found.length === 0, found.length === 0 ? '' : report(found, crlf, delivery));
    });
  }
});

describe('runs of the corpus as longer answers end as one render', () => {
  for (const [delivery, options] of Object.entries({ ...DELIVERIES, ...CRLF_DELIVERIES })) {
    test(delivery, async () => {
      const answers = delivery.startsWith('CRLF') ? ANSWERS.map((a) => ({ ...a, text: a.text.replace(/\r?\n/g, '\r\n') })) : ANSWERS;
      const found = await mismatches(
        answers.map((answer) => answer.text),
        options,
      );
      assert.ok(found.length === 0, found.length === 0 ? '' : report(found, answers, delivery));
    });
  }
});
