/**
 * The benchmark's page script: the panel's real renderer (StreamingMarkdown) against a naive
 * renderer that parses, sanitizes and highlights the whole answer on every delta. Bundled by
 * run.mjs for the browser; every timing includes the layout the browser would do next frame.
 */
import { parseMarkdown, renderTokens, type MarkdownEnv } from '../../src/webview/markdown';
import { h } from '../../src/webview/dom';
import { StreamingMarkdown, type StreamingMarkdownStats } from '../../src/webview/streamingMarkdown';

/* The final DOM of our renderer, for the equivalence check against one render. */
function finalHtml(chunks: readonly string[], delivery: Delivery): { streamed: string; oneShot: string } {
  ours(chunks, delivery);
  const streamed = document.querySelector('.markdown')?.innerHTML ?? '';
  const env: MarkdownEnv = {};
  const element = document.createElement('div');
  const frozen = document.createElement('div');
  frozen.className = 'md-frozen';
  frozen.append(renderTokens(parseMarkdown(chunks.join(''), env), env));
  element.append(frozen);
  return { streamed, oneShot: element.innerHTML };
}

interface Result {
  readonly totalMs: number;
  readonly maxMs: number;
  readonly renders: number;
  /** Mean time per render in each fifth of the stream: flat means linear total work, rising means quadratic. */
  readonly fifthsMs?: readonly number[];
}

interface OursResult extends Result {
  /** Frames (and the finish task) that did any work. */
  readonly tasks: number;
  /** Tasks over 50 ms. */
  readonly over50: number;
  /** Markdown renders of the tail (steps) and of frozen blocks. */
  readonly steps: number;
  readonly blocks: number;
  /** Tail blocks moved into the frozen part without a second render. */
  readonly reused: number;
  readonly tailMs: number;
  readonly frozenMs: number;
  /** The longest task after the last delta (finish() and the frames that complete it). */
  readonly finishMaxMs: number;
  /** Plain-text updates between Markdown renders, and the frames that did only that (with layout). */
  readonly updates: number;
  readonly updateMs: number;
  /** Frames that only appended deltas to the source (the DOM untouched). */
  readonly idleMs: number;
  /** The stream's simulated duration. */
  readonly streamSeconds: number;
}

/**
 * How deltas reach the renderer: `tokensPerSecond` (one delta is a token) at 60 frames a
 * second, or `perFrame` deltas before each frame, or all of them before the first frame (`burst`).
 */
interface Delivery {
  readonly tokensPerSecond?: number;
  readonly perFrame?: number;
  readonly burst?: boolean;
}

const FRAME_MS = 1000 / 60;

function fifths(times: readonly number[]): number[] {
  return [0, 1, 2, 3, 4].map((f) => {
    const part = times.slice(Math.floor((f * times.length) / 5), Math.floor(((f + 1) * times.length) / 5));
    return part.reduce((a, b) => a + b, 0) / Math.max(1, part.length);
  });
}

function host(): HTMLElement {
  document.body.replaceChildren();
  const main = document.createElement('main');
  main.className = 'transcript';
  document.body.append(main);
  return main;
}

/** Work for one frame, timed with the layout it causes. */
function timed(work: () => void, probe: HTMLElement): number {
  const started = performance.now();
  work();
  void probe.offsetHeight;
  return performance.now() - started;
}

const scroller = (): HTMLElement => (document.scrollingElement as HTMLElement | null) ?? document.documentElement;

/** main.ts's scroll-follow after a frame: to the bottom, written only when not there already. */
function followScroll(): void {
  const element = scroller();
  if (element.scrollTop < element.scrollHeight - element.clientHeight - 1) {
    element.scrollTop = element.scrollHeight;
  }
}

/**
 * Our renderer, driven like the panel (src/webview/main.ts): deltas are appended as they
 * arrive and marked dirty; each animation frame runs `flush()`'s work (`render(frameTime)`,
 * then the scroll-follow `scrollTop = scrollHeight`), and a renderer that reports work left
 * gets the next frame too. At the end `finish()` runs in its own task (like `turnCompleted`),
 * and the frames it asks for follow. Frames are simulated: the clock handed to the renderer
 * advances 1/60 s per frame, so a 100-second stream takes only as long as its work. Every
 * frame's time includes the layout it forces.
 */
