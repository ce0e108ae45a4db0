/**
 * The benchmark's page script: the panel's real renderer (StreamingMarkdown) against a naive
 * renderer that parses, sanitizes and highlights the whole answer on every delta. Bundled by
 * run.mjs for the browser; every timing includes the layout the browser would do next frame.
 */
import { parseMarkdown, renderTokens, type MarkdownEnv } from '../../src/webview/markdown';
import { StreamingMarkdown } from '../../src/webview/streamingMarkdown';

interface Result {
  readonly totalMs: number;
  readonly maxMs: number;
  readonly renders: number;
  /** Mean time per render in each fifth of the stream: flat means linear total work, rising means quadratic. */
  readonly fifthsMs?: readonly number[];
}

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

/** Our renderer: deltas appended, one render per `perRender` deltas (a frame's worth), then finish. */
function ours(chunks: readonly string[], perRender: number): Result {
  const root = host();
  const markdown = new StreamingMarkdown();
  root.append(markdown.element);
  let total = 0;
  let max = 0;
  let renders = 0;
  const times: number[] = [];
  for (let i = 0; i < chunks.length; i += perRender) {
    const ms = timed(() => {
      for (const text of chunks.slice(i, i + perRender)) {
        markdown.append(text);
      }
      markdown.render();
    }, root);
    total += ms;
    max = Math.max(max, ms);
    times.push(ms);
    renders++;
  }
  const ms = timed(() => markdown.finish(), root);
  return { totalMs: total + ms, maxMs: Math.max(max, ms), renders: renders + 1, fifthsMs: fifths(times) };
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
function single(text: string, runs: number): number {
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
  return best;
}

(window as unknown as { __bench: unknown }).__bench = { ours, naive, single };
