/**
 * Every check of an agent file, once, with its place in the text and its quick fixes. The
 * parser keeps the checks that decide how the agent loads (`LOAD_CODES`); the editor's
 * diagnostics show them all. Pure, never throws for bad input.
 */
import * as l10n from '@vscode/l10n';
import {
  readFrontMatter,
  splitAgentDocument,
  type AgentDocument,
  type AgentRange,
  type FieldLayout,
  type FrontMatterReading,
  type YamlError,
} from './frontMatter';
import { readModel } from './models';
import type { AgentModel } from './parse';
import { CLAUDE_CODE_TOOLS, editDistance, suggestToolName, TOOLS_RUN_HERE } from './toolNames';
import { yamlField } from './yamlText';

/** How much a diagnostic matters; `hint` only shows in the Problems view, never as a notification. */
export type AgentSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One text replacement; ranges are 0-based like `vscode.Range`. */
export interface AgentEdit {
  readonly range: AgentRange;
  readonly newText: string;
}

/** A quick fix: applying all its edits solves the diagnostic. */
interface AgentFix {
  readonly title: string;
  readonly edits: readonly AgentEdit[];
}

/** A problem in an agent file, where it is and how to fix it. */
export interface AgentDiagnostic {
  readonly severity: AgentSeverity;
  /** Stable id of the check (`unknown-tool`, `missing-name` …), for code actions and tests. */
  readonly code: string;
  /** One sentence, without the file's name. */
  readonly message: string;
  readonly range: AgentRange;
  readonly fixes: readonly AgentFix[];
  /** The front-matter key at fault, when there is one. */
  readonly field?: string;
}

/** Claude Code's colors for an agent (`/agents` offers these, and only these). */
export const AGENT_COLORS: readonly string[] = ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'cyan'];

/** Keys Claude Code reads in an agent file that this extension does not use. */
const CLAUDE_CODE_ONLY_KEYS: ReadonlySet<string> = new Set(['permissionMode', 'skills']);

/** Larger files are refused: a system prompt this long is a mistake, not a persona. */
export const MAX_AGENT_FILE_CHARS = 256 * 1024;

/** A system prompt above this many characters (about 10,000 tokens) gets a warning: it is sent with every question. */
const LARGE_BODY_CHARS = 40_000;

/** Claude Code's rule for `name`, widened to digits (`web3-auditor`, `c4-architect` are common and load). */
export const AGENT_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks that decide how the agent loads: the parser reports these, the editor all of them. */
export const LOAD_CODES: ReadonlySet<string> = new Set([
  'binary',
  'too-large',
  'no-front-matter',
  'not-yaml-language',
  'unclosed',
  'yaml',
  'not-a-mapping',
  'missing-name',
  'name-type',
  'missing-description',
  'description-type',
  'no-body',
  'tools-type',
  'model-type',
  'unknown-model',
  'model-alias',
  'color-type',
  'duplicate-key',
  'unknown-key',
  'claude-code-key',
]);

/** What the front matter holds, typed, when it could be read. */
interface AgentFields {
  readonly name?: string;
  readonly description?: string;
  readonly tools: readonly string[];
  readonly model?: AgentModel;
  readonly color?: string;
  readonly body: string;
}

/** The outcome of `analyzeAgentText`. */
export interface AgentAnalysis {
  /** Undefined when an error diagnostic means there is no agent. */
  readonly fields?: AgentFields;
  readonly diagnostics: readonly AgentDiagnostic[];
  /** The cut document and its reading, for editor features; undefined before the front matter could be found. */
  readonly document?: AgentDocument;
  readonly reading?: FrontMatterReading;
}

