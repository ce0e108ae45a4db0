/**
 * The usage view's HTML: a static skeleton, one stylesheet, one script, and a strict
 * Content-Security-Policy (no inline script or style, no eval, nothing remote). Pure: no
 * `vscode` import. The chart library draws on a canvas and styles elements through the CSSOM,
 * which `style-src` does not restrict, so it needs nothing more.
 */
import * as l10n from '@vscode/l10n';
import { webviewCsp } from '../host/webviewCsp';
import { l10nBlockHtml } from '../shared/l10nBlock';

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
  /** `vscode.env.language`, the page's `lang` (what a screen reader speaks it as); English if unset. */
  readonly language?: string;
}

/** The view's HTML; the script fills it in once the host sends the data. */
export function renderUsageHtml(options: UsageHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, l10nBundle, language } = options;
  return `<!DOCTYPE html>
<html lang="${escapeAttr(language ?? 'en')}">
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
${l10nBlockHtml(l10nBundle)}  <script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