/** Stands in for the renderer to time the harness alone (its loop, clocks and layout probes). */
class NoRenderer {
  readonly element = document.createElement('div');
  readonly stats: StreamingMarkdownStats = { steps: 0, blocks: 0, reused: 0, reusedMs: 0, updates: 0, tailMs: 0, frozenMs: 0 };
  readonly text = '';
  readonly busy = false;
  append(): void {}
  render(): boolean {
    return false;
  }
  finish(): void {}
}

function ours(chunks: readonly string[], delivery: Delivery, harnessOnly = false): OursResult {
  const root = host();
  const markdown = harnessOnly ? new NoRenderer() : new StreamingMarkdown();
  root.append(markdown.element);
  const times: number[] = [];
  let total = 0;
  let max = 0;
  let over50 = 0;
  let finishMax = 0;
  const longest: { ms: number; steps: number; blocks: number; tailChars: number }[] = [];
  let idleMs = 0;
  let updateMs = 0;
  const task = (work: () => void, afterStream: boolean): void => {
    const { steps, blocks, updates } = markdown.stats;
    const ms = timed(work, root);
    if (markdown.stats.steps === steps && markdown.stats.blocks === blocks) {
      if (markdown.stats.updates === updates) {
        idleMs += ms;
      } else {
        updateMs += ms;
      }
    }
    if (ms > 50) {
      longest.push({ ms, steps: markdown.stats.steps - steps, blocks: markdown.stats.blocks - blocks, tailChars: markdown.text.length });
    }
    total += ms;
    max = Math.max(max, ms);
    over50 += ms > 50 ? 1 : 0;
    times.push(ms);
    if (afterStream) {
      finishMax = Math.max(finishMax, ms);
    }
  };
  const arrivalMs = (i: number): number => {
    if (delivery.burst) {
      return 0;
    }
    if (delivery.perFrame) {
      return Math.floor(i / delivery.perFrame) * FRAME_MS;
    }
    return (i * 1000) / (delivery.tokensPerSecond ?? 150);
  };
  let next = 0;
  let dirty = false;
  let frame = 0;
  for (; next < chunks.length || dirty; frame++) {
    const now = frame * FRAME_MS;
    const work = (): void => {
      // The deltas that arrived since the last frame (separate message tasks in the panel; counted here).
      for (; next < chunks.length && arrivalMs(next) <= now; next++) {
        markdown.append(chunks[next]);
        dirty = true;
      }
      if (dirty) {
        dirty = markdown.render(now);
        followScroll();
      }
    };
    // A frame without deltas or work costs nothing; skip timing it.
    if (dirty || (next < chunks.length && arrivalMs(next) <= now)) {
      task(work, false);
    }
  }
  const streamSeconds = (frame * FRAME_MS) / 1000;
  task(() => {
    markdown.finish();
    followScroll();
  }, true);
  for (let now = frame * FRAME_MS; markdown.busy; now += FRAME_MS) {
    task(() => {
      markdown.render(now);
      followScroll();
    }, true);
  }
  const { steps, blocks, reused, updates, tailMs, frozenMs } = markdown.stats;
  return {
    totalMs: total,
    maxMs: max,
    renders: steps + blocks,
    fifthsMs: fifths(times),
    tasks: times.length,
    over50,
    steps,
    blocks,
    reused,
    tailMs,
    frozenMs,
    finishMaxMs: finishMax,
    updates,
    updateMs,
    idleMs,
    streamSeconds,
    longest: longest.sort((a, b) => b.ms - a.ms).slice(0, 8),
  } as OursResult;
}

interface LiveResult {
  /** Time in message handlers and frame callbacks (with the layout they force). */
  readonly workMs: number;
  /** The longest of those, and how many went over 50 ms. */
  readonly maxMs: number;
  readonly over50: number;
  /** Tasks over 50 ms that the browser itself reported (Long Tasks API: includes paint). */
  readonly longTasks: number;
  readonly longestTaskMs: number;
  /** Frames that ran, and wall time from the first delta to the last frame. */
  readonly frames: number;
  readonly wallMs: number;
  readonly steps: number;
  readonly blocks: number;
  readonly reused: number;
  readonly updates: number;
  readonly identical: boolean;
}

/**
 * The renderer in real time, the way the panel receives an answer: a worker posts the deltas
 * one message each, as fast as the page takes them (the extension host posts each delta to the
 * webview the same way); each message appends its delta and asks for an animation frame; real
 * `requestAnimationFrame` frames run `render(now)` and the scroll-follow, as `flush()` does.
 * After the last delta, `finish()` and the frames it asks for. With `harnessOnly`, the same
 * messages and frames without a renderer.
 */