/** Runs every check on the text of an agent file named `fileName` (used to suggest a name). */
export function analyzeAgentText(text: string, fileName: string): AgentAnalysis {
  const diagnostics: AgentDiagnostic[] = [];
  const add = (d: Omit<AgentDiagnostic, 'fixes'> & { fixes?: readonly AgentFix[] }): void => {
    diagnostics.push({ ...d, fixes: d.fixes ?? [] });
  };
  const fail = (code: string, message: string, range: AgentRange = point(0, 0), fixes?: readonly AgentFix[]): AgentAnalysis => {
    add({ severity: 'error', code, message, range, fixes });
    return { diagnostics };
  };

  if (text.includes('\u0000')) {
    return fail('binary', l10n.t('this is a binary file, not a Markdown agent file.'));
  }
  if (text.length > MAX_AGENT_FILE_CHARS) {
    return fail('too-large', l10n.t('the file is {0} KB; agent files may be at most {1} KB.', Math.round(text.length / 1024), MAX_AGENT_FILE_CHARS / 1024));
  }
  const doc = splitAgentDocument(text);
  if (!doc) {
    return fail(
      'no-front-matter',
      l10n.t('the file has no front matter; it must start with a line "---", the YAML keys name and description, and another "---".'),
      point(0, 0),
    );
  }
  const { lines } = doc;
  const opener: AgentRange = { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: lines[0].length };
  if (doc.language !== '' && doc.language !== 'yaml' && doc.language !== 'yml') {
    return fail('not-yaml-language', l10n.t('front matter must be YAML, not "{0}"; it was not evaluated.', doc.language), opener);
  }
  if (doc.closeLine === undefined) {
    return fail('unclosed', l10n.t('the front matter is never closed; add a line "---" after the last key.'), opener);
  }
  const closeRange: AgentRange = { startLine: doc.closeLine, startCharacter: 0, endLine: doc.closeLine, endCharacter: lines[doc.closeLine].length };

  const reading = readFrontMatter(doc);
  if (!reading.ok) {
    const result = { diagnostics, document: doc, reading };
    if (reading.kind === 'shape') {
      add({ severity: 'error', code: 'not-a-mapping', message: l10n.t('the front matter must be a set of "key: value" lines.'), range: lineRange(lines, 1) });
      return result;
    }
    const { error, field } = reading;
    add({
      severity: 'error',
      code: 'yaml',
      field: field?.key,
      message: l10n.t('the front matter is not valid YAML ({0} at line {1}, column {2}).', error.reason, error.line + 1, error.character + 1),
      range: errorRange(lines, error),
      fixes: field ? [quoteFix(lines, field, lines[field.line].slice(field.valueStart).trim())] : [],
    });
    return result;
  }

  const values = reading.values;
  const lastField = (key: string): FieldLayout | undefined => [...reading.fields].reverse().find((f) => f.key === key);
  const keyRangeOf = (key: string): AgentRange => {
    const field = lastField(key);
    return field ? keyRange(field) : opener;
  };
  const valueRangeOf = (key: string): AgentRange => {
    const field = lastField(key);
    return field ? valueRange(lines, field) : opener;
  };

  // Reading notes: fields read as text, keys given twice.
  for (const { field, text: value, error } of reading.textFields) {
    add({
      severity: 'info',
      code: 'not-strict-yaml',
      field: field.key,
      message: l10n.t(
        '"{0}" is not valid YAML (line {1}: {2}); Claude Code accepts it and this extension reads it as plain text, but other YAML tools will not.',
        field.key,
        error.line + 1,
        error.reason,
      ),
      range: keyRange(field),
      fixes: typeof value === 'string' ? [quoteFix(lines, field, value)] : [],
    });
  }
  const seen = new Map<string, FieldLayout>();
  for (const field of reading.fields) {
    const earlier = seen.get(field.key);
    if (earlier) {
      add({
        severity: 'warning',
        code: 'duplicate-key',
        field: field.key,
        message: l10n.t('"{0}" is given again on line {1}; the later one is used.', field.key, field.line + 1),
        range: keyRange(earlier),
        fixes: [{ title: l10n.t('Remove this "{0}"', field.key), edits: [{ range: wholeLines(lines, earlier), newText: '' }] }],
      });
    }
    seen.set(field.key, field);
  }
  if (reading.mode === 'fields' && reading.textFields.length === 0 && seen.size === reading.fields.length && reading.strictError) {
    add({
      severity: 'info',
      code: 'not-strict-yaml',
      message: l10n.t('the front matter is not valid YAML ({0}); this extension reads it field by field, as Claude Code accepts it.', reading.strictError.reason),
      range: errorRange(lines, reading.strictError),
    });
  }

  // name
  let name: string | undefined;
  const rawName = values.get('name');
  if (rawName === undefined || rawName === null || (typeof rawName === 'string' && rawName.trim() === '')) {
    const suggested = slugify(fileName);
    const field = lastField('name');
    add({
      severity: 'error',
      code: 'missing-name',
      field: 'name',
      message: l10n.t('the front matter has no "name"; add e.g. "name: my-architect".'),
      range: field ? keyRange(field) : opener,
      fixes: [
        {
          title: l10n.t('Add "name: {0}" (from the file name)', suggested),
          edits: [
            field
              ? { range: wholeLines(lines, field, false), newText: `name: ${suggested}` }
              : { range: point(1, 0), newText: `name: ${suggested}\n` },
          ],
        },
      ],
    });
  } else if (typeof rawName !== 'string') {
    add({
      severity: 'error',
      code: 'name-type',
      field: 'name',
      message: l10n.t('"name" must be a word such as "my-architect", not {0}.', kindOf(rawName)),
      range: valueRangeOf('name'),
    });
  } else {
    name = rawName.trim();
    if (!AGENT_NAME_PATTERN.test(name)) {
      const slug = slugify(name);
      const field = lastField('name');
      add({
        severity: 'warning',
        code: 'name-format',
        field: 'name',
        message:
          slug !== 'my-agent'
            ? l10n.t('Claude Code wants a name of lowercase letters, digits and hyphens, so "{0}" may not load there; "{1}" would.', name, slug)
            : l10n.t('Claude Code wants a name of lowercase letters, digits and hyphens, so "{0}" may not load there.', name),
        range: valueRangeOf('name'),
        fixes: field && slug !== name ? [{ title: l10n.t('Rename to "{0}"', slug), edits: [{ range: wholeLines(lines, field, false), newText: `name: ${slug}` }] }] : [],
      });
    }
  }

  // description
  let description: string | undefined;
  const rawDescription = values.get('description');
  if (rawDescription === undefined || rawDescription === null || (typeof rawDescription === 'string' && rawDescription.trim() === '')) {
    add({
      severity: 'error',
      code: 'missing-description',
      field: 'description',
      message: l10n.t('the front matter has no "description"; add a sentence saying when to use this agent.'),
      range: lastField('description') ? keyRangeOf('description') : opener,
    });
  } else if (typeof rawDescription !== 'string') {
    add({
      severity: 'error',
      code: 'description-type',
      field: 'description',
      message: l10n.t('"description" must be text saying when to use this agent, not {0}.', kindOf(rawDescription)),
      range: valueRangeOf('description'),
    });
  } else {
    description = rawDescription.trim();
  }

  if (doc.body === '') {
    add({ severity: 'error', code: 'no-body', message: l10n.t("the file has no body after the front matter; the body is the agent's system prompt."), range: closeRange });
  } else if (doc.body.length > LARGE_BODY_CHARS) {
    const bodyLine = lines.findIndex((line, i) => i > (doc.closeLine ?? 0) && line.trim() !== '');
    add({
      severity: 'warning',
      code: 'large-body',
      message: l10n.t(
        'the system prompt is {0} KB (about {1} tokens) and is sent with every question; a shorter one costs less and leaves more room for code.',
        Math.round(doc.body.length / 1024),
        Math.round(doc.body.length / 4).toLocaleString('en-US'),
      ),
      range: lineRange(lines, bodyLine),
    });
  }

  // tools
  let tools: string[] = [];
  const rawTools = values.get('tools');
  if (rawTools !== undefined && rawTools !== null) {
    if (typeof rawTools === 'string') {
      tools = rawTools
        .split(/[,\n]/)
        .map((tool) => tool.trim())
        .filter((tool) => tool !== '');
    } else if (Array.isArray(rawTools) && rawTools.every((tool) => typeof tool === 'string')) {
      tools = rawTools.map((tool: string) => tool.trim()).filter((tool) => tool !== '');
    } else {
      add({
        severity: 'warning',
        code: 'tools-type',
        field: 'tools',
        message: l10n.t('"tools" must be a comma-separated string or a list of tool names; it is ignored.'),
        range: valueRangeOf('tools'),
      });
    }
    const field = lastField('tools');
    if (field) {
      checkTools(lines, field, tools, add);
    }
  }

  // model
  const modelReading = readModel(values.get('model'));
  if (modelReading.problem) {
    const { severity, code, message, suggestion } = modelReading.problem;
    const field = lastField('model');
    add({
      severity,
      code,
      field: 'model',
      message,
      range: valueRangeOf('model'),
      fixes: field && suggestion ? [{ title: l10n.t('Change to "{0}"', suggestion), edits: [{ range: wholeLines(lines, field, false), newText: `model: ${suggestion}` }] }] : [],
    });
  }

  // color
  let color: string | undefined;
  const rawColor = values.get('color');
  if (rawColor !== undefined && rawColor !== null) {
    if (typeof rawColor === 'string' && rawColor.trim() !== '') {
      color = rawColor.trim();
      if (!AGENT_COLORS.includes(color)) {
        const suggestion = AGENT_COLORS.find((c) => c === color?.toLowerCase()) ?? AGENT_COLORS.find((c) => editDistance(c, color?.toLowerCase() ?? '') <= 2);
        const field = lastField('color');
        add({
          severity: 'warning',
          code: 'unknown-color',
          field: 'color',
          message: suggestion
            ? l10n.t('"{0}" is not one of Claude Code\'s agent colors ({1}); did you mean "{2}"?', color, AGENT_COLORS.join(', '), suggestion)
            : l10n.t('"{0}" is not one of Claude Code\'s agent colors ({1}).', color, AGENT_COLORS.join(', ')),
          range: valueRangeOf('color'),
          fixes: field && suggestion ? [{ title: l10n.t('Change to "{0}"', suggestion), edits: [{ range: wholeLines(lines, field, false), newText: `color: ${suggestion}` }] }] : [],
        });
      }
    } else {
      add({ severity: 'warning', code: 'color-type', field: 'color', message: l10n.t('"color" must be a word such as "green"; it is ignored.'), range: valueRangeOf('color') });
    }
  }

  // Other keys: harmless, so hints.
  for (const key of values.keys()) {
    if (key === 'name' || key === 'description' || key === 'tools' || key === 'model' || key === 'color') {
      continue;
    }
    const claudeCode = CLAUDE_CODE_ONLY_KEYS.has(key);
    add({
      severity: 'hint',
      code: claudeCode ? 'claude-code-key' : 'unknown-key',
      field: key,
      message: claudeCode
        ? l10n.t('"{0}" is used by Claude Code, not by this extension.', key)
        : l10n.t('the front-matter key "{0}" is not used by Claude Code or this extension.', key),
      range: keyRangeOf(key),
    });
  }

  const hasError = diagnostics.some((d) => d.severity === 'error');
  const fields: AgentFields | undefined = hasError ? undefined : { name, description, tools, model: modelReading.model, color, body: doc.body };
  return { fields, diagnostics, document: doc, reading };
}

