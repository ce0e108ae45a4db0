/**
 * How an agent file's front matter is read, with the position of every field, so the parser,
 * the diagnostics and the completions all see the same fields at the same places. Pure.
 *
 * The reading rule (one rule for every file):
 *
 * 1. The front matter runs from a first line `---` to the next line made only of three or more
 *    dashes (`---`, `-----`). It is read as strict YAML first, with js-yaml's safe schema, so
 *    no tag can construct a function or run code.
 * 2. The same lines are also cut into fields, line by line: a line `key:` at column 0 starts a
 *    field, and every other line (indented, blank, `<example>`, plain text) continues the
 *    field before it. A quoted value left open continues until its closing quote. Inside the
 *    `description`, a column-0 `Word:` line is text, not a field, when it is a transcript
 *    label (`user:`, `assistant:`, `Context:`, `Examples:` … see `TRANSCRIPT_LABELS`), starts
 *    with a capital letter, or sits inside an open `<example>` / `<commentary>` tag; the five
 *    fields Claude Code defines (`name`, `description`, `tools`, `model`, `color`) always start
 *    a field. Blank and `#` lines belong to a field only when its text goes on after them. Text
 *    before the first key is an error.
 * 3. Strict YAML wins when it succeeds and read no such text line as a key of its own. Otherwise
 *    (a description over several unindented lines, `**bold**` at its start, a `: ` inside it)
 *    each field is read on its own: as YAML when its lines are valid YAML for that one key
 *    (`tools: ["Read", "Grep"]`, a block list, a `|` block), else as the plain text of its lines
 *    (quotes around a single value removed, lines joined by newlines). A value that opens a YAML
 *    structure (`[`, `{`, `|`, `>`, a `!tag`, an `&anchor`) was meant as YAML: its error stands
 *    (a `*` is text: `**bold**` is common, an alias in an agent file is not).
 *
 * Claude Code loads such files from public agent collections; so does this rule, and it keeps
 * a description whole, examples included, as its author meant it.
 */
import * as l10n from '@vscode/l10n';
import matter from 'gray-matter';

/** A range in the text, 0-based like `vscode.Range`. */
export interface AgentRange {
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/** The five fields Claude Code defines for an agent. */
export const AGENT_FIELDS = ['name', 'description', 'tools', 'model', 'color'] as const;
export type AgentField = (typeof AGENT_FIELDS)[number];
const KNOWN_FIELDS: ReadonlySet<string> = new Set(AGENT_FIELDS);

/**
 * Words that label the lines of an example conversation inside a description. At column 0 in
 * a description they are text: no agent front matter has such a key.
 */
const TRANSCRIPT_LABELS: ReadonlySet<string> = new Set([
  'user',
  'assistant',
  'human',
  'ai',
  'claude',
  'agent',
  'system',
  'context',
  'example',
  'examples',
  'commentary',
  'note',
  'response',
]);

/** One `key:` of the front matter and the lines it spans. */
export interface FieldLayout {
  readonly key: string;
  /** The line of `key:`. */
  readonly line: number;
  /** The character after the key. */
  readonly keyEnd: number;
  /** The first character of the value on the key line (the line's length when it is empty). */
  readonly valueStart: number;
  /** The last line of the field: continuation lines included, trailing blank and comment lines not. */
  readonly endLine: number;
}

/** A YAML error at a place in the text. */
export interface YamlError {
  readonly reason: string;
  readonly line: number;
  readonly character: number;
}

/** An agent file cut into its front matter and body. Lines are the text's, `\r\n` → `\n`. */
export interface AgentDocument {
  /** Without a byte-order mark, as VS Code shows the text, so positions match the editor's. */
  readonly lines: readonly string[];
  /** What follows `---` on the first line (`yaml`, `js` …), lower case; empty for plain `---`. */
  readonly language: string;
  /** The closing `---` line; undefined when the front matter is never closed. */
  readonly closeLine?: number;
  /** The system prompt: the text after the closing line, trimmed. */
  readonly body: string;
}

/** Cuts the text; undefined when it does not start with a `---` line. */
export function splitAgentDocument(text: string): AgentDocument | undefined {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const opening = /^---(-*)[ \t]*([^\n]*)$/.exec(lines[0]);
  if (!opening || lines.length < 2) {
    return undefined;
  }
  const language = opening[2].trim().toLowerCase();
  let closeLine: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    if (/^-{3,}[ \t]*$/.test(lines[i])) {
      closeLine = i;
      break;
    }
  }
  const body = closeLine === undefined ? '' : lines.slice(closeLine + 1).join('\n').trim();
  return { lines, language, closeLine, body };
}

