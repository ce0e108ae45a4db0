/**
 * Completions and hovers inside an agent file's front matter, as plain data the VS Code side
 * turns into `CompletionItem`s and `Hover`s. Positions are 0-based like `vscode.Position`. Pure.
 */
import * as l10n from '@vscode/l10n';
import { AGENT_COLORS } from './analyze';
import { toolItems } from './toolsField';
import { FRONT_MATTER_FIELDS, TOOL_NOTES } from './fields';
import { AGENT_FIELDS, fieldAtLine, readFrontMatter, splitAgentDocument, type AgentRange, type FieldLayout } from './frontMatter';
import { MODEL_CHOICES } from './models';
import { CLAUDE_CODE_TOOLS, TOOLS_RUN_HERE } from './toolNames';

/** One completion: `insertText` replaces `range` (the word being typed). */
export interface AgentCompletion {
  readonly label: string;
  readonly kind: 'field' | 'tool' | 'model' | 'color';
  readonly detail: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  readonly range: AgentRange;
  /** Orders the list: what runs here before what does not. */
  readonly sortText: string;
}

/** A hover: Markdown over a range. */
export interface AgentHover {
  readonly markdown: string;
  readonly range: AgentRange;
}

/**
 * What to offer at a position: the missing keys at the start of a front-matter line, tool
 * names in `tools`, model aliases after `model:`, colors after `color:`. Empty elsewhere.
 */
export function completionsAt(text: string, line: number, character: number): AgentCompletion[] {
  const context = frontMatterContext(text, line);
  if (!context) {
    return [];
  }
  const { lines, fields } = context;
  const lineText = lines[line];
  const before = lineText.slice(0, character);
  const wordStart = character - (/[\w-]*$/.exec(before)?.[0].length ?? 0);
  const wordEnd = character + (/^[\w-]*/.exec(lineText.slice(character))?.[0].length ?? 0);
  const word: AgentRange = { startLine: line, startCharacter: wordStart, endLine: line, endCharacter: wordEnd };

  if (/^[A-Za-z_-]*$/.test(before) && lineText.slice(wordEnd).trim() === '') {
    const present = new Set(fields.filter((f) => f.line !== line).map((f) => f.key));
    return AGENT_FIELDS.filter((key) => !present.has(key)).map((key, index) => ({
      label: key,
      kind: 'field',
      detail: FRONT_MATTER_FIELDS[key].summary,
      documentation: FRONT_MATTER_FIELDS[key].hover,
      insertText: `${key}: `,
      range: word,
      sortText: String(index),
    }));
  }

  const field = fieldAtLine(fields, line) ?? lastFieldBefore(fields, line);
  if (!field || (field.line === line && character <= field.keyEnd)) {
    return [];
  }
  const space = before.endsWith(':') ? ' ' : '';
  if (field.key === 'tools') {
    // On an empty line under `tools:`, the item of a block list.
    const lead = before.trim() === '' ? '- ' : space;
    const listed = new Set(toolItems(lines, field).map((item) => item.name).filter((name) => name !== lineText.slice(wordStart, wordEnd)));
    const offered = [...TOOLS_RUN_HERE, ...CLAUDE_CODE_TOOLS.filter((tool) => !TOOLS_RUN_HERE.includes(tool))];
    return offered
      .filter((tool) => !listed.has(tool))
      .map((tool) => {
        const here = TOOLS_RUN_HERE.includes(tool);
        return {
          label: tool,
          kind: 'tool' as const,
          detail: here ? TOOL_NOTES[tool] : l10n.t('Claude Code only: not available here'),
          insertText: `${lead}${tool}`,
          range: word,
          sortText: `${here ? 0 : 1}${tool}`,
        };
      });
  }
  if (field.line !== line) {
    return [];
  }
  const value: AgentRange = { startLine: line, startCharacter: Math.min(field.valueStart, character), endLine: line, endCharacter: lineText.length };
  if (field.key === 'model') {
    return MODEL_CHOICES.map((choice, index) => ({
      label: choice.value,
      kind: 'model' as const,
      detail: choice.detail,
      insertText: `${space}${choice.value}`,
      range: value,
      sortText: String(index),
    }));
  }
  if (field.key === 'color') {
    return AGENT_COLORS.map((color, index) => ({
      label: color,
      kind: 'color' as const,
      detail: l10n.t('accent of the panel and status bar item'),
      insertText: `${space}${color}`,
      range: value,
      sortText: String(index),
    }));
  }
  return [];
}

/** The hover at a position: a field's meaning over its key, or what a listed tool does here. */
export function hoverAt(text: string, line: number, character: number): AgentHover | undefined {
  const context = frontMatterContext(text, line);
  if (!context) {
    return undefined;
  }
  const field = fieldAtLine(context.fields, line);
  if (!field) {
    return undefined;
  }
  if (field.line === line && character <= field.keyEnd) {
    const key = AGENT_FIELDS.find((known) => known === field.key);
    return key ? { markdown: FRONT_MATTER_FIELDS[key].hover, range: { startLine: line, startCharacter: 0, endLine: line, endCharacter: field.keyEnd } } : undefined;
  }
  if (field.key === 'tools') {
    const item = toolItems(context.lines, field).find((i) => contains(i.range, line, character));
    if (!item) {
      return undefined;
    }
    const base = item.name.replace(/\(.*\)$/s, '');
    const markdown = TOOLS_RUN_HERE.includes(base)
      ? `**${base}**: ${TOOL_NOTES[base]}.`
      : CLAUDE_CODE_TOOLS.includes(base)
        ? l10n.t('**{0}** is a Claude Code tool; this extension does not run it.', base)
        : l10n.t('**{0}** is not a Claude Code tool.', base);
    return { markdown, range: item.range };
  }
  return undefined;
}

/** The document's lines and fields when `line` is inside its front matter (between the `---` lines). */
function frontMatterContext(text: string, line: number): { lines: readonly string[]; fields: readonly FieldLayout[] } | undefined {
  const doc = splitAgentDocument(text);
  if (!doc || line <= 0 || line >= (doc.closeLine ?? doc.lines.length)) {
    return undefined;
  }
  return { lines: doc.lines, fields: readFrontMatter(doc).fields };
}

/** A blank line right after a field (a block list being typed) belongs to it. */
function lastFieldBefore(fields: readonly FieldLayout[], line: number): FieldLayout | undefined {
  return [...fields].reverse().find((field) => field.line < line);
}

function contains(range: AgentRange, line: number, character: number): boolean {
  return range.startLine === line && range.startCharacter <= character && character <= range.endCharacter;
}
