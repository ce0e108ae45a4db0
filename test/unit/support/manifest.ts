/**
 * The manifest as VS Code shows it in English: `package.json` with every `%key%` replaced by its
 * text from `package.nls.json`, for the tests that check what the manifest says rather than
 * how it is localized (`test/unit/contributes/manifestL10n.test.ts` checks that).
 */
import { readFileSync } from 'node:fs';
import { repoPath } from './paths';

/** A value VS Code replaces only when the whole string is `%key%`. */
const PLACEHOLDER = /^%([\w.-]+)%$/;

function resolve(value: unknown, nls: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const key = PLACEHOLDER.exec(value)?.[1];
    if (key === undefined) {
      return value;
    }
    if (!Object.hasOwn(nls, key)) {
      throw new Error(`package.json uses %${key}%, which package.nls.json does not define`);
    }
    return nls[key];
  }
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, nls));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, nls)]));
  }
  return value;
}

/** `package.json` with its English texts in place of the `%key%` placeholders. */
export function readEnglishManifest(): unknown {
  const manifest = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as unknown;
  const nls = JSON.parse(readFileSync(repoPath('package.nls.json'), 'utf8')) as Record<string, string>;
  return resolve(manifest, nls);
}
