/**
 * The usage view's HTML: a static skeleton, one stylesheet, one script, and a strict
 * Content-Security-Policy (no inline script or style, no eval, nothing remote). Pure: no
 * `vscode` import. The chart library draws on a canvas and styles elements through the CSSOM,
 * which `style-src` does not restrict, so it needs nothing more.
 */
import { webviewCsp } from '../host/webviewCsp';

export interface UsageHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** From `makeNonce()`, fresh for each `webview.html` assignment. */
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of `dist/usage.js`. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(...)` of `dist/usage.css`. */
  readonly styleUri: string;
}

/** The view's HTML; the script fills it in once the host sends the data. */
export function renderUsageHtml(options: UsageHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(webviewCsp(cspSource, nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttr(styleUri)}">
  <title>LinguaLeap Usage</title>
</head>
<body>
  <header class="usage-header">
    <div class="usage-heading">
      <h1>Usage</h1>
      <p class="usage-month" id="month" aria-live="polite"></p>
    </div>
    <button type="button" class="button" id="export" disabled>Export CSV</button>
  </header>
  <main id="main">
    <p class="loading" id="loading">Loading…</p>
    <section class="empty-state" id="empty" hidden>
      <p class="empty-title">No usage yet</p>
      <p class="empty-hint">Each answer from Claude adds its requests here: tokens by kind, price and what the prompt cache saved. Nothing you ask or send is kept, only the numbers.</p>
    </section>
    <div class="usage-grid" id="content" hidden>
      <section class="chart-card" aria-labelledby="chart-title">
        <h2 id="chart-title">Spend per day, last 30 days</h2>
        <div class="chart-box">
          <canvas id="chart" role="img" aria-describedby="chart-summary"></canvas>
        </div>
        <p class="chart-summary" id="chart-summary"></p>
        <details class="chart-table">
          <summary>Spend per day as a table</summary>
          <div class="table-scroll" id="daily-table"></div>
        </details>
      </section>
      <aside class="totals" aria-label="Totals">
        <section aria-labelledby="savings-title">
          <h2 id="savings-title">Prompt cache</h2>
          <p class="savings" id="savings"></p>
        </section>
        <section aria-labelledby="models-title">
          <h2 id="models-title">By model</h2>
          <div id="by-model"></div>
        </section>
        <section aria-labelledby="agents-title">
          <h2 id="agents-title">By agent</h2>
          <div id="by-agent"></div>
        </section>
        <p class="footnote" id="footnote"></p>
      </aside>
    </div>
  </main>
  <script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
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
