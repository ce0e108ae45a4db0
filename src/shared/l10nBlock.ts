/**
 * How a webview gets the display language's strings from the host: the host embeds them in the
 * page as an inert JSON block, the page's script reads it before it renders anything and hands it
 * to `@vscode/l10n` (every string the page shows goes through `l10n.t`, keyed by its English
 * text). In English there is no block. Used by both pages (the panel and the usage view).
 */
import * as l10n from '@vscode/l10n';

/** The id of the page's JSON block. */
export const L10N_ELEMENT_ID = 'l10n';

/**
 * The translations as an inert JSON data block (`type="application/json"` is never executed, so
 * the CSP's nonce does not apply to it). `<`, `>` and `&` are JSON-escaped so no string can end
 * the element or open a comment, and U+2028/2029 so the text stays valid in any JavaScript
 * context. Nothing at all in English.
 */
export function l10nBlockHtml(bundle: Readonly<Record<string, string>> | undefined): string {
  if (!bundle || Object.keys(bundle).length === 0) {
    return '';
  }
  const json = JSON.stringify(bundle).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `  <script type="application/json" id="${L10N_ELEMENT_ID}">${json}</script>\n`;
}

/**
 * Hands the block's text (`document.getElementById(L10N_ELEMENT_ID)?.textContent`) to
 * `@vscode/l10n`; a missing or malformed block leaves English.
 */
export function useL10nBlock(text: string | null | undefined): void {
  if (!text) {
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return;
  }
  // No prototype: a key like `constructor` must not find Object's.
  const contents: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') {
      contents[key] = value;
    }
  }
  l10n.config({ contents });
}
