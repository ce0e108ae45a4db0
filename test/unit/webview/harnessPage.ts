/**
 * Opens headless Chromium on a blank page with `streamingHarness.ts` bundled into it: the
 * panel's real renderer (markdown-it, DOMPurify, highlight.js) in a real DOM, for the webview
 * tests to drive with `page.evaluate`.
 */
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';

/** A browser with the harness page loaded; close the browser when done. */
export interface HarnessPage {
  readonly browser: Browser;
  readonly page: Page;
}

export async function openHarnessPage(): Promise<HarnessPage> {
  const built = await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'test/unit/webview/streamingHarness.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    tsconfig: join(REPO_ROOT, 'src/webview/tsconfig.json'),
    logLevel: 'warning',
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
  });
  const page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: built.outputFiles[0].text });
  return { browser, page };
}
