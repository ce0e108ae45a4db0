/**
 * Markdown for UNTRUSTED model output. Three layers, each enough on its own for the common
 * attacks:
 *
 * 1. markdown-it with `html: false`, so raw HTML in an answer is shown as text, and a link
 *    validator that accepts only http(s) and `#` targets (a `javascript:` link stays text).
 *    Images are never loaded: they render as a link to the image, or as their alt text.
 * 2. DOMPurify with an allow-list of the tags and attributes markdown-it emits, no style,
 *    no forms, frames, SVG or MathML, and the same URL rule.
 * 3. The panel's CSP: no inline script, no remote image, no inline style.
 *
 * Rendering returns DOM nodes, never an HTML string for someone to assign to `innerHTML`.
 */
import * as l10n from '@vscode/l10n';
import DOMPurify, { type Config } from 'dompurify';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { h } from './dom';
import { highlight, resolveLanguage } from './highlight';
import { icon } from './icons';

/** markdown-it's environment: reference definitions (`[id]: url`) collected while parsing. */
export interface MarkdownEnv {
  references?: Record<string, unknown>;
}

/** http(s) and in-page anchors only; everything else (javascript:, data:, command:, file:, vscode:, relative) is not a link. */
export function isSafeHref(url: string): boolean {
  const value = url.trim();
  return /^https?:\/\/[^\s]/i.test(value) || /^#[^\s]*$/.test(value);
}

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: false });
// Only URLs with a scheme become links: fuzzy matching turns file names like README.md or
// setup.sh (country-code domains) into links to nowhere.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
md.validateLink = isSafeHref;

md.renderer.rules.fence = (tokens, idx) => {
  const token = tokens[idx];
  const info = token.info ? md.utils.unescapeAll(token.info).trim() : '';
  const word = info.split(/\s+/)[0] ?? '';
  const language = resolveLanguage(word);
  const body = language ? highlight(token.content, language) : md.utils.escapeHtml(token.content);
  // The label is shown to the user; only a plain identifier qualifies, and it is escaped anyway.
  const label = /^[\w+#.-]{1,32}$/.test(word) ? word.toLowerCase() : '';
  const dataLang = label ? ` data-lang="${md.utils.escapeHtml(label)}"` : '';
  const codeClass = language ? ` class="hljs language-${language}"` : '';
  return `<pre${dataLang}><code${codeClass}>${body}</code></pre>\n`;
};

md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
  // An image inside a link ([![badge](img)](url)) must not nest a second link.
  if (isInsideLink(tokens, idx) || !isSafeHref(src)) {
    return alt ? `<span class="md-image-alt">${md.utils.escapeHtml(alt)}</span>` : '';
  }
  const text = alt ? l10n.t('Image: {0}', alt) : l10n.t('Image');
  return `<a href="${md.utils.escapeHtml(src)}" title="${md.utils.escapeHtml(src)}" class="md-image-link">${md.utils.escapeHtml(text)}</a>`;
};

// Show where a link goes before it is clicked: the link text is the model's to choose.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = token.attrGet('href');
  if (href && !token.attrGet('title')) {
    token.attrSet('title', href);
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Table alignment arrives as `style="text-align:…"`, which the CSP blocks; use classes.
md.core.ruler.push('align_classes', (state) => {
  for (const token of state.tokens) {
    const style = token.attrGet('style');
    if (style) {
      const align = /^text-align:(left|center|right)$/.exec(style)?.[1];
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      if (align) {
        token.attrJoin('class', `align-${align}`);
      }
    }
  }
});

function isInsideLink(tokens: Token[], idx: number): boolean {
  let depth = 0;
  for (let i = 0; i < idx; i++) {
    if (tokens[i].type === 'link_open') {
      depth++;
    } else if (tokens[i].type === 'link_close') {
      depth--;
    }
  }
  return depth > 0;
}

const purify = DOMPurify(window);

const PURIFY_CONFIG = {
  ALLOWED_TAGS: [
    'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p',
    'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'data-lang'],
  // Attributes not on this list have their value checked against ALLOWED_URI_REGEXP.
  ADD_URI_SAFE_ATTR: ['start', 'data-lang'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|#)/i,
  FORBID_TAGS: [
    'script', 'style', 'link', 'meta', 'base', 'img', 'picture', 'video', 'audio', 'source', 'svg', 'math',
    'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'template',
  ],
  FORBID_ATTR: ['style', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'target'],
  RETURN_DOM_FRAGMENT: true,
} satisfies Config;

// Set once: a configuration passed to every `sanitize()` call is parsed again each time (its
// allow-lists rebuilt), which costs as much as sanitizing a small block.
purify.setConfig(PURIFY_CONFIG);

// Defence in depth for the one attribute that navigates.
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof HTMLAnchorElement) {
    const href = node.getAttribute('href');
    if (href !== null && !isSafeHref(href)) {
      node.removeAttribute('href');
    }
  }
});

/** Block-level parse; tokens carry `map` (source lines) used to find the stable prefix. */
export function parseMarkdown(source: string, env: MarkdownEnv): Token[] {
  return md.parse(source, env);
}

/** Renders parsed tokens to sanitized, decorated DOM nodes. */
export function renderTokens(tokens: Token[], env: MarkdownEnv): DocumentFragment {
  const html = md.renderer.render(tokens, md.options, env);
  const fragment: unknown = purify.sanitize(html);
  if (!(fragment instanceof DocumentFragment)) {
    // RETURN_DOM_FRAGMENT is part of the configuration set above; anything else is a bug.
    throw new Error('The sanitizer did not return a DOM fragment.');
  }
  decorateCodeBlocks(fragment);
  return fragment;
}

/** Gives each code block a header with its language and a Copy button (trusted DOM, built here). */
function decorateCodeBlocks(root: DocumentFragment): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const lang = pre.getAttribute('data-lang') ?? '';
    const copy = h('button', { className: 'icon-button copy-button', attrs: { type: 'button', 'aria-label': l10n.t('Copy code'), title: l10n.t('Copy') } }, icon('copy'));
    copy.addEventListener('click', () => void copyCode(copy, code?.textContent ?? ''));
    const header = h('div', { className: 'code-header' }, h('span', { className: 'code-lang' }, lang), copy);
    const block = h('div', { className: 'code-block' });
    pre.replaceWith(block);
    block.append(header, pre);
  }
}

async function copyCode(button: HTMLButtonElement, text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    return;
  }
  button.replaceChildren(icon('check'));
  button.setAttribute('aria-label', l10n.t('Copied'));
  button.title = l10n.t('Copied');
  setTimeout(() => {
    button.replaceChildren(icon('copy'));
    button.setAttribute('aria-label', l10n.t('Copy code'));
    button.title = l10n.t('Copy');
  }, 1500);
}
