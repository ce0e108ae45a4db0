/**
 * Where a streamed Markdown source can be cut into final blocks, from markdown-it's tokens: the
 * top-level blocks with their source, the last point no later text can change (a block start on
 * a complete line, or the end of a closed code fence), an open fence's marker, and what a block
 * renders to as a comparable key. Pure: no DOM. Used by `streamingMarkdown.ts`.
 */
import type { Token } from 'markdown-it';

/** A top-level block of the tail: its tokens and its source (from its first line to the next block's). */
export interface TailBlock {
  readonly source: string;
  readonly tokens: Token[];
}

/** The marker of the open top-level fence the tail ends in (unclosed), if any. */
export function openFenceMarker(source: string, tokens: readonly Token[]): string | undefined {
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'fence' || last.level !== 0 || !last.map) {
    return undefined;
  }
  const lines = source.split('\n');
  const [start, end] = last.map;
  // Closed when the fence's last line is a closing marker (and is not its opening line).
  if (end - start >= 2 && closesFence(lines[end - 1] ?? '', last.markup)) {
    return undefined;
  }
  return last.markup;
}

/**
 * A tail ending in a closed top-level code fence (its closing line complete) is final as a
 * whole: nothing after the closing line changes the fence, so it is frozen (and highlighted)
 * once, without waiting for the next block.
 */
export function closedFenceCut(source: string, tokens: readonly Token[]): StableCut | undefined {
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'fence' || last.level !== 0 || !last.map || openFenceMarker(source, tokens) !== undefined) {
    return undefined;
  }
  const end = last.map[1];
  return end <= countNewlines(source) ? { offset: lineOffsets(source, [end])[0], tokenIndex: tokens.length } : undefined;
}

export function closesFence(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && (marker === '' || (match[1][0] === marker[0] && match[1].length >= marker.length));
}

/**
 * What a block renders to, as a string: every token field markdown-it's renderer and ours read
 * (not `map` or `level`, which move as the tail is cut), children included. Equal keys, equal DOM.
 */
export function renderKey(tokens: readonly Token[]): string {
  return JSON.stringify(tokens, RENDERED_FIELDS);
}

const RENDERED_FIELDS = ['type', 'tag', 'nesting', 'attrs', 'content', 'markup', 'info', 'block', 'hidden', 'children'];

/**
 * The top-level blocks of `tokens[0, cut.tokenIndex)`, each with its source up to the next block
 * (or `cut.offset`); by default all of them.
 */
export function topLevelBlocks(source: string, tokens: Token[], cut: StableCut = { offset: source.length, tokenIndex: tokens.length }): TailBlock[] {
  const starts: { index: number; line: number }[] = [];
  for (let i = 0; i < cut.tokenIndex; i++) {
    const token = tokens[i];
    if (token.level === 0 && token.nesting !== -1 && token.map) {
      starts.push({ index: i, line: starts.length === 0 ? 0 : token.map[0] });
    }
  }
  const offsets = lineOffsets(source, starts.map((s) => s.line));
  return starts.map((start, n) => {
    const end = n + 1 < starts.length ? starts[n + 1] : undefined;
    return {
      source: source.slice(offsets[n], end ? offsets[n + 1] : cut.offset),
      tokens: tokens.slice(start.index, end ? end.index : cut.tokenIndex),
    };
  });
}

export interface StableCut {
  /** Offset in the tail source where the last final block ends (a line start). */
  readonly offset: number;
  /** Index of the first token after the final blocks. */
  readonly tokenIndex: number;
}

/**
 * Where the final blocks of `source` end: the start of the last top-level block that begins on
 * a complete line, provided another block precedes it. A block starting on the incomplete last
 * line does not count: `#` alone is a heading that interrupts a paragraph, `#tag` is not.
 */
export function findStableCut(source: string, tokens: readonly Token[]): StableCut | undefined {
  const completeLines = countNewlines(source);
  let seenBlock = false;
  let cut: { line: number; tokenIndex: number } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.level !== 0 || token.nesting === -1 || !token.map) {
      continue;
    }
    const line = token.map[0];
    if (seenBlock && line < completeLines) {
      cut = { line, tokenIndex: i };
    }
    seenBlock = true;
  }
  return cut ? { offset: lineOffsets(source, [cut.line])[0], tokenIndex: cut.tokenIndex } : undefined;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}

/** Offsets of the starts of `lines` (ascending line numbers) in `text`, in one pass. */
function lineOffsets(text: string, lines: readonly number[]): number[] {
  const result: number[] = [];
  let offset = 0;
  let line = 0;
  for (const target of lines) {
    while (line < target) {
      offset = text.indexOf('\n', offset) + 1;
      line++;
    }
    result.push(offset);
  }
  return result;
}
