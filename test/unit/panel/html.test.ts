import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { test } from 'node:test';
import { makeNonce, webviewCsp } from '../../../src/host/webviewCsp';
import { renderPanelHtml, type PanelHtmlOptions } from '../../../src/panel/html';

const CSP_SOURCE = 'https://*.vscode-cdn.net';

function options(overrides: Partial<PanelHtmlOptions> = {}): PanelHtmlOptions {
  return {
    cspSource: CSP_SOURCE,
    nonce: 'n0nce-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
    title: 'LinguaLeap Architect',
    ...overrides,
  };
}

/** The policy as the browser reads it: directive name -> source list. */
function cspOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'exactly one CSP meta element');
  const policy = metas[0][1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    assert.ok(!directives.has(name), `directive ${name} appears once`);
    directives.set(name, sources);
  }
  return directives;
}

void test('the CSP comes before any resource and is strict', () => {
  const html = renderPanelHtml(options());
  assert.ok(html.indexOf('http-equiv="Content-Security-Policy"') < html.indexOf('<link'), 'CSP precedes the stylesheet');
  const csp = cspOf(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'nonce-n0nce-ABCDEFGHIJKLMNOPQRSTUVWXYZ'"]);
  assert.deepEqual(csp.get('style-src'), [CSP_SOURCE]);
  assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
  assert.deepEqual(csp.get('img-src'), [CSP_SOURCE], 'model output may not load remote or data: images');
  assert.deepEqual(csp.get('base-uri'), ["'none'"]);
  assert.deepEqual(csp.get('form-action'), ["'none'"]);
  for (const [name, sources] of csp) {
    for (const source of sources) {
      assert.doesNotMatch(source, /unsafe-|^https:$|^http:$|^data:$|^\*$/, `${name} allows ${source}`);
    }
  }
});

void test('the only script is external and carries the nonce', () => {
  const html = renderPanelHtml(options());
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  const [, attrs, body] = scripts[0];
  assert.match(attrs, /\bnonce="n0nce-ABCDEFGHIJKLMNOPQRSTUVWXYZ"/);
  assert.match(attrs, /\bsrc="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
  assert.equal(body.trim(), '', 'no inline script');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /javascript:/i);
});

void test('no inline styles, which the CSP would block', () => {
  const html = renderPanelHtml(options());
  assert.doesNotMatch(html, /<style\b/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/panel\.css">/);
});

void test('the title is escaped in the title element and the heading', () => {
  const html = renderPanelHtml(options({ title: '</title><script>alert(1)</script> & "Architect"' }));
  assert.ok(!html.includes('<script>alert(1)'));
  assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; "Architect"<\/title>/);
  assert.match(html, /<h1 class="agent-name" id="agent-name">&lt;\/title&gt;/);
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
});

void test('resource URIs are attribute-escaped', () => {
  const html = renderPanelHtml(
    options({ styleUri: 'https://x/a.css"><script>alert(1)</script>', scriptUri: "https://x/w.js'onload='x" }),
  );
  assert.ok(!html.includes('"><script>'));
  assert.match(html, /href="https:\/\/x\/a\.css&quot;&gt;&lt;script&gt;/);
  assert.match(html, /src="https:\/\/x\/w\.js&#39;onload=&#39;x"/);
});

void test('a cspSource or nonce that could change the policy is refused', () => {
  assert.throws(() => renderPanelHtml(options({ cspSource: "https://a; script-src 'unsafe-inline'" })), /cspSource/);
  assert.throws(() => renderPanelHtml(options({ cspSource: 'https://a"><script>' })), /cspSource/);
  assert.throws(() => renderPanelHtml(options({ cspSource: '' })), /cspSource/);
  assert.throws(() => renderPanelHtml(options({ nonce: "abc' 'unsafe-inline" })), /nonce/);
  assert.throws(() => renderPanelHtml(options({ nonce: 'short' })), /nonce/);
  // Several source expressions, as some hosts report, are fine.
  assert.deepEqual(cspOf(renderPanelHtml(options({ cspSource: "'self' https://*.vscode-cdn.net" }))).get('img-src'), [
    "'self'",
    'https://*.vscode-cdn.net',
  ]);
});

void test('makeNonce is a fresh, valid CSP nonce each time', () => {
  const nonces = new Set(Array.from({ length: 200 }, () => makeNonce()));
  assert.equal(nonces.size, 200);
  for (const nonce of nonces) {
    assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
    assert.doesNotThrow(() => webviewCsp(CSP_SOURCE, nonce));
  }
});

/** The page's inert translation block, parsed as the webview parses it. */
function embeddedBundle(html: string): unknown {
  const blocks = [...html.matchAll(/<script type="application\/json" id="l10n">([\s\S]*?)<\/script>/g)];
  assert.equal(blocks.length, 1, 'one translation block');
  return JSON.parse(blocks[0][1]);
}

void test('in English nothing is embedded: the page has its one script and no translation block', () => {
  for (const html of [renderPanelHtml(options()), renderPanelHtml(options({ l10nBundle: {} }))]) {
    assert.doesNotMatch(html, /application\/json|id="l10n"/);
    assert.equal([...html.matchAll(/<script\b/g)].length, 1);
  }
});

void test('a translation bundle is embedded as inert JSON, escaped so no value can close the element', () => {
  const hostile = '</script><script>alert(1)</script><!-- & \u2028\u2029';
  const bundle = { Copy: 'Kopieren', 'Question {0}': 'Frage {0}', [hostile]: hostile };
  const html = renderPanelHtml(options({ l10nBundle: bundle }));
  assert.deepEqual(embeddedBundle(html), bundle, 'the page reads back exactly the bundle');
  // Besides the block's own end tag, nothing a value holds appears as markup or as a raw line break.
  const block = /<script type="application\/json" id="l10n">([\s\S]*?)<\/script>/.exec(html)![1];
  assert.doesNotMatch(block, /[<>&\u2028\u2029]/);
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(!html.includes('<!--'));
  // Not executable: a data block, so it needs (and has) no nonce; the only script that runs is external.
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.deepEqual(scripts, [' type="application/json" id="l10n"', ' nonce="n0nce-ABCDEFGHIJKLMNOPQRSTUVWXYZ" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js"']);
  // Before the script that reads it, and the policy is the same strict one.
  assert.ok(html.indexOf('id="l10n"') < html.indexOf('dist/webview.js'));
  assert.deepEqual(cspOf(html), cspOf(renderPanelHtml(options())));
});

void test('the skeleton is translated by the bundle @vscode/l10n was handed (in app.js, the host does it)', () => {
  l10n.config({
    contents: {
      'New conversation': 'Neue Unterhaltung',
      'Select code in the editor and run {0}. The answer streams in here; ask follow-ups below.': 'Markieren Sie Code und führen Sie {0} aus <b>.',
    },
  });
  try {
    const html = renderPanelHtml(options());
    assert.match(html, /aria-label="Neue Unterhaltung" title="Neue Unterhaltung"/);
    // The command stays in its <strong>; a translation's markup is text.
    assert.match(html, /<p class="empty-hint">Markieren Sie Code und führen Sie <strong>LinguaLeap: Ask LinguaLeap Architect<\/strong> aus &lt;b&gt;\.<\/p>/);
    assert.match(html, /placeholder="Ask a follow-up…"/, 'an untranslated string stays English');
  } finally {
    l10n.config({ contents: {} });
  }
  assert.match(renderPanelHtml(options()), /<p class="empty-hint">Select code in the editor and run <strong>LinguaLeap: Ask LinguaLeap Architect<\/strong>\. The answer streams in here; ask follow-ups below\.<\/p>/);
});

void test("the page's lang is the display language, escaped, and English when none is given", () => {
  assert.match(renderPanelHtml(options()), /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(renderPanelHtml(options({ language: 'de' })), /^<!DOCTYPE html>\n<html lang="de">/);
  assert.match(renderPanelHtml(options({ language: 'x"><script>' })), /<html lang="x&quot;&gt;&lt;script&gt;">/);
});
