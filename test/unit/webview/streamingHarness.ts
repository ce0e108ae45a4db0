/**
 * Page script for the webview tests (bundled into the page by harnessPage.ts): streams a text
 * through the panel's real renderer in a real browser, the way main.ts drives it, and returns
 * the final DOM next to a one-shot render of the same text.
 */
import { parseMarkdown, renderTokens, type MarkdownEnv } from '../../../src/webview/markdown';
import { StreamingMarkdown } from '../../../src/webview/streamingMarkdown';

export interface StreamOptions {
  /** Characters per delta. */
  readonly chunk: number;
  /** Deltas that arrive between two frames. */
  readonly perFrame: number;
  /** Simulated time between frames, ms (drives the renderer's throttles). */
  readonly frameMs: number;
  /** Calls `finish()` right after the last delta, before the frames catch up. */
  readonly finishAtOnce?: boolean;
  /**
   * Seeds random deltas instead: each delta has 1 to `chunk` characters, each frame comes 5 to
   * `frameMs` ms after the previous one, and 1 to `perFrame` deltas arrive between two frames.
   */
  readonly seed?: number;
}

/** One text of a batch whose streamed DOM differs from its one-shot DOM. */
export interface StreamMismatch {
  /** Its index in the batch. */
  readonly index: number;
  readonly streamed: string;
  readonly oneShot: string;
}

export interface StreamResult {
  readonly streamed: string;
  readonly oneShot: string;
  /** How many frames the stream took, `finish()`'s included. */
  readonly frames: number;
}

/** mulberry32: a small seeded generator, so a failing random delivery can be replayed. */
function seeded(seed: number): (max: number) => number {
  let state = seed >>> 0;
  return (max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return 1 + Math.floor(unit * max);
  };
}

function stream(text: string, options: StreamOptions): StreamResult {
  const host = document.createElement('main');
  document.body.replaceChildren(host);
  const markdown = new StreamingMarkdown();
  host.append(markdown.element);
  const random = options.seed === undefined ? undefined : seeded(options.seed);
  const chunk = (): number => (random ? random(options.chunk) : options.chunk);
  const perFrame = (): number => (random ? random(Math.min(options.perFrame, 1e6)) : options.perFrame);
  let now = 0;
  let frames = 0;
  let dirty = false;
  const frame = (): void => {
    now += random ? 4 + random(Math.max(1, options.frameMs - 4)) : options.frameMs;
    frames++;
    dirty = markdown.render(now);
  };
  let inFrame = 0;
  let frameEvery = perFrame();
  for (let i = 0, size = chunk(); i < text.length; i += size, size = chunk()) {
    markdown.append(text.slice(i, i + size));
    dirty = true;
    if (++inFrame >= frameEvery) {
      inFrame = 0;
      frameEvery = perFrame();
      frame();
    }
  }
  while (dirty && !options.finishAtOnce) {
    frame();
  }
  markdown.finish();
  while (markdown.busy) {
    frame();
  }
  const env: MarkdownEnv = {};
  const oneShot = document.createElement('div');
  const frozen = document.createElement('div');
  frozen.className = 'md-frozen';
  frozen.append(renderTokens(parseMarkdown(text, env), env));
  oneShot.append(frozen);
  return { streamed: markdown.element.innerHTML, oneShot: oneShot.innerHTML, frames };
}

/**
 * Streams every text of a batch (one page evaluation for hundreds of short documents) and
 * returns only those whose final DOM differs from one render; a seeded delivery gets a seed
 * per text, derived from its own.
 */
function streamMany(texts: readonly string[], options: StreamOptions): StreamMismatch[] {
  const mismatches: StreamMismatch[] = [];
  texts.forEach((text, index) => {
    const result = stream(text, options.seed === undefined ? options : { ...options, seed: options.seed * 7919 + index });
    if (result.streamed !== result.oneShot) {
      mismatches.push({ index, streamed: result.streamed, oneShot: result.oneShot });
    }
  });
  return mismatches;
}

/**
 * The sanitizer on its own: markdown-it never emits raw HTML here (html is off), so this feeds
 * it an html_block token directly, as if the first layer had let something through.
 */
function sanitizeProbe(html: string): string {
  const tokens = [{ type: 'html_block', content: html, block: true, level: 0, nesting: 0 }] as unknown as Parameters<typeof renderTokens>[0];
  const holder = document.createElement('div');
  holder.append(renderTokens(tokens, {}));
  return holder.innerHTML;
}

(window as unknown as { __stream: typeof stream }).__stream = stream;
(window as unknown as { __streamMany: typeof streamMany }).__streamMany = streamMany;
(window as unknown as { __sanitize: typeof sanitizeProbe }).__sanitize = sanitizeProbe;
