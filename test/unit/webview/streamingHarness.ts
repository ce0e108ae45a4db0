/**
 * Page script for streamingMarkdown.test.ts: streams a text through the panel's real renderer
 * in a real browser, the way main.ts drives it, and returns the final DOM next to a one-shot
 * render of the same text. Bundled by the test with esbuild.
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
}

export interface StreamResult {
  readonly streamed: string;
  readonly oneShot: string;
  /** Whether any frame showed HTML elements that markdown did not produce (pending text is text). */
  readonly frames: number;
}

function stream(text: string, options: StreamOptions): StreamResult {
  const host = document.createElement('main');
  document.body.replaceChildren(host);
  const markdown = new StreamingMarkdown();
  host.append(markdown.element);
  let now = 0;
  let frames = 0;
  let dirty = false;
  const frame = (): void => {
    now += options.frameMs;
    frames++;
    dirty = markdown.render(now);
  };
  let inFrame = 0;
  for (let i = 0; i < text.length; i += options.chunk) {
    markdown.append(text.slice(i, i + options.chunk));
    dirty = true;
    if (++inFrame >= options.perFrame) {
      inFrame = 0;
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
 * The sanitizer on its own: markdown-it never emits raw HTML here (html is off), so this feeds
 * it an html_block token directly, as if the first layer had let something through.
 */
function sanitizeProbe(html: string): string {
  const tokens = [{ type: 'html_block', content: html, block: true, level: 0, nesting: 0 }] as unknown as Parameters<typeof renderTokens>[0];
  const holder = document.createElement('div');
  holder.append(renderTokens(tokens, {}));
  return holder.innerHTML;
}

(window as unknown as { __stream: typeof stream; __sanitize: typeof sanitizeProbe }).__stream = stream;
(window as unknown as { __sanitize: typeof sanitizeProbe }).__sanitize = sanitizeProbe;
