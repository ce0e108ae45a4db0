/**
 * The `tools` field of an agent file: where each tool is written (a flow list, a block list or
 * a comma string), and the checks of the names against Claude Code's tools, with quick fixes
 * (the nearest tool name, removing the item). Pure.
 */
import * as l10n from '@vscode/l10n';
import type { AgentDiagnostic, AgentEdit, AgentFix } from './analyze';
import type { AgentRange, FieldLayout } from './frontMatter';
import { keyRange } from './ranges';
import { CLAUDE_CODE_TOOLS, suggestToolName, TOOLS_RUN_HERE } from './toolNames';

/** One tool of the `tools` field: its name and where it is written. */
export interface ToolItem {
  readonly name: string;
  /** The name itself, inside any quotes. */
  readonly range: AgentRange;
  /** Removes the item and one separator, keeping the list valid; undefined for the only item. */
  readonly removal?: AgentEdit;
}

/**
 * The tools of a `tools` field where they are written: a flow list (`["Read", "Grep"]`), a
 * block list (`- Read` lines) or a comma string (`Read, Grep`, quoted or not, over one or
 * more lines).
 */
export function toolItems(lines: readonly string[], field: FieldLayout): ToolItem[] {
  const first = lines[field.line].slice(field.valueStart);
  if (first.startsWith('[')) {
    return separatedItems(lines, field, '[', ']');
  }
  if (first === '' || first.startsWith('#')) {
    const items: { name: string; range: AgentRange; line: number }[] = [];
    for (let i = field.line + 1; i <= field.endLine; i++) {
      const item = /^(\s*-\s+)(["']?)([^"'#]*?)\2\s*(#.*)?$/.exec(lines[i]);
      if (item && item[3] !== '') {
        const start = item[1].length + item[2].length;
        items.push({ name: item[3], range: { startLine: i, startCharacter: start, endLine: i, endCharacter: start + item[3].length }, line: i });
      }
    }
    return items.map((item) => ({
      name: item.name,
      range: item.range,
      removal: items.length > 1 ? { range: { startLine: item.line, startCharacter: 0, endLine: item.line + 1, endCharacter: 0 }, newText: '' } : undefined,
    }));
  }
  return separatedItems(lines, field, '', '');
}

/** Comma-separated items from the value's start (after `open`, when given) to `close` or the field's end. */
function separatedItems(lines: readonly string[], field: FieldLayout, open: string, close: string): ToolItem[] {
  interface Token {
    text: string;
    start: { line: number; character: number };
    end: { line: number; character: number };
  }
  const tokens: Token[] = [];
  let current: Token | undefined;
  let quote: string | undefined;
  // Spaces inside an item (`Bash(git diff:*)`) belong to it only when more of it follows.
  let pending = '';
  const push = (): void => {
    if (current) {
      tokens.push(current);
    }
    current = undefined;
    pending = '';
  };
  let started = open === '';
  outer: for (let i = field.line; i <= field.endLine; i++) {
    const line = lines[i];
    for (let c = i === field.line ? field.valueStart : 0; c < line.length; c++) {
      const ch = line[c];
      if (!started) {
        started = ch === open;
        continue;
      }
      if (quote) {
        if (ch === quote) {
          quote = undefined;
        }
        if (current) {
          current.text += ch;
          current.end = { line: i, character: c + 1 };
        }
        continue;
      }
      if ((close !== '' && ch === close) || (ch === '#' && (c === 0 || /\s/.test(line[c - 1])))) {
        push();
        if (ch === close) {
          break outer;
        }
        break;
      }
      if (ch === ',') {
        push();
        continue;
      }
      if (/\s/.test(ch)) {
        pending += ch;
        continue;
      }
      // Quotes delimit items only in a flow list; a comma string's outer quotes are dropped below.
      if ((ch === '"' || ch === "'") && !current && open !== '') {
        quote = ch;
      }
      if (!current) {
        current = { text: '', start: { line: i, character: c }, end: { line: i, character: c } };
      } else {
        current.text += pending;
      }
      pending = '';
      current.text += ch;
      current.end = { line: i, character: c + 1 };
    }
    // A comma string's item never spans lines.
    if (!quote) {
      push();
    }
  }
  push();
  // A whole comma string in quotes ("Read, Grep"): drop the outer quotes from the first and last items.
  if (open === '' && tokens.length > 0) {
    const q = tokens[0].text[0];
    const last = tokens[tokens.length - 1];
    if ((q === '"' || q === "'") && last.text.endsWith(q) && (tokens.length > 1 || tokens[0].text.length > 1)) {
      tokens[0] = { ...tokens[0], text: tokens[0].text.slice(1), start: { ...tokens[0].start, character: tokens[0].start.character + 1 } };
      const l = tokens.length - 1;
      tokens[l] = { ...tokens[l], text: tokens[l].text.slice(0, -1), end: { ...tokens[l].end, character: tokens[l].end.character - 1 } };
    }
  }
  return tokens.map((token, index) => {
    const quoted = open !== '' && /^(["']).*\1$/.test(token.text) && token.text.length >= 2;
    const name = quoted ? token.text.slice(1, -1) : token.text;
    const range: AgentRange = {
      startLine: token.start.line,
      startCharacter: token.start.character + (quoted ? 1 : 0),
      endLine: token.end.line,
      endCharacter: token.end.character - (quoted ? 1 : 0),
    };
    const next = tokens[index + 1];
    const previous = tokens[index - 1];
    const removal: AgentEdit | undefined = next
      ? { range: { startLine: token.start.line, startCharacter: token.start.character, endLine: next.start.line, endCharacter: next.start.character }, newText: '' }
      : previous
        ? { range: { startLine: previous.end.line, startCharacter: previous.end.character, endLine: token.end.line, endCharacter: token.end.character }, newText: '' }
        : undefined;
    return { name, range, removal };
  });
}

export function checkTools(
  lines: readonly string[],
  field: FieldLayout,
  tools: readonly string[],
  add: (d: Omit<AgentDiagnostic, 'fixes'> & { fixes?: readonly AgentFix[] }) => void,
): void {
  let items: readonly ToolItem[] = toolItems(lines, field);
  if (items.map((item) => item.name.trim()).join('\n') !== tools.join('\n')) {
    // Written in a way the locator does not follow: still check the names, at the key.
    items = tools.map((name) => ({ name, range: keyRange(field) }));
  }
  for (const item of items) {
    const name = item.name.trim();
    const base = name.replace(/\(.*\)$/s, '');
    if (CLAUDE_CODE_TOOLS.includes(base)) {
      if (!TOOLS_RUN_HERE.includes(base)) {
        add({
          severity: 'hint',
          code: 'tool-not-here',
          field: 'tools',
          message: l10n.t('{0} is a Claude Code tool this extension does not run; here the architect has {1}.', base, TOOLS_RUN_HERE.join(', ')),
          range: item.range,
        });
      }
      continue;
    }
    if (base.startsWith('mcp__')) {
      add({ severity: 'hint', code: 'tool-not-here', field: 'tools', message: l10n.t('{0} is an MCP tool; this extension does not run MCP tools.', base), range: item.range });
      continue;
    }
    const suggestion = suggestToolName(base);
    const fixes: AgentFix[] = [];
    if (suggestion) {
      fixes.push({ title: l10n.t('Change to "{0}"', suggestion), edits: [{ range: item.range, newText: name.replace(base, suggestion) }] });
    }
    if (item.removal) {
      fixes.push({ title: l10n.t('Remove "{0}" from tools', name), edits: [item.removal] });
    }
    add({
      severity: 'warning',
      code: 'unknown-tool',
      field: 'tools',
      message: suggestion ? l10n.t('"{0}" is not a Claude Code tool; did you mean "{1}"?', name, suggestion) : l10n.t('"{0}" is not a Claude Code tool.', name),
      range: item.range,
      fixes,
    });
  }
}
