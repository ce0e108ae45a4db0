/**
 * Renders a Markdown answer while it streams, with bounded main-thread work.
 *
 * The answer is split into a frozen prefix and a live tail. A top-level block is final once
 * another top-level block has started after it on a complete line: nothing that arrives later
 * can change it (html blocks are off, and reference definitions are handled below). Such blocks
 * are rendered once, appended to the frozen part and never touched again.
 *
 * Rendering the tail as Markdown has a fixed cost (parse, sanitize, layout) that thousands of
 * deltas would multiply, so the tail is not rendered on every frame:
 *
 * - Between Markdown renders ("steps"), newly arrived text is appended as a plain TEXT NODE
 *   (never HTML) to a `.md-pending` span at the end of the tail's last block, or, inside an
 *   open code fence, to the code element itself (highlighted once, when the fence closes),
 *   at most every `PENDING_MIN_MS` (each update costs a layout of the paragraph it continues).
 * - A step runs when a line ends (a block may have completed) at most every `STEP_MIN_MS`, or
 *   every `STEP_MAX_MS` in a long line; but only while the time spent re-rendering the tail stays
 *   within `TAIL_BUDGET_RATIO` × the time spent rendering frozen blocks (+ `TAIL_ALLOWANCE_MS`),
 *   so the redundant tail work stays proportional to the one-shot cost. Over budget, steps fall
 *   back to one every `STEP_SLOW_MS`. Inside an open fence, only a possible closing line steps.
 * - Frozen blocks are rendered from a queue, at most `FRAME_BUDGET_MS` of them per frame (a
 *   single block is never split). While a backlog remains, the tail shows its source as text.
 *   `render()` returns whether more frames are needed.
 *
 * Reference-style links (`[text][id]` with `[id]: url` defined anywhere) are the one place where
 * later text changes earlier blocks; `finish()` re-renders the frozen blocks that were rendered
 * before all definitions were known and that contain a `[`, through the same time-sliced queue.
 * Once the queue is empty the DOM is identical to a one-shot render of the whole text.
 */
import type { Token } from 'markdown-it';
import { h } from './dom';
import { parseMarkdown, renderTokens, type MarkdownEnv } from './markdown';

/** Most time spent on queued frozen blocks in one frame while streaming. */
const FRAME_BUDGET_MS = 8;
/** Most time `finish()` spends synchronously (the rest follows in frames). */
const FINISH_BUDGET_MS = 30;
/** A completed line re-renders the tail at most this often. */
const STEP_MIN_MS = 120;
/** A long line without a newline re-renders the tail at most this often (for inline formatting). */
const STEP_MAX_MS = 300;
/** Over the tail budget, a completed line still re-renders the tail this often (so blocks freeze). */
const STEP_SLOW_MS = 1000;
/**
 * Text arriving between steps is shown at most this often: each update costs a layout of the
 * paragraph it continues (and a scroll), so 20 updates a second rather than one per frame.
 */
const PENDING_MIN_MS = 100;
/** Queued blocks are rendered together up to this much source. */
const MERGE_CHARS = 2048;
/** At `finish()`, a remainder this small is rendered at once (a few ms), whatever the budget. */
const FINISH_SYNC_CHARS = 8192;
/** Tail re-render time allowed per ms of frozen render time. */
const TAIL_BUDGET_RATIO = 0.5;
/** Tail re-render time allowed regardless of the frozen work (short answers). */
const TAIL_ALLOWANCE_MS = 30;

interface Block {
  /** The block's source, starting at a block start (for re-rendering it alone). */
  readonly source: string;
  /** Parsed tokens, when still valid for rendering. */
  tokens?: Token[];
  env: MarkdownEnv;
  /** How many reference definitions were known when it was parsed. */
  refs: number;
  /** The rendered nodes to replace (re-render at `finish()`). */
  readonly replace?: Node[];
}

interface Piece {
  readonly source: string;
  nodes: Node[];
  refs: number;
}

export interface StreamingMarkdownStats {
  /** Markdown renders of the tail (steps) and of queued frozen blocks. */
  steps: number;
  blocks: number;
  /** Plain-text updates of the tail between steps. */
  updates: number;
  tailMs: number;
  frozenMs: number;
}

