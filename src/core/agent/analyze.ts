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
} from './frontMatter';
import { readModel } from './models';
import type { AgentModel } from './parse';
import { editDistance } from './toolNames';
import { errorRange, keyRange, lineRange, point, valueRange, wholeLines } from './ranges';
import { checkTools } from './toolsField';
import { yamlField } from './yamlText';

/** How much a diagnostic matters; `hint` only shows in the Problems view, never as a notification. */
export type AgentSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One text replacement; ranges are 0-based like `vscode.Range`. */
export interface AgentEdit {
  readonly range: AgentRange;
  readonly newText: string;
}

/** A quick fix: applying all its edits solves the diagnostic. */
export interface AgentFix {
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
