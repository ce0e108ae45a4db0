/**
 * The code sent with a question, and how it is cut to a size limit. Pure.
 */
import type { CodeReference } from '../../shared/protocol';

/** Code taken from an editor, with where it came from. */
export interface CodeContext {
  readonly code: string;
  readonly reference: CodeReference;
  /** Lines in the original selection or file, to say how much was cut. */
  readonly totalLines: number;
}

/** What the editor gave us, before bounding. */
export interface RawCode {
  readonly text: string;
  readonly path: string;
  readonly languageId: string;
  /** 1-based line of the first character of `text`. */
  readonly startLine: number;
  readonly kind: CodeReference['kind'];
}

/**
 * Bounds code to `maxChars`, cutting at a line boundary so no line is half sent.
 * The reference records the lines actually sent and whether anything was cut.
 */
export function boundCode(raw: RawCode, maxChars: number): CodeContext {
  const lines = raw.text.split(/\r?\n/);
  // A selection ending at the start of a line has an empty last line; it is not a line of code.
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  const totalLines = lines.length;
  let code = lines.join('\n');
  let sentLines = totalLines;
  let truncated = false;
  if (code.length > maxChars) {
    truncated = true;
    let size = 0;
    sentLines = 0;
    for (const line of lines) {
      if (size + line.length + 1 > maxChars) {
        break;
      }
      size += line.length + 1;
      sentLines++;
    }
    if (sentLines === 0) {
      // A single enormous line (minified code): cut inside it rather than send nothing.
      code = lines[0].slice(0, maxChars);
      sentLines = 1;
    } else {
      code = lines.slice(0, sentLines).join('\n');
    }
  }
  return {
    code,
    totalLines,
    reference: {
      path: raw.path,
      languageId: raw.languageId,
      startLine: raw.startLine,
      endLine: raw.startLine + Math.max(sentLines, 1) - 1,
      kind: raw.kind,
      truncated,
    },
  };
}

/**
 * `context` cut further to `maxChars`, at a line boundary as `boundCode` cuts, still counting
 * the lines of the original selection or file (so the note can say "the first 40 of 900
 * lines"). Unchanged when it already fits; undefined when nothing of it may be sent.
 */
export function shrinkContext(context: CodeContext, maxChars: number): CodeContext | undefined {
  if (maxChars <= 0) {
    return undefined;
  }
  if (context.code.length <= maxChars) {
    return context;
  }
  const { reference } = context;
  const cut = boundCode(
    { text: context.code, path: reference.path, languageId: reference.languageId, startLine: reference.startLine, kind: reference.kind },
    maxChars,
  );
  return { ...cut, totalLines: context.totalLines, reference: { ...cut.reference, truncated: true } };
}

/** A fence longer than any run of backticks inside the code, so the code cannot close it. */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const match of code.matchAll(/`+/g)) {
    longest = Math.max(longest, match[0].length);
  }
  return '`'.repeat(Math.max(3, longest + 1));
}

/** "src/app.ts, lines 3–9" */
export function describeReference(reference: CodeReference): string {
  const lines =
    reference.startLine === reference.endLine
      ? `line ${reference.startLine}`
      : `lines ${reference.startLine}–${reference.endLine}`;
  return `${reference.path}, ${lines}`;
}
