/**
 * Parses a Claude Code agent file (YAML front matter + Markdown body) into a typed agent
 * and a list of problems. Pure: no `vscode`, no file system, never throws for bad input.
 */
import matter from 'gray-matter';

/** What the agent's `model` field asked for. */
export type AgentModel =
  | { readonly kind: 'alias'; readonly alias: ModelAlias }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'inherit' };

export type ModelAlias = 'sonnet' | 'opus' | 'haiku';

/** A parsed agent. `body` is the system prompt, sent as the API's `system` parameter. */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  readonly tools: readonly string[];
  /** Undefined when the file names no model (the default model is used). */
  readonly model?: AgentModel;
  readonly color?: string;
  readonly body: string;
  /** Where the file came from, for messages. */
  readonly source: string;
}

/** One thing wrong with an agent file; `error` problems mean no agent was produced. */
export interface AgentProblem {
  readonly severity: 'error' | 'warning';
  /** The front-matter key at fault, when there is one. */
  readonly field?: string;
  /** A sentence naming the file (and the field) and what is wrong. */
  readonly message: string;
}

export interface AgentParseResult {
  readonly agent?: AgentDefinition;
  readonly problems: readonly AgentProblem[];
}

/** Larger agent files are refused: a system prompt this long is a mistake, not a persona. */
export const MAX_AGENT_FILE_CHARS = 256 * 1024;

const ALIASES: ReadonlySet<string> = new Set<ModelAlias>(['sonnet', 'opus', 'haiku']);
const KNOWN_FIELDS: ReadonlySet<string> = new Set(['name', 'description', 'tools', 'model', 'color']);

/**
 * gray-matter evaluates `---js` / `---javascript` front matter with `eval`. Every engine but
 * YAML is replaced by one that refuses, so no agent file can ever run code.
 */
function refuse(language: string): { parse: () => never } {
  return {
    parse: () => {
      throw new FrontMatterLanguageError(language);
    },
  };
}

class FrontMatterLanguageError extends Error {
  constructor(readonly language: string) {
    super(`front matter language "${language}" is not allowed`);
  }
}

const SAFE_OPTIONS = {
  language: 'yaml',
  engines: {
    js: refuse('js'),
    javascript: refuse('javascript'),
    coffee: refuse('coffee'),
    coffeescript: refuse('coffeescript'),
    cson: refuse('cson'),
    json: refuse('json'),
    toml: refuse('toml'),
  },
} as const;

/** Parses the text of an agent file. `source` names the file in every problem. */
export function parseAgentFile(text: string, source: string): AgentParseResult {
  const problems: AgentProblem[] = [];
  const error = (message: string, field?: string): AgentParseResult => ({
    problems: [...problems, { severity: 'error', field, message: `${source}: ${message}` }],
  });
  const warn = (message: string, field?: string): void => {
    problems.push({ severity: 'warning', field, message: `${source}: ${message}` });
  };

  if (text.includes('\u0000')) {
    return error('this is a binary file, not a Markdown agent file.');
  }
  if (text.length > MAX_AGENT_FILE_CHARS) {
    return error(`the file is ${Math.round(text.length / 1024)} KB; agent files may be at most ${MAX_AGENT_FILE_CHARS / 1024} KB.`);
  }

  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const opening = /^---([^\n]*)\n/.exec(normalized);
  if (!opening) {
    return error('the file has no front matter; it must start with a line "---", the YAML keys name and description, and another "---".');
  }
  const language = opening[1].trim().toLowerCase();
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    return error(`front matter must be YAML, not "${language}"; it was not evaluated.`);
  }
  if (!/\n---[ \t]*(\n|$)/.test(normalized.slice(opening[0].length - 1))) {
    return error('the front matter is never closed; add a line "---" after the last key.');
  }

  let data: Record<string, unknown>;
  let body: string;
  try {
    const parsed = matter(normalized, SAFE_OPTIONS);
    data = parsed.data;
    body = parsed.content.trim();
  } catch (err) {
    if (err instanceof FrontMatterLanguageError) {
      return error(`front matter must be YAML, not "${err.language}"; it was not evaluated.`);
    }
    // Claude Code reads front matter leniently: a description such as
    // "Examples: <example>Context: …" is not valid YAML but is a valid agent file.
    const lenient = parseSimpleFrontMatter(normalized.slice(opening[0].length));
    if (!lenient) {
      const reason = err instanceof Error ? firstLine(err.message) : String(err);
      return error(`the front matter is not valid YAML (${reason}).`);
    }
    data = lenient.data;
    body = lenient.body.trim();
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return error('the front matter must be a set of "key: value" lines.');
  }

  const name = data.name;
  if (typeof name !== 'string' || name.trim() === '') {
    return error('the front matter has no "name"; add e.g. "name: my-architect".', 'name');
  }
  const description = data.description;
  if (typeof description !== 'string' || description.trim() === '') {
    return error('the front matter has no "description"; add a sentence saying when to use this agent.', 'description');
  }
  if (body === '') {
    return error('the file has no body after the front matter; the body is the agent\'s system prompt.');
  }

  const tools = parseTools(data.tools, warn);
  const model = parseModel(data.model, warn);
  let color: string | undefined;
  if (data.color !== undefined) {
    if (typeof data.color === 'string' && data.color.trim() !== '') {
      color = data.color.trim();
    } else {
      warn('"color" must be a word such as "green"; it is ignored.', 'color');
    }
  }
  for (const key of Object.keys(data)) {
    if (!KNOWN_FIELDS.has(key)) {
      warn(`the front-matter key "${key}" is not used by this extension.`, key);
    }
  }

  return {
    agent: { name: name.trim(), description: description.trim(), tools, model, color, body, source },
    problems,
  };
}

