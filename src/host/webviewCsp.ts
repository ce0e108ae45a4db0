/**
 * The Content-Security-Policy every webview of the extension gets (the panel, the usage view):
 * nothing by default, styles, fonts and images from the extension, scripts only with the
 * page's nonce. Pure: it runs in node:test.
 */
import { randomBytes } from 'node:crypto';

/** A CSP nonce: 24 random bytes, base64url (a valid CSP base64-value). */
export function makeNonce(): string {
  return randomBytes(24).toString('base64url');
}

const NONCE_RE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
// One or more space-separated source expressions; anything that could end the directive
// (`;`, `,`) or the attribute (`"`, `<`, `>`) is refused rather than escaped.
const CSP_SOURCE_RE = /^[^\s;,"<>]+(?: [^\s;,"<>]+)*$/;

/** The policy, one directive per entry. Throws on a malformed source or nonce (a host bug). */
export function webviewCsp(cspSource: string, nonce: string): string {
  if (!CSP_SOURCE_RE.test(cspSource)) {
    throw new Error(`Invalid webview cspSource: ${JSON.stringify(cspSource)}`);
  }
  if (!NONCE_RE.test(nonce)) {
    throw new Error('Invalid CSP nonce.');
  }
  return [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // Neither falls back to default-src.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
