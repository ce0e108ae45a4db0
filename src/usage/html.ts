/**
 * The usage view's HTML: a static skeleton, one stylesheet, one script, and a strict
 * Content-Security-Policy (no inline script or style, no eval, nothing remote). Pure: no
 * `vscode` import. The chart library draws on a canvas and styles elements through the CSSOM,
 * which `style-src` does not restrict, so it needs nothing more.
 */
import * as l10n from '@vscode/l10n';
import { webviewCsp } from '../host/webviewCsp';

/** Where the page's script finds the translations (`src/usageView/main.ts` reads the same id). */
const L10N_ELEMENT_ID = 'l10n';

export interface UsageHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** From `makeNonce()`, fresh for each `webview.html` assignment. */
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of `dist/usage.js`. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(...)` of `dist/usage.css`. */
  readonly styleUri: string;
  /**
   * The display language's translations (`webviewL10nBundle()`), which the page hands to
   * `@vscode/l10n` before it renders; undefined in English, and then nothing is embedded.
   */
  readonly l10nBundle?: Readonly<Record<string, string>>;
}

/** The view's HTML; the script fills it in once the host sends the data. */
export function renderUsageHtml(options: UsageHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, l10nBundle } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(webviewCsp(cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttr(styleUri)}">
  <title>${escapeText(l10n.t('LinguaLeap Usage'))}</title>
</head>
<body>
  <header class="usage-header">
    <div class="usage-heading">
      <h1>${escapeText(l10n.t('Usage'))}</h1>
      <p class="usage-month" id="month" aria-live="polite"></p>
    </div>
    <button type="button" class="button" id="export" disabled>${escapeText(l10n.t('Export CSV'))}</button>
  </header>
  <main id="main">
    <p class="loading" id="loading">${escapeText(l10n.t('Loading…'))}</p>
    <section class="empty-state" id="empty" hidden>
      <p class="empty-title">${escapeText(l10n.t('No usage yet'))}</p>
      <p class="empty-hint">${escapeText(l10n.t('Each answer from Claude adds its requests here: tokens by kind, price and what the prompt cache saved. Nothing you ask or send is kept, only the numbers.'))}</p>
    </section>
    <div class="usage-grid" id="content" hidden>
      <section class="chart-card" aria-labelledby="chart-title">
        <h2 id="chart-title">${escapeText(l10n.t('Spend per day, last 30 days'))}</h2>
        <div class="chart-box">
          <canvas id="chart" role="img" aria-describedby="chart-summary"></canvas>
        </div>
        <p class="chart-summary" id="chart-summary"></p>
        <details class="chart-table">
          <summary>${escapeText(l10n.t('Spend per day as a table'))}</summary>
          <div class="table-scroll" id="daily-table"></div>
        </details>
      </section>
      <aside class="totals" aria-label="${escapeAttr(l10n.t('Totals'))}">
        <section aria-labelledby="savings-title">
          <h2 id="savings-title">${escapeText(l10n.t('Prompt cache'))}</h2>
          <p class="savings" id="savings"></p>
        </section>
        <section aria-labelledby="models-title">
          <h2 id="models-title">${escapeText(l10n.t('By model'))}</h2>
          <div id="by-model"></div>
        </section>
        <section aria-labelledby="agents-title">
          <h2 id="agents-title">${escapeText(l10n.t('By agent'))}</h2>
          <div id="by-agent"></div>
        </section>
        <p class="footnote" id="footnote"></p>
      </aside>
    </div>
  </main>
${l10nBundleScript(l10nBundle)}  <script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * The translations as an inert JSON data block (`type="application/json"` is never executed, so
 * the CSP's nonce does not apply to it), read by the page's script before it renders. `<`, `>`
 * and `&` are JSON-escaped so no string can end the element or open a comment, and U+2028/2029
 * so the text stays valid in any JavaScript context. Nothing at all in English.
 */
function l10nBundleScript(bundle: Readonly<Record<string, string>> | undefined): string {
  if (!bundle || Object.keys(bundle).length === 0) {
    return '';
  }
  const json = JSON.stringify(bundle).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `  <script type="application/json" id="${L10N_ELEMENT_ID}">${json}</script>\n`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