function parseTools(value: unknown, warn: (message: string, field: string) => void): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((tool) => tool.trim())
      .filter((tool) => tool !== '');
  }
  if (Array.isArray(value) && value.every((tool) => typeof tool === 'string')) {
    return value.map((tool: string) => tool.trim()).filter((tool) => tool !== '');
  }
  warn('"tools" must be a comma-separated string or a list of tool names; it is ignored.', 'tools');
  return [];
}

function parseModel(value: unknown, warn: (message: string, field: string) => void): AgentModel | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    warn('"model" must be sonnet, opus, haiku, inherit or a Claude model id; the default model is used.', 'model');
    return undefined;
  }
  const model = value.trim();
  const lower = model.toLowerCase();
  if (lower === 'inherit') {
    return { kind: 'inherit' };
  }
  if (ALIASES.has(lower)) {
    return { kind: 'alias', alias: lower as ModelAlias };
  }
  if (/^claude-[a-z0-9.-]+$/i.test(model)) {
    return { kind: 'id', id: model };
  }
  warn(`"model: ${model}" is not sonnet, opus, haiku, inherit or a Claude model id; the default model is used.`, 'model');
  return undefined;
}

/**
 * The reading Claude Code gives agent files whose front matter is not strict YAML: one
 * `key: value` per line, the value taken verbatim up to the end of the line (indented lines
 * continue it; `- item` lines under an empty key make a list). Returns undefined when the
 * block does not have that shape either, so the YAML error is reported instead.
 */
function parseSimpleFrontMatter(rest: string): { data: Record<string, unknown>; body: string } | undefined {
  const close = /^---[ \t]*$/m.exec(rest);
  if (!close) {
    return undefined;
  }
  const data: Record<string, unknown> = {};
  let current: string | undefined;
  for (const line of rest.slice(0, close.index).split('\n')) {
    if (line.trim() === '' || /^\s*#/.test(line)) {
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$/.exec(line);
    if (pair) {
      // A value opening a YAML structure ([, {, |, > …) was meant as YAML: keep its error.
      if (/^[[{|>&*!%@`]/.test(pair[2] ?? '')) {
        return undefined;
      }
      current = pair[1];
      data[current] = unquote((pair[2] ?? '').trim());
      continue;
    }
    const item = /^\s+-\s+(.*)$/.exec(line);
    const previous = current === undefined ? undefined : data[current];
    if (item && current !== undefined && (previous === '' || Array.isArray(previous))) {
      const items: unknown[] = Array.isArray(previous) ? previous : [];
      data[current] = [...items, unquote(item[1].trim())];
    } else if (/^\s+\S/.test(line) && current !== undefined && typeof previous === 'string') {
      data[current] = `${previous} ${line.trim()}`.trim();
    } else {
      return undefined;
    }
  }
  for (const [key, value] of Object.entries(data)) {
    if (value === '') {
      delete data[key];
    }
  }
  return { data, body: rest.slice(close.index + close[0].length) };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
