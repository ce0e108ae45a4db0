/**
 * The architect panel's HTML: a static skeleton, one stylesheet, one script, and a strict
 * Content-Security-Policy. Pure (no `vscode` import) so it is unit-tested under node:test.
 *
 * The webview renders untrusted model output, so the policy allows nothing the page does not
 * need: no inline script or style, no eval, no remote image, font, frame or connection. Markdown
 * images are shown as links by the webview, never loaded.
 */
import { webviewCsp } from '../host/webviewCsp';

/** What the host passes in; every value is escaped or validated before use. */
export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the panel's own resources are served from. */
  readonly cspSource: string;
  /** From `makeNonce()`, fresh for each `webview.html` assignment. */
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of `dist/webview.js`. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(...)` of `media/panel.css`. */
  readonly styleUri: string;
  /** The document title, shown as the heading until the host's `init` message arrives. */
  readonly title: string;
}

/** Builds the panel's HTML. Throws on a malformed `cspSource` or `nonce` (a host bug). */
export function renderPanelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, title } = options;
  const csp = webviewCsp(cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttr(styleUri)}">
  <title>${escapeText(title)}</title>
</head>
<body>
  <header class="panel-header">
    <div class="panel-header-inner">
      <span class="logo" id="logo" aria-hidden="true"></span>
      <div class="identity">
        <h1 class="agent-name" id="agent-name">${escapeText(title)}</h1>
        <span class="agent-model" id="agent-model" hidden></span>
        <span class="conversation-total" id="conversation-total" title="Tokens and price of this conversation so far" hidden></span>
      </div>
      <button type="button" class="icon-button new-conversation" id="new-conversation" aria-label="New conversation" title="New conversation"></button>
    </div>
  </header>
  <main class="transcript" id="transcript" aria-label="Conversation">
    <section class="empty-state" id="empty-state">
      <p class="empty-title">Ask about your code</p>
      <p class="empty-hint">Select code in the editor and run <strong>LinguaLeap: Ask LinguaLeap Architect</strong>. The answer streams in here; ask follow-ups below.</p>
    </section>
  </main>
  <footer class="composer" id="composer">
    <label class="sr-only" for="composer-input">Ask a follow-up question</label>
    <span class="sr-only" id="composer-hint">Enter sends, Shift+Enter starts a new line.</span>
    <textarea id="composer-input" class="composer-input" rows="1" maxlength="20000" placeholder="Ask a follow-up…" title="Enter sends, Shift+Enter starts a new line" aria-describedby="composer-hint"></textarea>
    <button type="button" class="button button-primary composer-send" id="composer-send" aria-label="Send follow-up question" title="Send (Enter)">Send</button>
    <p class="composer-estimate" id="composer-estimate" aria-live="polite" hidden></p>
  </footer>
  <div class="sr-only" id="announcer" role="status" aria-live="polite" aria-atomic="true"></div>
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
