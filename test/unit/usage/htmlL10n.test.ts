/**
 * The usage view's HTML and the display language: the host's bundle is embedded as an inert,
 * escaped JSON block the view's script reads first; in English nothing is embedded.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { makeNonce } from '../../../src/host/webviewCsp';
import { renderUsageHtml, type UsageHtmlOptions } from '../../../src/usage/html';

const SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const BLOCK = /<script type="application\/json" id="l10n">([\s\S]*?)<\/script>/g;

function html(l10nBundle?: UsageHtmlOptions['l10nBundle'], nonce = makeNonce()): string {
  return renderUsageHtml({ cspSource: SOURCE, nonce, scriptUri: `${SOURCE}/dist/usage.js`, styleUri: `${SOURCE}/dist/usage.css`, l10nBundle });
}

void test('in English nothing is embedded', () => {
  for (const page of [html(), html({})]) {
    assert.doesNotMatch(page, /application\/json|id="l10n"/);
    assert.equal(page.match(/<script/g)?.length, 1);
  }
});

void test('a bundle is embedded once, before the script, as JSON no value can break out of', () => {
  const hostile = '</script><script>alert(1)</script><!-- & \u2028';
  const bundle = { 'Export CSV': 'CSV exportieren', '{0} days': '{0} Tage', [hostile]: hostile };
  const nonce = makeNonce();
  const page = html(bundle, nonce);
  const blocks = [...page.matchAll(BLOCK)];
  assert.equal(blocks.length, 1);
  assert.deepEqual(JSON.parse(blocks[0][1]), bundle);
  assert.doesNotMatch(blocks[0][1], /[<>&\u2028\u2029]/);
  assert.ok(!page.includes('<script>alert(1)') && !page.includes('<!--'));
  assert.ok(page.indexOf('id="l10n"') < page.indexOf(`<script nonce="${nonce}"`));
  // The only other script is the nonce'd one; the policy is the one without a bundle.
  assert.deepEqual([...page.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1].split(' ')[1]), ['type="application/json"', `nonce="${nonce}"`]);
  const csp = (p: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(p)?.[1];
  assert.equal(csp(page), csp(renderUsageHtml({ cspSource: SOURCE, nonce, scriptUri: `${SOURCE}/dist/usage.js`, styleUri: `${SOURCE}/dist/usage.css` })));
});