function live(chunks: readonly string[], harnessOnly = false): Promise<LiveResult> {
  const root = host();
  const markdown = harnessOnly ? new NoRenderer() : new StreamingMarkdown();
  root.append(markdown.element);
  const source = 'onmessage = (e) => { for (const chunk of e.data) postMessage(chunk); postMessage(null); };';
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  let workMs = 0;
  let maxMs = 0;
  let over50 = 0;
  let frames = 0;
  let longTasks = 0;
  let longestTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks++;
      longestTaskMs = Math.max(longestTaskMs, entry.duration);
    }
  });
  observer.observe({ type: 'longtask' });
  const measure = (work: () => void): void => {
    const started = performance.now();
    work();
    void root.offsetHeight;
    const ms = performance.now() - started;
    workMs += ms;
    maxMs = Math.max(maxMs, ms);
    over50 += ms > 50 ? 1 : 0;
  };
  return new Promise((resolve) => {
    let frame = 0;
    let finished = false;
    const started = performance.now();
    let ended = false;
    const done = (): void => {
      if (ended) {
        return;
      }
      ended = true;
      // One more frame, so the Long Tasks API has reported the last task.
      requestAnimationFrame(() =>
        setTimeout(() => {
          observer.disconnect();
          worker.terminate();
          const { steps, blocks, reused, updates } = markdown.stats;
          const env: MarkdownEnv = {};
          const oneShot = h('div', { className: 'md-frozen' }, renderTokens(parseMarkdown(chunks.join(''), env), env));
          resolve({
            workMs,
            maxMs,
            over50,
            longTasks,
            longestTaskMs,
            frames,
            wallMs: performance.now() - started,
            steps,
            blocks,
            reused,
            updates,
            identical: harnessOnly || markdown.element.innerHTML === oneShot.outerHTML,
          });
        }, 100),
      );
    };
    const flush = (now: number): void => {
      frame = 0;
      frames++;
      let more = false;
      measure(() => {
        more = markdown.render(now);
        followScroll();
      });
      if (more) {
        frame = requestAnimationFrame(flush);
      } else if (finished) {
        done();
      }
    };
    worker.onmessage = (event: MessageEvent<string | null>) => {
      const chunk = event.data;
      measure(() => {
        if (chunk === null) {
          finished = true;
          markdown.finish();
          followScroll();
        } else {
          markdown.append(chunk);
        }
      });
      if (chunk === null && !markdown.busy) {
        done();
      } else {
        frame ||= requestAnimationFrame(flush);
      }
    };
    worker.postMessage(chunks);
  });
}

/** The naive renderer: the whole text again on every delta. Sampled every `every` deltas and scaled. */
function naive(chunks: readonly string[], every: number): Result & { readonly sampled: number } {
  const root = host();
  const element = document.createElement('div');
  element.className = 'markdown';
  root.append(element);
  let text = '';
  let sum = 0;
  let max = 0;
  let sampled = 0;
  chunks.forEach((chunk, index) => {
    text += chunk;
    if (index % every !== every - 1 && index !== chunks.length - 1) {
      return;
    }
    const ms = timed(() => {
      const env: MarkdownEnv = {};
      element.replaceChildren(renderTokens(parseMarkdown(text, env), env));
    }, root);
    sum += ms;
    max = Math.max(max, ms);
    sampled++;
  });
  return { totalMs: (sum / sampled) * chunks.length, maxMs: max, renders: chunks.length, sampled };
}

/** One render of the final text, the yardstick. Best of `runs`. */
function single(text: string, runs: number): { wallMs: number } {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const root = host();
    const ms = timed(() => {
      const env: MarkdownEnv = {};
      const element = document.createElement('div');
      element.className = 'markdown';
      element.append(renderTokens(parseMarkdown(text, env), env));
      root.append(element);
    }, root);
    best = Math.min(best, ms);
  }
  return { wallMs: best };
}

/** Empties the page (outside the measured call: tearing down the last DOM is not the next run's work). */
function reset(): Record<string, never> {
  document.body.replaceChildren();
  return {};
}

(window as unknown as { __bench: unknown }).__bench = { live, liveHarness: (chunks: readonly string[]) => live(chunks, true), ours, harness: (chunks: readonly string[], delivery: Delivery) => ours(chunks, delivery, true), naive, single, finalHtml, reset };