/** Where the value of `key` is written (its last occurrence), else the first line. */
export function fieldValueRange(analysis: AgentAnalysis, key: string): AgentRange {
  const lines = analysis.document?.lines ?? [''];
  const field = analysis.reading ? [...analysis.reading.fields].reverse().find((f) => f.key === key) : undefined;
  return field ? valueRange(lines, field) : { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: lines[0].length };
}

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

function checkTools(
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

/** The fix that rewrites a field whose text breaks YAML as YAML meaning the same text. */
function quoteFix(lines: readonly string[], field: FieldLayout, text: string): AgentFix {
  const title = text.includes('\n') ? l10n.t('Turn "{0}" into a YAML block (|-)', field.key) : l10n.t('Quote "{0}"', field.key);
  return { title, edits: [{ range: wholeLines(lines, field, false), newText: yamlField(field.key, text) }] };
}

/** `Database Tuner.md` → `database-tuner`; `my-agent` when nothing is left. */
export function slugify(text: string): string {
  const base = text.replace(/^.*[\\/]/, '').replace(/\.(md|markdown)$/i, '');
  const slug = base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'my-agent' : slug;
}

/** What a value of the wrong type is, for "must be …, not {0}" messages. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) {
    return l10n.t('a list');
  }
  if (typeof value === 'object' && value !== null) {
    return l10n.t('a set of keys');
  }
  if (typeof value === 'number') {
    return l10n.t('a number');
  }
  return typeof value === 'boolean'
    ? l10n.t('true or false')
    : l10n.t({ message: 'a {0}', args: [typeof value], comment: ['{0} is a JavaScript type name (string, bigint…): "must be a word, not a {0}"'] });
}

function point(line: number, character: number): AgentRange {
  return { startLine: line, startCharacter: character, endLine: line, endCharacter: character };
}

function lineRange(lines: readonly string[], line: number): AgentRange {
  const l = Math.max(0, Math.min(line, lines.length - 1));
  const text = lines[l];
  const start = text.length - text.trimStart().length;
  return { startLine: l, startCharacter: start, endLine: l, endCharacter: text.length };
}

function keyRange(field: FieldLayout): AgentRange {
  return { startLine: field.line, startCharacter: 0, endLine: field.line, endCharacter: field.keyEnd };
}

function valueRange(lines: readonly string[], field: FieldLayout): AgentRange {
  const endCharacter = lines[field.endLine].length;
  if (field.endLine === field.line && field.valueStart >= endCharacter) {
    return keyRange(field);
  }
  return { startLine: field.line, startCharacter: field.valueStart, endLine: field.endLine, endCharacter };
}

/** From the field's key to the end of its last line; with `withNewline`, through the line break. */
function wholeLines(lines: readonly string[], field: FieldLayout, withNewline = true): AgentRange {
  return withNewline
    ? { startLine: field.line, startCharacter: 0, endLine: field.endLine + 1, endCharacter: 0 }
    : { startLine: field.line, startCharacter: 0, endLine: field.endLine, endCharacter: lines[field.endLine].length };
}

/** From the error's column to the end of its line (a one-character range at a line's end). */
function errorRange(lines: readonly string[], error: YamlError): AgentRange {
  const line = Math.max(0, Math.min(error.line, lines.length - 1));
  const length = lines[line].length;
  const start = Math.min(error.character, length);
  return start < length
    ? { startLine: line, startCharacter: start, endLine: line, endCharacter: length }
    : { startLine: line, startCharacter: Math.max(0, start - 1), endLine: line, endCharacter: start };
}

