/**
 * The architect panel's HTML: a static skeleton, one stylesheet, one script, and a strict
 * Content-Security-Policy. Pure (no `vscode` import) so it is unit-tested under node:test.
 *
 * The webview renders untrusted model output, so the policy allows nothing the page does not
 * need: no inline script or style, no eval, no remote image, font, frame or connection. Markdown
 * images are shown as links by the webview, never loaded.
 */
import * as l10n from '@vscode/l10n';
import { webviewCsp } from '../host/webviewCsp';
import { l10nBlockHtml } from '../shared/l10nBlock';

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
  /**
   * The display language's translations (`webviewL10nBundle()`), which the page hands to
   * `@vscode/l10n` before it renders; undefined in English, and then nothing is embedded.
   */
  readonly l10nBundle?: Readonly<Record<string, string>>;
  /** `vscode.env.language`, the page's `lang` (what a screen reader speaks it as); English if unset. */
  readonly language?: string;
}

/** Builds the panel's HTML. Throws on a malformed `cspSource` or `nonce` (a host bug). */
export function renderPanelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, title, l10nBundle, language } = options;
  const csp = webviewCsp(cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="${escapeAttr(language ?? 'en')}">
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
        <span class="conversation-total" id="conversation-total" title="${escapeAttr(l10n.t('Tokens and price of this conversation so far'))}" hidden></span>
      </div>
      <button type="button" class="icon-button new-conversation" id="new-conversation" aria-label="${escapeAttr(l10n.t('New conversation'))}" title="${escapeAttr(l10n.t('New conversation'))}"></button>
    </div>
  </header>
  <main class="transcript" id="transcript" aria-label="${escapeAttr(l10n.t('Conversation'))}">
    <section class="empty-state" id="empty-state">
      <p class="empty-title">${escapeText(l10n.t('Ask about your code'))}</p>
      <p class="empty-hint">${emptyHint()}</p>
    </section>
  </main>
  <footer class="composer" id="composer">
    <label class="sr-only" for="composer-input">${escapeText(l10n.t('Ask a follow-up question'))}</label>
    <span class="sr-only" id="composer-hint">${escapeText(l10n.t('Enter sends, Shift+Enter starts a new line.'))}</span>
    <textarea id="composer-input" class="composer-input" rows="1" maxlength="20000" placeholder="${escapeAttr(l10n.t('Ask a follow-up…'))}" title="${escapeAttr(l10n.t('Enter sends, Shift+Enter starts a new line'))}" aria-describedby="composer-hint"></textarea>
    <button type="button" class="button button-primary composer-send" id="composer-send" aria-label="${escapeAttr(l10n.t('Send follow-up question'))}" title="${escapeAttr(l10n.t('Send (Enter)'))}">${escapeText(l10n.t('Send'))}</button>
    <p class="composer-estimate" id="composer-estimate" aria-live="polite" hidden></p>
  </footer>
  <div class="sr-only" id="announcer" role="status" aria-live="polite" aria-atomic="true"></div>
${l10nBlockHtml(l10nBundle)}  <script nonce="${escapeAttr(nonce)}" src="${escapeAttr(scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * The hint on the empty panel. The command's title is one placeholder, so a translation can move
 * it; the `<strong>` around it stays out of the text. The title is translated here too (pure
 * code cannot read the manifest's): it must read as the palette shows the command.
 */
function emptyHint(): string {
  const hint = escapeText(l10n.t('Select code in the editor and run {0}. The answer streams in here; ask follow-ups below.', '{0}'));
  const command = l10n.t({
    message: 'LinguaLeap: Ask LinguaLeap Architect',
    comment: ['The command as the Command Palette shows it: "%command.category%: %command.ask.title%" of package.nls.json'],
  });
  return hint.replace('{0}', `<strong>${escapeText(command)}</strong>`);
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
