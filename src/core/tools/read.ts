/**
 * Read: a text file's lines, numbered like `cat -n`, streamed so a huge file costs only the
 * lines shown (and a newline count).
 */
import { promises as fs } from 'node:fs';
import * as l10n from '@vscode/l10n';
import { InputReader } from './input';
import { type Workspace } from './paths';
import { decodeUtf8, plainText, plural } from './text';
import { type ToolOutcome } from './types';

/** Lines shown when the model gives no `limit`. */
export const READ_DEFAULT_LIMIT = 2000;
/** Characters kept of one line. */
export const READ_MAX_LINE_CHARS = 2000;
/** Characters of numbered output at most; the rest is left for the next call. */
export const READ_MAX_OUTPUT_CHARS = 100_000;
/** Past the lines shown, lines are counted up to this many bytes (beyond, "more lines follow"). */
const COUNT_LIMIT_BYTES = 64 * 1024 * 1024;
/** UTF-16 files are decoded whole, so only up to this size. */
const UTF16_LIMIT_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const SNIFF_BYTES = 8 * 1024;

/** Runs Read. Bad input throws `BadInput` (runTool's to report); refusals are error outcomes. */
export async function runRead(input: unknown, workspace: Workspace, signal: AbortSignal): Promise<ToolOutcome> {
  const reader = new InputReader('Read', input);
  const filePath = reader.requiredString('file_path', 'the path of the file to read');
  const offset = reader.optionalInteger('offset', { min: 0, what: 'a line number (1 is the first line)' }) ?? 1;
  const limit = reader.optionalInteger('limit', { min: 1, what: 'a number of lines' }) ?? READ_DEFAULT_LIMIT;
  const first = Math.max(1, offset);

  const resolved = await workspace.resolve(filePath, 'Read');
  if (!resolved.ok) {
    return refusal(resolved.message);
  }
  const file = resolved.path;
  const refuse = (message: string): ToolOutcome => ({ ...refusal(message), files: [{ path: file.fsPath, use: 'read' }] });
  if (!file.exists) {
    return refusal(`${file.display} does not exist; Glob or LS can find the right path.`);
  }
  const stat = await fs.stat(file.real);
  if (stat.isDirectory()) {
    return refuse(`${file.display} is a directory; use LS to list it.`);
  }
  if (!stat.isFile()) {
    return refuse(`${file.display} is not a regular file (a device, socket or pipe), so Read does not open it.`);
  }
  if (/\.ipynb$/i.test(file.rel)) {
    return refuse(`${file.display} is a Jupyter notebook, which Read does not open here; Grep can search it as text.`);
  }
  if (stat.size === 0) {
    return { content: `${file.display} is empty.`, isError: false, summary: l10n.t('Read {0} · empty', file.display), files: [{ path: file.fsPath, use: 'read' }] };
  }

  const handle = await fs.open(file.real, 'r');
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sniff = head.subarray(0, bytesRead);
    const utf16 = utf16Encoding(sniff);
    let source: ByteSource;
    if (utf16) {
      if (stat.size > UTF16_LIMIT_BYTES) {
        return refuse(`${file.display} is a UTF-16 file over 16 MB, which Read does not open.`);
      }
      const text = new TextDecoder(utf16).decode(await handle.readFile());
      source = bufferSource(Buffer.from(text, 'utf8'));
    } else {
      const binary = binaryReason(sniff);
      if (binary) {
        return refuse(`${file.display} looks like a binary file (${binary}); Read only shows text.`);
      }
      source = fileSource(handle);
    }
    const window = await readWindow(source, first, limit, stat.size, signal);
    return describeWindow(file.display, file.fsPath, first, window);
  } finally {
    await handle.close();
  }
}

function refusal(message: string): ToolOutcome {
  return { content: message, isError: true, summary: `Read · ${message}`, files: [] };
}

/** 'utf-16le' / 'utf-16be' when the bytes start with that BOM. */
function utf16Encoding(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return 'utf-16le';
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return 'utf-16be';
  }
  return undefined;
}

/** Why the first bytes look binary: a NUL byte, or too many control bytes or invalid UTF-8 sequences. */
function binaryReason(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) {
    return 'it has NUL bytes';
  }
  let controls = 0;
  for (const byte of bytes) {
    // Controls other than \t \n \v \f \r and ESC (colored logs are text).
    if (byte < 0x20 && !(byte >= 0x09 && byte <= 0x0d) && byte !== 0x1b) {
      controls++;
    }
  }
  // A multi-byte character cut at the end of the sniff is not invalid: leave the last 3 bytes out.
  const decoded = decodeUtf8(bytes.length > 3 ? bytes.subarray(0, bytes.length - 3) : bytes);
  const invalid = decoded.split('\uFFFD').length - 1;
  return (controls + invalid) / bytes.length > 0.1 ? 'it has many control bytes or invalid characters' : undefined;
}

interface ByteSource {
  /** The next chunk, or undefined at the end. */
  next(): Promise<Buffer | undefined>;
}

function fileSource(handle: fs.FileHandle): ByteSource {
  let position = 0;
  const buffer = Buffer.alloc(CHUNK_BYTES);
  return {
    async next() {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      position += bytesRead;
      return bytesRead === 0 ? undefined : buffer.subarray(0, bytesRead);
    },
  };
}

function bufferSource(bytes: Buffer): ByteSource {
  let done = false;
  return {
    next() {
      const chunk = done ? undefined : bytes;
      done = true;
      return Promise.resolve(chunk);
    },
  };
}

