/**
 * Renders a Markdown answer while it streams, with bounded main-thread work.
 *
 * The answer is split into a frozen prefix and a live tail. A top-level block is final once
 * another top-level block has started after it on a complete line: nothing that arrives later
 * can change it (html blocks are off, and reference definitions are handled below). Such blocks
 * are rendered once, appended to the frozen part and never touched again.
 *
 * The tail is rendered block by block, and a block whose tokens have not changed since it was
 * rendered keeps its nodes: when it becomes final they MOVE into the frozen part instead of
 * being rendered again, so most blocks are rendered once in all (a paragraph is usually complete
 * one step before the next block shows it is final). Tokens, not source, decide: the blank lines
 * that later separate a paragraph from the next block change its source but not its tokens, while
 * the trailing spaces or last newline of a code block change both (and are kept in its DOM).
 *
 * Rendering the tail as Markdown has a fixed cost (parse, sanitize, layout) that thousands of
 * deltas would multiply, so the tail is not rendered on every frame:
 *
 * - Between Markdown renders ("steps"), newly arrived text is appended as a plain TEXT NODE
 *   (never HTML) to a `.md-pending` span at the end of the tail's last block, or, inside an
 *   open code fence, to the code element itself (highlighted once, when the fence closes),
 *   at most every `PENDING_MIN_MS` and once a few words are waiting (each update costs a layout).
 * - Steps share that cadence (one DOM change of the tail per `PENDING_MIN_MS` at most). A step
 *   runs when a line ends (a block may have completed) at most every `STEP_MIN_MS`, or
 *   every `STEP_MAX_MS` in a long line; but only while the time spent re-rendering the tail stays
 *   within `TAIL_BUDGET_RATIO` × the time spent on renders that end up in the answer (frozen
 *   blocks, and tail blocks moved into it) (+ `TAIL_ALLOWANCE_MS`), so the redundant tail work
 *   stays proportional to the one-shot cost. Over budget, steps fall back to one every
 *   `STEP_SLOW_MS`. Inside an open fence, only a possible closing line steps.
 * - Frozen blocks are rendered from a queue, at most `FRAME_BUDGET_MS` of them per frame (a
 *   single block is never split). While a backlog remains, the tail shows its source as text.
 *   `render()` returns whether more frames are needed.
 * - A tail longer than `MAX_PARSE_CHARS` (text arrived faster than frames, or `finish()` came
 *   first) is not parsed whole: each frame freezes the final blocks of its first slice.
 *
 * Reference-style links (`[text][id]` with `[id]: url` defined anywhere) are the one place where
 * later text changes earlier blocks; `finish()` re-renders the frozen blocks that were rendered
 * before all definitions were known and that contain a `[`, through the same time-sliced queue.
 * Once the queue is empty the DOM is identical to a one-shot render of the whole text.
 */
import type { Token } from 'markdown-it';
import { closedFenceCut, closesFence, findStableCut, openFenceMarker, renderKey, topLevelBlocks, type TailBlock } from './blockBoundaries';
import { h } from './dom';
import { parseMarkdown, renderTokens, type MarkdownEnv } from './markdown';

/** Most time spent on queued frozen blocks in one frame while streaming. */
const FRAME_BUDGET_MS = 8;
/** Most time `finish()` spends synchronously (the rest follows in frames). */
const FINISH_BUDGET_MS = 30;
/** A completed line re-renders the tail at most this often. */
const STEP_MIN_MS = 250;
/** A long line without a newline re-renders the tail at most this often (for inline formatting). */
const STEP_MAX_MS = 300;
/** Over the tail budget, a completed line still re-renders the tail this often (so blocks freeze). */
const STEP_SLOW_MS = 1000;
/**
 * Text arriving between steps is shown at most this often, and only once `PENDING_MIN_CHARS` of
 * it are waiting (or `PENDING_MAX_MS` have passed): each update costs a layout and a scroll
 * (about 0.1 ms), so the number of updates follows the length of the answer (a few words each),
 * not the length of the stream (a slow model would otherwise pay for one every frame).
 */
const PENDING_MIN_MS = 100;
const PENDING_MIN_CHARS = 32;
const PENDING_MAX_MS = 400;
/** Queued blocks are rendered together up to this much source. */
const MERGE_CHARS = 2048;
/**
 * A tail longer than this (text arrived faster than frames) is not parsed whole in one frame:
 * the final blocks of its first this-many characters are frozen first, a slice per frame.
 */
