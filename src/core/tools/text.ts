/**
 * Text as the model and the UI receive it from a tool: UTF-8 decoded (invalid bytes become
 * U+FFFD), terminal escapes and control characters removed, long output cut in the middle.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Bytes to text; invalid UTF-8 becomes U+FFFD, a leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

// CSI (ESC [ or the 8-bit CSI), OSC up to BEL or ST, DCS/PM/APC/SOS strings, then any other
// two-character escape. Ordered so the longer forms win.
const ESCAPES =
  // eslint-disable-next-line no-control-regex
  /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?/g;
// C0 and C1 controls except \t and \n (\r is turned into \n first).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Plain text: ANSI/terminal escape sequences removed, `\r\n` and a lone `\r` (progress bars) as
 * `\n`, every other control character except `\n` and `\t` removed.
 */
export function plainText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

/** A name or path for one line of output: control characters (newlines included) become U+FFFD. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(ESCAPES, '').replace(/[\x00-\x1f\x7f-\x9f]/g, '\uFFFD');
}

/** A short quote for a summary: one line, at most `max` characters. */
export function shortQuote(text: string, max = 60): string {
  const flat = oneLine(text.replace(/\s+/g, ' ').trim());
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The marker put where `cutMiddle` removed text. */
function cutMarker(count: number): string {
  return `… ${count.toLocaleString('en-US')} characters cut …`;
}

/** Text of at most about `max` characters: the head and the tail kept, the middle replaced by a marker. */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const half = Math.floor(max / 2);
  const head = safeEnd(text, half);
  const tail = safeStart(text, text.length - half);
  return `${text.slice(0, head)}\n${cutMarker(tail - head)}\n${text.slice(tail)}`;
}

/**
 * `cutMiddle` for output that arrives in pieces and may be far larger than what is kept: holds
 * the first and the last `max / 2` characters only, and counts the rest.
 */
export class HeadTail {
  private head = '';
  private tail = '';
  private total = 0;
  private readonly half: number;

  constructor(private readonly max: number) {
    this.half = Math.floor(max / 2);
  }

  /** Adds a piece of output. */
  push(piece: string): void {
    this.total += piece.length;
    if (this.head.length < this.half) {
      const room = this.half - this.head.length;
      this.head += piece.slice(0, room);
      piece = piece.slice(room);
    }
    this.tail += piece;
    // Trim rarely (at twice the size kept) so a stream of small pieces stays linear.
    if (this.tail.length > 2 * this.max) {
      this.tail = this.tail.slice(-this.half);
    }
  }

  /** Everything pushed, or its head and tail around a marker saying how many characters were cut. */
  text(): string {
    if (this.total <= this.max) {
      return this.head + this.tail;
    }
    const start = safeStart(this.tail, this.tail.length - this.half);
    const head = this.head.slice(0, safeEnd(this.head, this.head.length));
    const tail = this.tail.slice(start);
    return `${head}\n${cutMarker(this.total - head.length - tail.length)}\n${tail}`;
  }
}

/** An end index that does not split a surrogate pair. */
function safeEnd(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

/** A start index that does not split a surrogate pair. */
function safeStart(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

/** A count with its noun, singular or plural: "1 file", "14 files". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}
