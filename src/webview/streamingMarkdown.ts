/**
 * Renders a Markdown answer while it streams without re-rendering the whole answer each time.
 *
 * The answer is split into a frozen prefix and a live tail. Each `render()` parses only the
 * tail. A top-level block is final once another top-level block has started after it on a
 * complete line: nothing that arrives later can change it (html blocks are off, and reference
 * definitions are handled below). Such blocks are rendered once, appended to the frozen part
 * and never touched again; only the remaining tail (usually the last paragraph, list or open
 * code fence) is rendered again.
 *
 * Reference-style links (`[text][id]` with `[id]: url` defined anywhere) are the one place
 * where later text changes earlier blocks; when an answer defines any, `finish()` renders it
 * once more in full.
 */
import type { Token } from 'markdown-it';
import { h } from './dom';
import { parseMarkdown, renderTokens, type MarkdownEnv } from './markdown';

export class StreamingMarkdown {
  /** The container to insert into the page. */
  readonly element: HTMLElement;
  private readonly frozen: HTMLElement;
  private readonly tail: HTMLElement;
  /** The source rendered into `frozen`, in pieces (joined only when the whole text is asked for). */
  private readonly frozenSource: string[] = [];
  /**
   * The source not frozen yet. Kept apart so each render touches only the tail: slicing one
   * growing string would copy the whole answer on every frame.
   */
  private tailSource = '';
  /** Whether anything but whitespace arrived (read every frame, so not from the text). */
  private anyText = false;
  /** Reference definitions found in the frozen prefix, available to the tail. */
  private references: Record<string, unknown> = {};
  /** A trailing `\r` held back until we know whether `\n` follows. */
  private pendingCR = false;
  private dirty = false;
  private finished = false;
  /** Whether any reference definition has been seen, so `finish()` must render everything again. */
  private hasReferences = false;

  /** `decorate` adds trusted controls to each rendered fragment (e.g. code block actions). */
  constructor(private readonly decorate: (fragment: DocumentFragment) => void = () => {}) {
    this.frozen = h('div', { className: 'md-frozen' });
    this.tail = h('div', { className: 'md-tail' });
    this.element = h('div', { className: 'markdown' }, this.frozen, this.tail);
  }

  /** Whether the answer has any non-whitespace text yet; cheap enough to ask every frame. */
  get hasText(): boolean {
    return this.anyText;
  }

  /** The Markdown source received so far. */
  get text(): string {
    return this.frozenSource.join('') + this.tailSource;
  }

  append(text: string): void {
    if (this.finished || text.length === 0) {
      return;
    }
    // Line numbers in markdown-it's token maps count normalized newlines; keep the source so.
    let chunk = (this.pendingCR ? '\r' : '') + text;
    this.pendingCR = chunk.endsWith('\r');
    if (this.pendingCR) {
      chunk = chunk.slice(0, -1);
    }
    const normalized = chunk.replace(/\r\n?/g, '\n');
    this.tailSource += normalized;
    this.anyText ||= normalized.trim() !== '';
    this.dirty = true;
  }

  /** Brings the DOM up to date with the source; cheap when nothing arrived. */
  render(): void {
    if (!this.dirty) {
      return;
    }
    this.dirty = false;
    let tailSource = this.tailSource;
    let env = this.tailEnv();
    let tokens = parseMarkdown(tailSource, env);
    const newReferences = definesReferences(env, this.references);
    this.hasReferences ||= newReferences;
    const cut = findStableCut(tailSource, tokens);
    if (cut) {
      if (newReferences) {
        // Rare: learn exactly which definitions the frozen part holds, then parse the rest again.
        const frozenEnv = this.tailEnv();
        this.frozen.append(this.rendered(parseMarkdown(tailSource.slice(0, cut.offset), frozenEnv), frozenEnv));
        this.references = frozenEnv.references ?? this.references;
        tailSource = tailSource.slice(cut.offset);
        env = this.tailEnv();
        tokens = parseMarkdown(tailSource, env);
      } else {
        this.frozen.append(this.rendered(tokens.slice(0, cut.tokenIndex), env));
        tokens = tokens.slice(cut.tokenIndex);
      }
      this.frozenSource.push(this.tailSource.slice(0, cut.offset));
      this.tailSource = this.tailSource.slice(cut.offset);
    }
    this.tail.replaceChildren(this.rendered(tokens, env));
  }

  /** Renders the rest and freezes everything; later `append`s are ignored. */
  finish(): void {
    if (this.pendingCR) {
      this.pendingCR = false;
      this.tailSource += '\n';
      this.dirty = true;
    }
    this.render();
    this.finished = true;
    if (this.hasReferences) {
      const env: MarkdownEnv = {};
      this.frozen.replaceChildren(this.rendered(parseMarkdown(this.text, env), env));
    } else {
      this.frozen.append(...Array.from(this.tail.childNodes));
    }
    this.tail.remove();
  }

  private rendered(tokens: Token[], env: MarkdownEnv): DocumentFragment {
    const fragment = renderTokens(tokens, env);
    this.decorate(fragment);
    return fragment;
  }

  private tailEnv(): MarkdownEnv {
    return { references: { ...this.references } };
  }
}

interface StableCut {
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
  return cut ? { offset: lineOffset(source, cut.line), tokenIndex: cut.tokenIndex } : undefined;
}

function definesReferences(env: MarkdownEnv, known: Record<string, unknown>): boolean {
  return Object.keys(env.references ?? {}).length > Object.keys(known).length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}

function lineOffset(text: string, line: number): number {
  let offset = 0;
  for (let n = 0; n < line; n++) {
    offset = text.indexOf('\n', offset) + 1;
  }
  return offset;
}