export class StreamingMarkdown {
  /** The container to insert into the page. */
  readonly element: HTMLElement;
  private readonly frozen: HTMLElement;
  private readonly tail: HTMLElement;
  /** The source rendered (or queued) into `frozen`, in pieces. */
  private readonly frozenSource: string[] = [];
  /** The source not frozen yet. */
  private tailSource = '';
  /** Whether anything but whitespace arrived. */
  private anyText = false;
  /** Reference definitions found in the frozen prefix, available to the tail. */
  private references: Record<string, unknown> = {};
  /** A trailing `\r` held back until we know whether `\n` follows. */
  private pendingCR = false;
  private finished = false;
  private hasReferences = false;
  /** Frozen blocks waiting to be rendered, in order. */
  private readonly queue: Block[] = [];
  /** Rendered frozen blocks, kept for re-rendering when late reference definitions arrive. */
  private readonly pieces: Piece[] = [];
  /** Text that arrived since the tail's DOM was last updated. */
  private unshown = '';
  /** Whether a newline arrived since the last step. */
  private newlineSinceStep = false;
  /** The text node new text is appended to between steps. */
  private pendingText: Text | undefined;
  /** The tail ends in an open top-level code fence with this marker (``` or ~~~, its length). */
  private openFence: string | undefined;
  /** The tail shows its source as text (a backlog of frozen blocks is being rendered). */
  private tailIsRaw = false;
  private lastStepAt = -Infinity;
  private lastShownAt = -Infinity;
  private lineStart = '';
  readonly stats: StreamingMarkdownStats = { steps: 0, blocks: 0, updates: 0, tailMs: 0, frozenMs: 0 };

  /**
   * `decorate` adds trusted controls to each rendered fragment (e.g. code block actions).
   * `requestFrame` asks for another `render()` call (work left after `finish()`).
   */
  constructor(
    private readonly decorate: (fragment: DocumentFragment) => void = () => {},
    private readonly requestFrame: () => void = () => {},
  ) {
    this.frozen = h('div', { className: 'md-frozen' });
    this.tail = h('div', { className: 'md-tail' });
    this.element = h('div', { className: 'markdown' }, this.frozen, this.tail);
  }

  /** Whether the answer has any non-whitespace text yet; cheap enough to ask every frame. */
  get hasText(): boolean {
    return this.anyText;
  }

  /** Whether rendering work is left for later frames. */
  get busy(): boolean {
    return this.queue.length > 0 || (this.finished && this.tail.isConnected);
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
    this.push(normalized);
  }

  /**
   * Brings the DOM up to date within this frame's budget; `now` is the frame's time (for the
   * step throttle). Returns whether more frames are needed.
   */
  render(now: number = performance.now()): boolean {
    const deadline = performance.now() + (this.finished ? FRAME_BUDGET_MS * 1.5 : FRAME_BUDGET_MS);
    if (this.queue.length > 0) {
      this.drain(deadline);
      if (this.queue.length > 0) {
        this.showRaw();
        return true;
      }
    }
    if (this.finished) {
      this.tail.remove();
      return false;
    }
    if (this.tailIsRaw || this.stepDue(now)) {
      this.step(now, deadline);
      this.lastShownAt = now;
    } else if (this.unshown !== '' && now - this.lastShownAt >= PENDING_MIN_MS) {
      this.showPending();
      this.lastShownAt = now;
    }
    return this.busy || this.unshown !== '';
  }

  /** Renders the rest and freezes everything; later `append`s are ignored. */
  finish(): void {
    if (this.finished) {
      return;
    }
    if (this.pendingCR) {
      this.pendingCR = false;
      this.push('\n');
    }
    const started = performance.now();
    this.finished = true;
    const env = this.tailEnv();
    const tokens = parseMarkdown(this.tailSource, env);
    this.hasReferences ||= definesReferences(env, this.references);
    this.enqueue(this.tailSource, tokens, { offset: this.tailSource.length, tokenIndex: tokens.length }, env);
    this.frozenSource.push(this.tailSource);
    this.tailSource = '';
    if (this.hasReferences) {
      const references = env.references ?? {};
      const count = Object.keys(references).length;
      const finalEnv = (): MarkdownEnv => ({ references: { ...references } });
      for (const block of this.queue) {
        if (block.refs < count) {
          block.tokens = undefined;
          block.env = finalEnv();
          block.refs = count;
        }
      }
      const stale = this.pieces.filter((piece) => piece.refs < count && piece.source.includes('['));
      this.queue.unshift(...stale.map((piece): Block => ({ source: piece.source, env: finalEnv(), refs: count, replace: piece.nodes })));
    }
    this.stats.tailMs += performance.now() - started;
    this.drain(started + FINISH_BUDGET_MS);
    if (this.queue.reduce((chars, block) => chars + block.source.length, 0) <= FINISH_SYNC_CHARS) {
      this.drain(Infinity);
    }
    if (this.queue.length > 0) {
      this.showRaw();
      this.requestFrame();
    } else {
      this.tail.remove();
    }
  }

