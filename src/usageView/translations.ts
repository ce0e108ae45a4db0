/**
 * The display language's translations, which the host embeds in the page as an inert JSON block
 * (`src/usage/html.ts`); none in English. Read once, before anything is rendered: every string
 * the view shows goes through `l10n.t`, whose key is the English text.
 */
import * as l10n from '@vscode/l10n';

/** Hands the page's translations to `@vscode/l10n`; a missing or malformed block leaves English. */
export function useHostTranslations(): void {
  const text = document.getElementById('l10n')?.textContent;
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