/** What the front matter says, or why it cannot be read. */
export type FrontMatterReading =
  | {
      readonly ok: true;
      /** `yaml`: strict YAML; `fields`: field by field (rule 3 above). */
      readonly mode: 'yaml' | 'fields';
      /** Each key's value; for a key given twice, the last one. */
      readonly values: ReadonlyMap<string, unknown>;
      readonly fields: readonly FieldLayout[];
      /** Fields read as plain text, each with its own text and the YAML error that made it so. */
      readonly textFields: readonly { readonly field: FieldLayout; readonly text: string | undefined; readonly error: YamlError }[];
      /** Why strict YAML was not used, when it was not. */
      readonly strictError?: YamlError;
    }
  | {
      readonly ok: false;
      /** `yaml`: not YAML, even field by field; `shape`: YAML, but not a set of `key: value` lines. */
      readonly kind: 'yaml' | 'shape';
      readonly error: YamlError;
      readonly fields: readonly FieldLayout[];
      /** The string field whose single-line value broke YAML, when that is the cause (it can be quoted). */
      readonly field?: FieldLayout;
    };

/**
 * Reads the front matter by the rule above. An unclosed one (being typed) is read to the end
 * of the text, for completions.
 */
export function readFrontMatter(doc: AgentDocument): FrontMatterReading {
  const close = doc.closeLine ?? doc.lines.length;
  const { fields, orphans, textKeyLines } = layoutFields(doc.lines, 1, close);
  const strict = loadYaml(doc.lines.slice(1, close).join('\n'), 1);

  if (strict.ok) {
    const data = strict.value;
    if (data === undefined || data === null) {
      return { ok: true, mode: 'yaml', values: new Map(), fields, textFields: [] };
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      return { ok: false, kind: 'shape', error: { reason: l10n.t('not a set of "key: value" lines'), line: 1, character: 0 }, fields };
    }
    const record = data as Record<string, unknown>;
    const swallowed = textKeyLines.find((entry) => Object.prototype.hasOwnProperty.call(record, entry.key));
    if (!swallowed) {
      return { ok: true, mode: 'yaml', values: new Map(Object.entries(record)), fields, textFields: [] };
    }
    const error = { reason: l10n.t('YAML reads "{0}:" as a key of its own', swallowed.key), line: swallowed.line, character: 0 };
    return readFieldByField(doc.lines, fields, orphans, error);
  }
  return readFieldByField(doc.lines, fields, orphans, strict.error);
}