  private push(text: string): void {
    this.tailSource += text;
    this.unshown += text;
    this.anyText ||= text.trim() !== '';
    if (text.includes('\n')) {
      // A step is due on a completed line; inside an open fence, only on a possible closing line.
      const lines = (this.lineStart + text).split('\n');
      this.lineStart = lines.pop() ?? '';
      if (this.openFence === undefined || lines.some((line) => closesFence(line, this.openFence ?? ''))) {
        this.newlineSinceStep = true;
      }
    } else if (this.lineStart.length < 64) {
      this.lineStart += text;
    }
  }

  private stepDue(now: number): boolean {
    if (this.unshown === '') {
      return false;
    }
    const elapsed = now - this.lastStepAt;
    const withinBudget = this.stats.tailMs <= TAIL_BUDGET_RATIO * this.stats.frozenMs + TAIL_ALLOWANCE_MS;
    if (this.newlineSinceStep) {
      return elapsed >= (withinBudget || this.openFence !== undefined ? STEP_MIN_MS : STEP_SLOW_MS);
    }
    return this.openFence === undefined && withinBudget && elapsed >= STEP_MAX_MS;
  }

  /** Parses the tail, queues the blocks that became final, and renders the rest of the tail. */
  private step(now: number, deadline: number): void {
    this.lastStepAt = now;
    this.newlineSinceStep = false;
    this.stats.steps++;
    let started = performance.now();
    let tailSource = this.tailSource;
    let env = this.tailEnv();
    let tokens = parseMarkdown(tailSource, env);
    const newReferences = definesReferences(env, this.references);
    this.hasReferences ||= newReferences;
    const cut = closedFenceCut(tailSource, tokens) ?? findStableCut(tailSource, tokens);
    if (cut) {
      if (newReferences) {
        // Rare: learn exactly which definitions the frozen part holds, then parse the rest again.
        const frozenEnv = this.tailEnv();
        const frozenSource = tailSource.slice(0, cut.offset);
        const frozenTokens = parseMarkdown(frozenSource, frozenEnv);
        this.enqueue(frozenSource, frozenTokens, { offset: frozenSource.length, tokenIndex: frozenTokens.length }, frozenEnv);
        this.references = frozenEnv.references ?? this.references;
        tailSource = tailSource.slice(cut.offset);
        env = this.tailEnv();
        tokens = parseMarkdown(tailSource, env);
      } else {
        this.enqueue(tailSource, tokens, cut, env);
        tokens = tokens.slice(cut.tokenIndex);
        tailSource = tailSource.slice(cut.offset);
      }
      this.frozenSource.push(this.tailSource.slice(0, cut.offset));
      this.tailSource = tailSource;
    }
    this.stats.tailMs += performance.now() - started;
    this.drain(deadline);
    if (this.queue.length > 0) {
      this.showRaw();
      return;
    }
    started = performance.now();
    this.tail.replaceChildren(this.rendered(tokens, env));
    this.tailIsRaw = false;
    this.unshown = '';
    this.openFence = openFenceMarker(tailSource, tokens);
    this.pendingText = undefined;
    this.stats.tailMs += performance.now() - started;
  }

  /** Queues the final blocks `tokens[0, cut.tokenIndex)` of `source`, one entry per top-level block. */
  private enqueue(source: string, tokens: Token[], cut: StableCut, env: MarkdownEnv): void {
    const refs = Object.keys(env.references ?? {}).length;
    const starts: { index: number; line: number }[] = [];
    for (let i = 0; i < cut.tokenIndex; i++) {
      const token = tokens[i];
      if (token.level === 0 && token.nesting !== -1 && token.map) {
        starts.push({ index: i, line: starts.length === 0 ? 0 : token.map[0] });
      }
    }
    const offsets = lineOffsets(source, starts.map((s) => s.line));
    starts.forEach((start, n) => {
      const end = n + 1 < starts.length ? starts[n + 1] : undefined;
      this.queue.push({
        source: source.slice(offsets[n], end ? offsets[n + 1] : cut.offset),
        tokens: tokens.slice(start.index, end ? end.index : cut.tokenIndex),
        env,
        refs,
      });
    });
  }