const MAX_PARSE_CHARS = 12288;
/** While a backlog is rendered, at most this much of its source is shown as text. */
const RAW_PREVIEW_CHARS = 3000;
/** At `finish()`, a remainder this small is rendered at once (a few ms), whatever the budget. */
const FINISH_SYNC_CHARS = 8192;
/** Tail re-render time allowed per ms of frozen render time. */
const TAIL_BUDGET_RATIO = 0.25;
/** Tail re-render time allowed regardless of the frozen work (short answers). */
const TAIL_ALLOWANCE_MS = 15;

interface Block {
  /** The block's source, starting at a block start (for re-rendering it alone). */
  readonly source: string;
  /** Parsed tokens, when still valid for rendering. */
  tokens?: Token[];
  /** Nodes rendered in the tail from the same source: moved into the frozen part as they are. */
  rendered?: RenderedBlock;
  env: MarkdownEnv;
  /** How many reference definitions were known when it was parsed. */
  refs: number;
  /** The rendered nodes to replace (re-render at `finish()`). */
  readonly replace?: Node[];
}

/** A tail block as rendered in the tail, reusable while its tokens stay the same. */
interface RenderedBlock {
  /** `renderKey` of the tokens it was rendered from. */
  readonly key: string;
  readonly nodes: Node[];
  /** Time its render took. */
  readonly ms: number;
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
  /** Tail blocks moved into the frozen part without a second render, and their render time. */
  reused: number;
  reusedMs: number;
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
  /** `finish()` was called and the tail is still to be frozen (a slice per frame when long). */
  private closing = false;
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
  /** The blocks rendered in the tail by the last step, in order (none while the tail is raw). */
  private tailBlocks: RenderedBlock[] = [];
  readonly stats: StreamingMarkdownStats = { steps: 0, blocks: 0, reused: 0, reusedMs: 0, updates: 0, tailMs: 0, frozenMs: 0 };

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
    if (this.closing) {
      if (!this.freezeLongTail(deadline)) {
        this.close(deadline);
      }
      return this.busy;
    }
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
    // Steps and plain-text updates share one cadence: at most one change of the tail's DOM (and
    // so one layout) every `PENDING_MIN_MS`, unless the tail shows raw text to catch up on.
    if (this.tailIsRaw || (now - this.lastShownAt >= PENDING_MIN_MS && this.stepDue(now))) {
      this.step(now, deadline);
      this.lastShownAt = now;
    } else if (this.pendingDue(now)) {
      this.showPending();
      this.lastShownAt = now;
    }
    return this.busy || this.unshown !== '' || this.tailIsRaw;
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
    this.finished = true;
    this.closing = true;
    this.removePending();
    if (this.tailSource.length > MAX_PARSE_CHARS) {
      this.showRaw();
      this.requestFrame();
    } else {
      this.close(performance.now() + FINISH_BUDGET_MS);
    }
  }

  /** Freezes the whole tail: everything has arrived. Renders until `deadline`, the rest in frames. */
  private close(deadline: number): void {
    const started = performance.now();
    this.closing = false;
    const env = this.tailEnv();
    const tokens = parseMarkdown(this.tailSource, env);
    this.hasReferences ||= definesReferences(env, this.references);
    const blocks = topLevelBlocks(this.tailSource, tokens);
    this.enqueue(blocks, env, this.reusable(blocks));
    this.frozenSource.push(this.tailSource);
    this.tailSource = '';
    if (this.hasReferences) {
      const references = env.references ?? {};
      const count = Object.keys(references).length;
      const finalEnv = (): MarkdownEnv => ({ references: { ...references } });
      for (const block of this.queue) {
        if (block.refs < count) {
          block.tokens = undefined;
          block.rendered = undefined;
          block.env = finalEnv();
          block.refs = count;
        }
      }
      const stale = this.pieces.filter((piece) => piece.refs < count && piece.source.includes('['));
      this.queue.unshift(...stale.map((piece): Block => ({ source: piece.source, env: finalEnv(), refs: count, replace: piece.nodes })));
    }
    this.stats.tailMs += performance.now() - started;
    this.drain(deadline);
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

  /**
   * With a tail too long to parse in one frame, freezes the final blocks of its first
   * `MAX_PARSE_CHARS` (a block is final once another starts after it on a complete line, which
   * the lines after the slice cannot change), renders what fits before `deadline` and shows the
   * rest as text. Returns false when the tail is short, or the slice holds no final block.
   */
  private freezeLongTail(deadline: number): boolean {
    if (this.tailSource.length <= MAX_PARSE_CHARS) {
      return false;
    }
    const started = performance.now();
    const end = this.tailSource.lastIndexOf('\n', MAX_PARSE_CHARS);
    const slice = this.tailSource.slice(0, end + 1);
    const env = this.tailEnv();
    const tokens = end > 0 ? parseMarkdown(slice, env) : [];
    const cut = closedFenceCut(slice, tokens) ?? findStableCut(slice, tokens);
    if (!cut) {
      this.stats.tailMs += performance.now() - started;
      return false;
    }
    const frozenSource = slice.slice(0, cut.offset);
    if (definesReferences(env, this.references)) {
      this.hasReferences = true;
      this.enqueueLearningReferences(frozenSource);
    } else {
      this.enqueue(topLevelBlocks(slice, tokens, cut), env, 0);
    }
    this.frozenSource.push(frozenSource);
    this.tailSource = this.tailSource.slice(cut.offset);
    // The tail's rendered blocks (if any) no longer line up with its source.
    this.tailBlocks = [];
    this.stats.tailMs += performance.now() - started;
    this.drain(deadline);
    this.showRaw();
    return true;
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
    const { tailMs, frozenMs, reusedMs } = this.stats;
    const withinBudget = tailMs - reusedMs <= TAIL_BUDGET_RATIO * (frozenMs + reusedMs) + TAIL_ALLOWANCE_MS;
    if (this.newlineSinceStep) {
      return elapsed >= (withinBudget || this.openFence !== undefined ? STEP_MIN_MS : STEP_SLOW_MS);
    }
    return this.openFence === undefined && withinBudget && elapsed >= STEP_MAX_MS;
  }

  private pendingDue(now: number): boolean {
    const elapsed = now - this.lastShownAt;
    return this.unshown !== '' && elapsed >= PENDING_MIN_MS && (this.unshown.length >= PENDING_MIN_CHARS || elapsed >= PENDING_MAX_MS);
  }

  /** Parses the tail, queues the blocks that became final, and renders the rest of the tail. */
  private step(now: number, deadline: number): void {
    this.lastStepAt = now;
    this.newlineSinceStep = false;
    this.stats.steps++;
    this.removePending();
    if (this.tailIsRaw) {
      this.tail.replaceChildren();
      this.tailBlocks = [];
    }
    if (this.freezeLongTail(deadline)) {
      return;
    }
    let started = performance.now();
    let tailSource = this.tailSource;
    let env = this.tailEnv();
    let tokens = parseMarkdown(tailSource, env);
    const newReferences = definesReferences(env, this.references);
    this.hasReferences ||= newReferences;
    let blocks = topLevelBlocks(tailSource, tokens);
    let reusable = newReferences ? 0 : this.reusable(blocks);
    const cut = closedFenceCut(tailSource, tokens) ?? findStableCut(tailSource, tokens);
    if (cut) {
      if (newReferences) {
        // Rare: the frozen part is parsed on its own, then the rest again.
        this.enqueueLearningReferences(tailSource.slice(0, cut.offset));
        tailSource = tailSource.slice(cut.offset);
        env = this.tailEnv();
        tokens = parseMarkdown(tailSource, env);
        blocks = topLevelBlocks(tailSource, tokens);
      } else {
        const final = topLevelBlocks(tailSource, tokens, cut).length;
        this.enqueue(blocks.slice(0, final), env, reusable);
        this.tailBlocks = this.tailBlocks.slice(final);
        reusable = Math.max(0, reusable - final);
        blocks = blocks.slice(final);
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
    this.renderTail(blocks, env, reusable);
    this.tailIsRaw = false;
    this.unshown = '';
    this.openFence = openFenceMarker(tailSource, tokens);
    this.stats.tailMs += performance.now() - started;
  }

  /**
   * How many of `blocks`, from the first, are rendered in the tail as they are now: the same
   * tokens (reference links are resolved in them, so new definitions count too).
   */
  private reusable(blocks: readonly TailBlock[]): number {
    let count = 0;
    while (count < blocks.length && count < this.tailBlocks.length && this.tailBlocks[count].key === renderKey(blocks[count].tokens)) {
      count++;
    }
    return count;
  }

  /** Keeps the first `reusable` rendered blocks of the tail and renders the rest, one by one. */
  private renderTail(blocks: readonly TailBlock[], env: MarkdownEnv, reusable: number): void {
    for (const stale of this.tailBlocks.slice(reusable)) {
      stale.nodes.forEach((node) => node.parentNode?.removeChild(node));
    }
    // Anything else in the tail (pending text with no block to continue) goes too.
    const kept = new Set(this.tailBlocks.slice(0, reusable).flatMap((block) => block.nodes));
    Array.from(this.tail.childNodes).forEach((node) => kept.has(node) || node.remove());
    this.tailBlocks = this.tailBlocks.slice(0, reusable);
    for (const block of blocks.slice(reusable)) {
      const started = performance.now();
      // Before rendering: renderer rules may add attributes to the tokens (a link's title).
      const key = renderKey(block.tokens);
      const fragment = this.rendered(block.tokens, env);
      const nodes = Array.from(fragment.childNodes);
      this.tail.append(fragment);
      this.tailBlocks.push({ key, nodes, ms: performance.now() - started });
    }
  }

  /**
   * Queues final blocks, one entry per top-level block; the first `reusable` of them move their
   * nodes from the tail (the tail's rendered blocks line up with `blocks`).
   */
  private enqueue(blocks: readonly TailBlock[], env: MarkdownEnv, reusable: number): void {
    const refs = Object.keys(env.references ?? {}).length;
    blocks.forEach((block, n) => {
      this.queue.push(
        n < reusable
          ? { source: block.source, rendered: this.tailBlocks[n], env, refs }
          : { source: block.source, tokens: block.tokens, env, refs },
      );
    });
  }

  /**
   * Queues `frozenSource` (final blocks that define reference links) parsed on its own, so the
   * definitions it holds, and only those, become known to everything after it.
   */
  private enqueueLearningReferences(frozenSource: string): void {
    const env = this.tailEnv();
    const tokens = parseMarkdown(frozenSource, env);
    this.enqueue(topLevelBlocks(frozenSource, tokens), env, 0);
    this.references = env.references ?? this.references;
  }

  /** Takes the text shown since the last step out of the DOM, leaving the tail as rendered. */
  private removePending(): void {
    const pending = this.pendingText;
    this.pendingText = undefined;
    if (!pending) {
      return;
    }
    const parent = pending.parentElement;
    if (parent?.classList.contains('md-pending')) {
      parent.remove();
    } else {
      pending.remove();
    }
  }

  /** Renders queued blocks until `deadline` (at least one). */
  private drain(deadline: number): void {
    const started = performance.now();
    let now = started;
    while (this.queue.length > 0 && (now === started || now < deadline)) {
      let block = this.queue.shift() as Block;
      if (block.rendered) {
        // Rendered in the tail already: move the nodes.
        const { nodes, ms } = block.rendered;
        this.frozen.append(...nodes);
        if (block.source.includes('[')) {
          this.pieces.push({ source: block.source, nodes, refs: block.refs });
        }
        this.stats.reused++;
        this.stats.reusedMs += ms;
        now = performance.now();
        continue;
      }
      // Consecutive small blocks share one render (its fixed cost: sanitizing, decorating).
      while (!block.replace && block.tokens && block.source.length < MERGE_CHARS) {
        const next = this.queue[0];
        if (!next?.tokens || next.rendered || next.replace || next.env !== block.env || block.source.length + next.source.length > MERGE_CHARS) {
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
    // Only the start of it: laying out tens of KB of text every frame would cost more than
    // rendering it, and the rest is rendered a few frames later.
    let source = '';
    for (const block of this.queue) {
      if (source.length >= RAW_PREVIEW_CHARS) {
        break;
      }
      source += block.replace ? '' : block.source;
    }
    if (source.length < RAW_PREVIEW_CHARS) {
      source += this.tailSource.slice(0, RAW_PREVIEW_CHARS);
    }
    source = source.length > RAW_PREVIEW_CHARS ? `${source.slice(0, RAW_PREVIEW_CHARS)}…` : source;
    if (this.tailIsRaw && this.pendingText) {
      if (this.pendingText.data !== source) {
        this.pendingText.data = source;
      }
    } else {
      this.pendingText = document.createTextNode(source);
      this.tail.replaceChildren(h('span', { className: 'md-pending' }, this.pendingText));
      this.tailIsRaw = true;
      this.tailBlocks = [];
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

function definesReferences(env: MarkdownEnv, known: Record<string, unknown>): boolean {
  return Object.keys(env.references ?? {}).length > Object.keys(known).length;
}
