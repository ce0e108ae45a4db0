/**
 * The usage view's HTML and Content-Security-Policy: scripts only by nonce, no inline style or
 * eval, nothing remote; malformed sources and nonces are refused, attributes escaped.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { makeNonce, webviewCsp } from '../../../src/host/webviewCsp';
import { renderUsageHtml } from '../../../src/usage/html';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

void test('the policy: nothing by default, scripts by nonce only, styles, fonts and images from the webview origin', () => {
  const nonce = makeNonce();
  const directives = webviewCsp(SOURCE, nonce).split('; ');
  // The same policy as the panel's; a directive's place in it does not matter.
  assert.deepEqual([...directives].sort(), [
    "default-src 'none'",
    `style-src ${SOURCE}`,
    `font-src ${SOURCE}`,
    `img-src ${SOURCE}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].sort());
  assert.doesNotMatch(directives.join(';'), /unsafe-(inline|eval)|\*/);
});

void test('a fresh nonce each time, and malformed sources or nonces are refused', () => {
  assert.notEqual(makeNonce(), makeNonce());
  assert.throws(() => webviewCsp(`${SOURCE}; script-src *`, makeNonce()), /Invalid webview cspSource/);
  assert.throws(() => webviewCsp(SOURCE, "abc' 'unsafe-inline"), /Invalid CSP nonce/);
});

void test('the HTML: one script with the nonce, one stylesheet, no inline script, style or event handler', () => {
  const nonce = makeNonce();
  const html = renderUsageHtml({ cspSource: SOURCE, nonce, scriptUri: `${SOURCE}/dist/usage.js?a="b"`, styleUri: `${SOURCE}/dist/usage.css` });
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.ok(html.includes(`<script nonce="${nonce}" src="${SOURCE}/dist/usage.js?a=&quot;b&quot;"></script>`), 'the script, its URL escaped');
  assert.match(html, /<link rel="stylesheet" href="[^"]+usage\.css">/);
  assert.doesNotMatch(html, /<style|style="|\son[a-z]+=/i);
  for (const id of ['chart', 'chart-summary', 'daily-table', 'by-model', 'by-agent', 'savings', 'empty', 'content', 'export', 'month']) {
    assert.match(html, new RegExp(`id="${id}"`), `#${id} is there for the script`);
  }
  assert.match(html, /<canvas id="chart" role="img" aria-describedby="chart-summary">/);
});