  /** Renders queued blocks until `deadline` (at least one). */
  private drain(deadline: number): void {
    const started = performance.now();
    let now = started;
    while (this.queue.length > 0 && (now === started || now < deadline)) {
      let block = this.queue.shift() as Block;
      // Consecutive small blocks share one render (its fixed cost: sanitizing, decorating).
      while (!block.replace && block.tokens && block.source.length < MERGE_CHARS) {
        const next = this.queue[0];
        if (!next?.tokens || next.replace || next.env !== block.env || block.source.length + next.source.length > MERGE_CHARS) {
          break;
        }
        this.queue.shift();
        block = { source: block.source + next.source, tokens: block.tokens.concat(next.tokens), env: block.env, refs: block.refs };
      }
      const tokens = block.tokens ?? parseMarkdown(block.source, block.env);
      const fragment = this.rendered(tokens, block.env);
      const nodes = Array.from(fragment.childNodes);
      if (block.replace && block.replace.length > 0) {
        const [first, ...rest] = block.replace;
        first.parentNode?.insertBefore(fragment, first);
        first.parentNode?.removeChild(first);
        rest.forEach((node) => node.parentNode?.removeChild(node));
        const piece = this.pieces.find((p) => p.nodes === block.replace);
        if (piece) {
          piece.nodes = nodes;
          piece.refs = block.refs;
        }
      } else {
        this.frozen.append(fragment);
        if (block.source.includes('[')) {
          this.pieces.push({ source: block.source, nodes, refs: block.refs });
        }
      }
      this.stats.blocks++;
      now = performance.now();
    }
    this.stats.frozenMs += now - started;
  }

  /** Shows the source not rendered yet (queued blocks and the tail) as text. */
  private showRaw(): void {
    const source = this.queue.filter((block) => !block.replace).map((block) => block.source).join('') + this.tailSource;
    if (this.tailIsRaw && this.pendingText) {
      this.pendingText.data = source;
    } else {
      this.pendingText = document.createTextNode(source);
      this.tail.replaceChildren(h('span', { className: 'md-pending' }, this.pendingText));
      this.tailIsRaw = true;
    }
    this.openFence = undefined;
    this.unshown = '';
  }

  /** Appends the text that arrived since the last update as a text node (never HTML). */
  private showPending(): void {
    if (!this.pendingText) {
      this.pendingText = document.createTextNode('');
      if (this.openFence !== undefined) {
        const code = this.tail.lastElementChild?.querySelector('pre > code');
        if (code) {
          code.append(this.pendingText);
        } else {
          this.openFence = undefined;
        }
      }
      if (this.openFence === undefined) {
        pendingParent(this.tail).append(h('span', { className: 'md-pending' }, this.pendingText));
      }
    }
    this.pendingText.appendData(this.unshown);
    this.unshown = '';
    this.stats.updates++;
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

/** Where pending text reads as a continuation: the deepest last paragraph, item, heading or quote. */
function pendingParent(tail: HTMLElement): HTMLElement {
  let node: HTMLElement = tail;
  for (;;) {
    const last = node.lastElementChild;
    if (last instanceof HTMLElement && /^(P|UL|OL|LI|BLOCKQUOTE|H[1-6])$/.test(last.tagName)) {
      node = last;
    } else {
      return node;
    }
  }
}

/** The marker of the open top-level fence the tail ends in (unclosed), if any. */
function openFenceMarker(source: string, tokens: readonly Token[]): string | undefined {
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
function closedFenceCut(source: string, tokens: readonly Token[]): StableCut | undefined {
  const last = tokens[tokens.length - 1];
  if (!last || last.type !== 'fence' || last.level !== 0 || !last.map || openFenceMarker(source, tokens) !== undefined) {
    return undefined;
  }
  const end = last.map[1];
  return end <= countNewlines(source) ? { offset: lineOffsets(source, [end])[0], tokenIndex: tokens.length } : undefined;
}

function closesFence(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return match !== null && (marker === '' || (match[1][0] === marker[0] && match[1].length >= marker.length));
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
  return cut ? { offset: lineOffsets(source, [cut.line])[0], tokenIndex: cut.tokenIndex } : undefined;
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
