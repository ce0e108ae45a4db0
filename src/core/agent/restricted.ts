/**
 * What Restricted Mode ignores, said in one sentence. Pure.
 *
 * In an untrusted workspace VS Code drops the manifest's `restrictedConfigurations` from the
 * workspace's settings before the extension sees them (`inspect()` has no `workspaceValue`
 * either), so the only way to tell the user *which* of them a repository sets is to look at
 * its settings file: this scans that text. It never evaluates anything.
 */
import * as l10n from '@vscode/l10n';

/** The manifest's `capabilities.untrustedWorkspaces.restrictedConfigurations` (a unit test keeps them equal). */
export const RESTRICTED_SETTINGS = ['lingualeap.baseUrl', 'lingualeap.model', 'lingualeap.agent', 'lingualeap.tools.exclude'] as const;

/** What a workspace holds that Restricted Mode ignores. */
export interface IgnoredInRestrictedMode {
  /** Agent files, as paths relative to the workspace (e.g. `.claude/agents/reviewer.md`). */
  readonly agentFiles: readonly string[];
  /** Restricted settings the workspace sets, in `RESTRICTED_SETTINGS` order. */
  readonly settings: readonly string[];
}

/**
 * The restricted settings that a settings file sets: a folder's `.vscode/settings.json`, or
 * with `under: 'settings'` a `.code-workspace` file. Accepts what VS Code accepts (comments,
 * trailing commas, `"lingualeap": { "baseUrl": … }` nesting); a file too broken to parse is
 * searched for the keys as text, since VS Code recovers what it can from such a file too.
 */
export function restrictedSettingsIn(text: string, under?: 'settings'): string[] {
  const json = stripJsonc(text);
  let root: unknown;
  try {
    root = JSON.parse(json) as unknown;
  } catch {
    return RESTRICTED_SETTINGS.filter((key) => new RegExp(`"${key.replace(/\./g, '\\.')}"\\s*:`).test(json));
  }
  if (under) {
    root = isObject(root) ? root[under] : undefined;
  }
  const found = new Set<string>();
  collect(root, '', found);
  return RESTRICTED_SETTINGS.filter((key) => found.has(key));
}

/**
 * The sentence the user reads, or undefined when nothing is ignored (then there is nothing
 * worth interrupting for: the bundled architect answers exactly as it would when trusted).
 */
export function describeIgnored({ agentFiles, settings }: IgnoredInRestrictedMode): string | undefined {
  const parts: string[] = [];
  if (agentFiles.length > 0) {
    parts.push(agentFiles.length === 1 ? l10n.t('its agent file {0}', list(agentFiles, 3)) : l10n.t('its agent files {0}', list(agentFiles, 3)));
  }
  if (settings.length > 0) {
    parts.push(settings.length === 1 ? l10n.t('its {0} setting', list(settings)) : l10n.t('its {0} settings', list(settings)));
  }
  if (parts.length === 0) {
    return undefined;
  }
  const ignored = list(parts);
  return agentFiles.length + settings.length === 1
    ? l10n.t('LinguaLeap is in Restricted Mode: this workspace is not trusted, so {0} is ignored. The bundled architect answers, with your user settings.', ignored)
    : l10n.t('LinguaLeap is in Restricted Mode: this workspace is not trusted, so {0} are ignored. The bundled architect answers, with your user settings.', ignored);
}

/** "a", "a and b", "a, b and c", "a, b, c and 2 more". */
function list(items: readonly string[], max = Infinity): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const all = rest > 0 ? [...shown, l10n.t('{0} more', rest)] : shown;
  return all.length === 1
    ? all[0]
    : l10n.t({ message: '{0} and {1}', args: [all.slice(0, -1).join(', '), all[all.length - 1]], comment: ['Joins the last item of a list to the others: {0} is "a, b", {1} is "c"'] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Dotted keys of `value`, as VS Code reads nested settings; language overrides (`"[ts]"`) are not ours. */
function collect(value: unknown, prefix: string, found: Set<string>): void {
  if (!isObject(value)) {
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (prefix === '' && key.startsWith('[')) {
      continue;
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if ((RESTRICTED_SETTINGS as readonly string[]).includes(path)) {
      found.add(path);
    } else if (RESTRICTED_SETTINGS.some((setting) => setting.startsWith(`${path}.`))) {
      collect(child, path, found);
    }
  }
}

/** JSON with comments and trailing commas → JSON; strings (URLs hold `//`) are kept as they are. */
function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === ',') {
      // A trailing comma (only whitespace and comments before the closing bracket) is dropped.
      const next = text[skipTrivia(text, i + 1)];
      out += next === '}' || next === ']' ? '' : c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/^\uFEFF/, '');
}

/** The index of the first character at or after `i` that is not whitespace or a comment. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) {
      i++;
    }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else {
      return i;
    }
  }
}