function readFieldByField(
  lines: readonly string[],
  fields: readonly FieldLayout[],
  orphans: readonly number[],
  strictError: YamlError,
): FrontMatterReading {
  if (orphans.length > 0) {
    const line = orphans[0];
    // js-yaml's own position is the better one when it points at that line.
    const error = strictError.line === line ? strictError : { reason: l10n.t('a line outside any "key: value"'), line, character: 0 };
    return { ok: false, kind: 'yaml', error, fields };
  }
  const values = new Map<string, unknown>();
  const textFields: { field: FieldLayout; text: string | undefined; error: YamlError }[] = [];
  for (const field of fields) {
    const chunk = lines.slice(field.line, field.endLine + 1).join('\n');
    const loaded = loadYaml(chunk, field.line);
    if (loaded.ok && isSingleKey(loaded.value, field.key)) {
      values.set(field.key, (loaded.value as Record<string, unknown>)[field.key]);
      continue;
    }
    const error = loaded.ok
      ? strictError.line >= field.line && strictError.line <= field.endLine
        ? strictError
        : { reason: l10n.t('YAML reads some of its lines as keys of their own'), line: field.line, character: 0 }
      : withinField(loaded.error, field, lines);
    const first = lines[field.line].slice(field.valueStart);
    if (/^[[{|>!&]/.test(first)) {
      const stringField = field.line === field.endLine && (field.key === 'name' || field.key === 'description' || field.key === 'model' || field.key === 'color');
      return { ok: false, kind: 'yaml', error, fields, field: stringField ? field : undefined };
    }
    const text = plainText(lines, field);
    values.set(field.key, text);
    textFields.push({ field, text, error });
  }
  return { ok: true, mode: 'fields', values, fields, textFields, strictError };
}

/**
 * The plain-text value of a field: its lines trimmed and joined by newlines (so a multi-line
 * description keeps its examples' layout), quotes around a one-line value removed. Undefined
 * for an empty field, like YAML's null.
 */
function plainText(lines: readonly string[], field: FieldLayout): string | undefined {
  const parts = [lines[field.line].slice(field.valueStart).trim()];
  for (let i = field.line + 1; i <= field.endLine; i++) {
    parts.push(lines[i].trim());
  }
  const text = parts.join('\n').trim();
  if (text === '') {
    return undefined;
  }
  return unquote(text);
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'") && !quoteOpenAfter(text, "'")) {
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"') && !quoteOpenAfter(text, '"')) {
    return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return text;
}

/** An error past the field's end ("end of the stream") is placed at the end of its last line. */
function withinField(error: YamlError, field: FieldLayout, lines: readonly string[]): YamlError {
  return error.line > field.endLine ? { ...error, line: field.endLine, character: lines[field.endLine].length } : error;
}

function isSingleKey(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && Object.prototype.hasOwnProperty.call(value, key);
}

/** A column-0 `key:` (followed by a space, a tab or the end of the line). */
const KEY_LINE = /^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)/;

interface Layout {
  readonly fields: FieldLayout[];
  /** Non-blank, non-comment lines before the first field. */
  readonly orphans: number[];
  /** Column-0 `key:` lines read as description text, which strict YAML would take as keys. */
  readonly textKeyLines: { key: string; line: number }[];
}

/** Rule 2: the fields of lines `[from, to)`. */
function layoutFields(lines: readonly string[], from: number, to: number): Layout {
  const fields: FieldLayout[] = [];
  const orphans: number[] = [];
  const textKeyLines: { key: string; line: number }[] = [];
  let current: { key: string; line: number; keyEnd: number; valueStart: number; endLine: number } | undefined;
  let openQuote: '"' | "'" | undefined;
  let tagDepth = 0;

  const finish = (): void => {
    if (current) {
      fields.push(current);
    }
  };
  for (let i = from; i < to; i++) {
    const line = lines[i];
    if (current && openQuote) {
      current.endLine = i;
      openQuote = quoteOpenAfter(line, openQuote, true) ? openQuote : undefined;
      continue;
    }
    const blankOrComment = /^\s*(#.*)?$/.test(line);
    const key = blankOrComment ? null : KEY_LINE.exec(line);
    const descriptionText = key !== null && current?.key === 'description' && !KNOWN_FIELDS.has(key[1]) && isDescriptionText(key[1], tagDepth);
    if (key && descriptionText) {
      textKeyLines.push({ key: key[1], line: i });
    } else if (key) {
      finish();
      const afterColon = key[0].length;
      const valueStart = afterColon + (/^[ \t]*/.exec(line.slice(afterColon))?.[0].length ?? 0);
      current = { key: key[1], line: i, keyEnd: key[1].length, valueStart, endLine: i };
      const value = line.slice(valueStart);
      openQuote = (value.startsWith('"') || value.startsWith("'")) && quoteOpenAfter(value, value[0] as '"' | "'") ? (value[0] as '"' | "'") : undefined;
      tagDepth = Math.max(0, tagBalance(value));
      continue;
    }
    if (!current) {
      if (!blankOrComment) {
        orphans.push(i);
      }
      continue;
    }
    // Blank and comment lines join the field only when text follows them (endLine moves on
    // text lines alone): between two description lines a `# …` line is a Markdown heading.
    if (!blankOrComment) {
      current.endLine = i;
      tagDepth = Math.max(0, tagDepth + tagBalance(line));
    }
  }
  finish();
  return { fields, orphans, textKeyLines };
}

function isDescriptionText(key: string, tagDepth: number): boolean {
  return tagDepth > 0 || TRANSCRIPT_LABELS.has(key.toLowerCase()) || /^[A-Z]/.test(key);
}

/** Opening minus closing `<example>` / `<commentary>` tags on a line. */
function tagBalance(line: string): number {
  const opens = line.match(/<(example|commentary)\b[^>]*>/gi)?.length ?? 0;
  const closes = line.match(/<\/(example|commentary)\s*>/gi)?.length ?? 0;
  return opens - closes;
}

/**
 * Whether a quoted scalar is still open at the end of `text`. `text` starts with the opening
 * quote, unless `continuing` (a later line of the same scalar).
 */
function quoteOpenAfter(text: string, quote: '"' | "'", continuing = false): boolean {
  for (let i = continuing ? 0 : 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
    } else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
      } else {
        return false;
      }
    }
  }
  return true;
}

type YamlLoad = (text: string) => unknown;

/**
 * gray-matter's YAML engine: js-yaml's `safeLoad`, whose schema has no `!!js/*` types, so no
 * front matter can construct a function or run code. The extension bundle swaps gray-matter's
 * engine table for one with only this engine and JSON (esbuild.mjs); gray-matter's own
 * delimiting and language detection (which would reach its `eval` engine) are never used.
 */
const safeLoad: YamlLoad = (() => {
  const engine = (matter as unknown as { engines?: { yaml?: { parse?: unknown } } }).engines?.yaml?.parse;
  if (typeof engine !== 'function') {
    throw new Error('gray-matter no longer exposes its YAML engine (matter.engines.yaml.parse).');
  }
  return engine as YamlLoad;
})();

/** Strict YAML of `text`, whose first line is document line `firstLine`; never throws. */
export function loadYaml(text: string, firstLine: number): { ok: true; value: unknown } | { ok: false; error: YamlError } {
  try {
    return { ok: true, value: safeLoad(text) };
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } }).mark;
    const reason = (err as { reason?: unknown }).reason;
    return {
      ok: false,
      error: {
        reason: typeof reason === 'string' ? reason : err instanceof Error ? err.message.split('\n')[0] : String(err),
        line: firstLine + (mark?.line ?? 0),
        character: mark?.column ?? 0,
      },
    };
  }
}

/** The field whose lines hold `line`, if any. */
export function fieldAtLine(fields: readonly FieldLayout[], line: number): FieldLayout | undefined {
  return fields.find((field) => field.line <= line && line <= field.endLine);
}
