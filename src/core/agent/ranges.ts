/**
 * Where things are in an agent file, as 0-based ranges like `vscode.Range`: a line, a field's
 * key, its value, its whole lines, a YAML error's place. Pure.
 */
import type { AgentRange, FieldLayout, YamlError } from './frontMatter';

export function point(line: number, character: number): AgentRange {
  return { startLine: line, startCharacter: character, endLine: line, endCharacter: character };
}

export function lineRange(lines: readonly string[], line: number): AgentRange {
  const l = Math.max(0, Math.min(line, lines.length - 1));
  const text = lines[l];
  const start = text.length - text.trimStart().length;
  return { startLine: l, startCharacter: start, endLine: l, endCharacter: text.length };
}

export function keyRange(field: FieldLayout): AgentRange {
  return { startLine: field.line, startCharacter: 0, endLine: field.line, endCharacter: field.keyEnd };
}

export function valueRange(lines: readonly string[], field: FieldLayout): AgentRange {
  const endCharacter = lines[field.endLine].length;
  if (field.endLine === field.line && field.valueStart >= endCharacter) {
    return keyRange(field);
  }
  return { startLine: field.line, startCharacter: field.valueStart, endLine: field.endLine, endCharacter };
}

/** From the field's key to the end of its last line; with `withNewline`, through the line break. */
export function wholeLines(lines: readonly string[], field: FieldLayout, withNewline = true): AgentRange {
  return withNewline
    ? { startLine: field.line, startCharacter: 0, endLine: field.endLine + 1, endCharacter: 0 }
    : { startLine: field.line, startCharacter: 0, endLine: field.endLine, endCharacter: lines[field.endLine].length };
}

/** From the error's column to the end of its line (a one-character range at a line's end). */
export function errorRange(lines: readonly string[], error: YamlError): AgentRange {
  const line = Math.max(0, Math.min(error.line, lines.length - 1));
  const length = lines[line].length;
  const start = Math.min(error.character, length);
  return start < length
    ? { startLine: line, startCharacter: start, endLine: line, endCharacter: length }
    : { startLine: line, startCharacter: Math.max(0, start - 1), endLine: line, endCharacter: start };
}

