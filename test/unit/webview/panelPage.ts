/**
 * Opens the real architect panel in headless Chromium: the HTML `renderPanelHtml` builds (its
 * CSP on), `src/webview/main.ts` bundled, `media/panel.css`, a theme, and the preview's stub
 * of `acquireVsCodeApi`, served from a made-up origin through Playwright's routing (no server,
 * no network). Tests post host messages with `post` and read what the webview posted back.
 */
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce } from '../../../src/host/webviewCsp';
import { renderPanelHtml } from '../../../src/panel/html';
import type { HostMessage, WebviewMessage } from '../../../src/shared/protocol';
import { repoPath } from '../support/paths';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module shared with the preview
import { themeCss } from '../../webview-preview/themes.mjs';

const ORIGIN = 'https://panel.test';

/** What the page's stub records (see `test/webview-preview/stub.js`). */
interface PreviewRecord {
  readonly posted: WebviewMessage[];
  readonly violations: unknown[];
}

export interface PanelPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Posts host messages to the webview and waits until its listener has handled them all. */
  post(...messages: HostMessage[]): Promise<void>;
  /** What the webview posted to the host so far, `ready` first. */
  posted(): Promise<WebviewMessage[]>;
  /** Waits for two animation frames (the webview renders deltas once per frame). */
  frames(count?: number): Promise<void>;
  /** Content-Security-Policy violations reported by the page. */
  violations(): Promise<unknown[]>;
}

/** `l10nBundle`: the display language's translations the host would embed (none: English). */
export async function openPanelPage(theme: 'dark' | 'light' = 'dark', options: { readonly l10nBundle?: Readonly<Record<string, string>> } = {}): Promise<PanelPage> {
  const built = await esbuild.build({
    entryPoints: [repoPath('src/webview/main.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: repoPath('src/webview/tsconfig.json'),
    logLevel: 'warning',
  });
  const nonce = makeNonce();
  const html = renderPanelHtml({
    cspSource: ORIGIN,
    nonce,
    scriptUri: `${ORIGIN}/webview.js`,
    styleUri: `${ORIGIN}/panel.css`,
    title: 'LinguaLeap Architect',
    l10nBundle: options.l10nBundle,
  });
  const script = `<script nonce="${nonce}" src="${ORIGIN}/webview.js">`;
  const page_html = html
    .replace('  <link rel="stylesheet"', `  <link rel="stylesheet" href="${ORIGIN}/theme.css">\n  <link rel="stylesheet"`)
    .replace(script, `<script nonce="${nonce}" src="${ORIGIN}/stub.js" data-theme="${theme}"></script>\n  ${script}`);
  if (!page_html.includes('/stub.js') || !page_html.includes('/theme.css')) {
    throw new Error('The panel HTML changed: the test page could not insert its stub.');
  }
  const files: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: page_html },
    '/webview.js': { type: 'text/javascript', body: built.outputFiles[0].text },
    '/stub.js': { type: 'text/javascript', body: readFileSync(repoPath('test/webview-preview/stub.js'), 'utf8') },
    '/panel.css': { type: 'text/css', body: readFileSync(repoPath('media/panel.css'), 'utf8') },
    '/theme.css': { type: 'text/css', body: (themeCss as (name: string) => string)(theme) },
  };

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = url.origin === ORIGIN ? files[url.pathname] : undefined;
    await (file ? route.fulfill({ status: 200, contentType: file.type, body: file.body }) : route.abort());
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (window as unknown as { __preview?: PreviewRecord }).__preview?.posted.length);
  // Counts the messages the page received. Registered after main.ts's listener, so when it has
  // seen a message, the webview has handled it.
  await page.evaluate(() => {
    const w = window as unknown as { __seen: number };
    w.__seen = 0;
    window.addEventListener('message', () => w.__seen++);
  });

  return {
    browser,
    page,
    async post(...messages) {
      const target = await page.evaluate((ms) => {
        ms.forEach((m) => window.postMessage(m, '*'));
        return (window as unknown as { __seen: number }).__seen + ms.length;
      }, messages);
      await page.waitForFunction((n) => (window as unknown as { __seen: number }).__seen >= n, target);
    },
    posted: () => page.evaluate(() => (window as unknown as { __preview: PreviewRecord }).__preview.posted),
    frames: (count = 2) =>
      page.evaluate(async (n) => {
        for (let i = 0; i < n; i++) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      }, count),
    violations: () => page.evaluate(() => (window as unknown as { __preview: PreviewRecord }).__preview.violations),
  };
}