interface Window {
  /** Numbered lines, already formatted. */
  lines: string[];
  /** Line number of the last line shown (first - 1 when none). */
  last: number;
  /** Lines in the file, or undefined when counting stopped at the byte limit. */
  total: number | undefined;
  /** Lines counted: the total, or how far counting got. */
  counted: number;
  /** How many shown lines were cut at READ_MAX_LINE_CHARS. */
  cutLines: number;
}

/** Lines `first`…`first + limit - 1` (within the output budget), and the file's line count. */
async function readWindow(source: ByteSource, first: number, limit: number, size: number, signal: AbortSignal): Promise<Window> {
  const lines: string[] = [];
  let outputChars = 0;
  let cutLines = 0;
  let lineNo = 1;
  let collecting = first === 1;
  let windowOpen = true;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lineBytes = 0;
  let bytesSeen = 0;
  // Bytes enough for READ_MAX_LINE_CHARS characters of any width, and one more to know it was longer.
  const maxLineBytes = READ_MAX_LINE_CHARS * 4 + 4;

  const finishLine = (): void => {
    if (collecting) {
      const { text, cut } = lineText(Buffer.concat(parts, partBytes), partBytes < lineBytes);
      const formatted = `${String(lineNo).padStart(6)}\t${text}`;
      if (lines.length > 0 && outputChars + formatted.length + 1 > READ_MAX_OUTPUT_CHARS) {
        windowOpen = false;
      } else {
        lines.push(formatted);
        outputChars += formatted.length + 1;
        cutLines += cut ? 1 : 0;
        if (lines.length >= limit) {
          windowOpen = false;
        }
      }
    }
    lineNo++;
    collecting = windowOpen && lineNo >= first;
    parts = [];
    partBytes = 0;
    lineBytes = 0;
  };

  for (let chunk = await source.next(); chunk; chunk = await source.next()) {
    signal.throwIfAborted();
    bytesSeen += chunk.length;
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      if (collecting && partBytes < maxLineBytes && end > start) {
        const piece = chunk.subarray(start, Math.min(end, start + maxLineBytes - partBytes));
        // Copy: the file source reuses its buffer for the next chunk.
        parts.push(Buffer.from(piece));
        partBytes += piece.length;
      }
      lineBytes += end - start;
      if (newline === -1) {
        break;
      }
      finishLine();
      start = newline + 1;
    }
    if (!windowOpen && bytesSeen > COUNT_LIMIT_BYTES && bytesSeen < size) {
      return { lines, last: first + lines.length - 1, total: undefined, counted: lineNo - 1, cutLines };
    }
  }
  if (lineBytes > 0) {
    finishLine();
  }
  return { lines, last: first + lines.length - 1, total: lineNo - 1, counted: lineNo - 1, cutLines };
}

/** One line's text: decoded, \r and other controls removed, cut at READ_MAX_LINE_CHARS. */
function lineText(bytes: Buffer, bytesDropped: boolean): { text: string; cut: boolean } {
  const text = plainText(decodeUtf8(bytes).replace(/\r/g, ''));
  if (text.length > READ_MAX_LINE_CHARS || bytesDropped) {
    return { text: `${text.slice(0, READ_MAX_LINE_CHARS)} … (line cut at ${READ_MAX_LINE_CHARS} characters)`, cut: true };
  }
  return { text, cut: false };
}

/** The step's title for the lines shown: "Read src/app.ts · 46 lines", "Read src/app.ts · lines 1–30 of 46". */
function readSummary(display: string, first: number, last: number, total: number | undefined, counted: number): string {
  if (total === undefined) {
    return l10n.t('Read {0} · lines {1}–{2} of more than {3}', display, first, last, counted.toLocaleString('en-US'));
  }
  if (first === 1 && last === total) {
    return total === 1 ? l10n.t('Read {0} · 1 line', display) : l10n.t('Read {0} · {1} lines', display, total.toLocaleString('en-US'));
  }
  return l10n.t('Read {0} · lines {1}–{2} of {3}', display, first, last, total.toLocaleString('en-US'));
}

function describeWindow(display: string, fsPath: string, first: number, window: Window): ToolOutcome {
  const { lines, last, total, counted, cutLines } = window;
  if (lines.length === 0) {
    return {
      content: `${display} has ${plural(counted, 'line')}, so offset ${first} is past its end.`,
      isError: true,
      summary: l10n.t('Read {0} · offset {1} past the end', display, first),
      files: [{ path: fsPath, use: 'read' }],
    };
  }
  const notes: string[] = [];
  if (cutLines > 0) {
    notes.push(`(${plural(cutLines, 'line')} longer than ${READ_MAX_LINE_CHARS} characters ${cutLines === 1 ? 'is' : 'are'} cut.)`);
  }
  if (total === undefined) {
    notes.push(`(More lines follow line ${last}; call Read with offset ${last + 1} to read on.)`);
  } else if (last < total) {
    notes.push(`(${plural(total - last, 'more line')} after line ${last} of ${total}; call Read with offset ${last + 1} to read on.)`);
  }
  return {
    content: notes.length === 0 ? lines.join('\n') : `${lines.join('\n')}\n\n${notes.join('\n')}`,
    isError: false,
    summary: readSummary(display, first, last, total, counted),
    files: [{ path: fsPath, startLine: first, endLine: last, use: 'read' }],
  };
}
