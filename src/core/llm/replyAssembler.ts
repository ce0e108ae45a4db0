/**
 * One streamed reply rebuilt into the content blocks Claude wrote (text, tool calls with their
 * assembled JSON input, citations, server tool blocks), and the text the user was shown across
 * a tool turn. Used by the tool loop (`toolLoop.ts`), which sends the blocks back as the
 * assistant message. Pure: no `vscode`.
 */
import type { ContentBlockParam, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ServerToolEvent } from './toolLoop';

/**
 * The text the user was shown across the turn. A text block after a tool block or a new
 * request starts a paragraph of its own; text blocks that follow each other (the API splits
 * an answer with citations into several) run on.
 */
export class ShownText {
  text = '';
  private apart = false;

  constructor(private readonly onText: (text: string) => void) {}

  /** Something other than text came (a tool block, a new request). */
  boundary(): void {
    this.apart = true;
  }

  append(delta: string): void {
    if (delta === '') {
      return;
    }
    let out = delta;
    if (this.apart && this.text.trim() !== '' && !this.text.endsWith('\n\n')) {
      out = `${this.text.endsWith('\n') ? '\n' : '\n\n'}${delta}`;
    }
    this.apart = false;
    this.text += out;
    this.onText(out);
  }

  /** The closing note (already with its separator). */
  end(markdown: string): void {
    this.text += markdown;
    this.onText(markdown);
  }
}

/** A block as it streams in; fields as on the wire. */
export type StreamedBlock = Record<string, unknown> & { type: string };

export interface AssembledCall {
  readonly id: string;
  readonly name: string;
  readonly valid: boolean;
  /** The parsed input when `valid`. */
  readonly input: unknown;
  /** The JSON text that arrived. */
  readonly raw: string;
}

/**
 * One reply's content blocks, rebuilt from the stream: text shown as it comes, tool inputs
 * assembled from their `input_json_delta`s, citations and server tool blocks kept as they are,
 * so the assistant message goes back exactly as Claude wrote it.
 */
export class ReplyAssembler {
  textChars = 0;
  /** Everything the model wrote in this reply (text, tool input, thinking): its output so far. */
  streamed = '';
  private readonly blocks: (StreamedBlock | undefined)[] = [];
  private readonly json = new Map<number, string>();
  private readonly calls: (AssembledCall & { index: number })[] = [];

  constructor(
    private readonly shown: ShownText,
    /** Server tool blocks, once complete. */
    private readonly onServerBlock: (block: StreamedBlock) => void,
  ) {}

  get callCount(): number {
    return this.calls.length;
  }

  accept(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case 'content_block_start': {
        const block = { ...event.content_block } as StreamedBlock;
        this.blocks[event.index] = block;
        if (block.type === 'text') {
          block.text = typeof block.text === 'string' ? block.text : '';
          this.showText(String(block.text));
          return;
        }
        this.shown.boundary();
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          this.json.set(event.index, '');
        } else if (isServerResult(block)) {
          // Result blocks arrive whole, in their start event.
          this.onServerBlock(block);
        }
        return;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        if (!block) {
          return;
        }
        const delta = event.delta;
        switch (delta.type) {
          case 'text_delta':
            block.text = `${textField(block.text)}${delta.text}`;
            this.showText(delta.text);
            return;
          case 'input_json_delta':
            this.streamed += delta.partial_json;
            if (this.json.has(event.index)) {
              this.json.set(event.index, `${this.json.get(event.index) ?? ''}${delta.partial_json}`);
            }
            return;
          case 'citations_delta':
            block.citations = [...(Array.isArray(block.citations) ? (block.citations as unknown[]) : []), delta.citation];
            return;
          case 'thinking_delta':
            this.streamed += delta.thinking;
            block.thinking = `${textField(block.thinking)}${delta.thinking}`;
            return;
          case 'signature_delta':
            block.signature = delta.signature;
            return;
          default:
            return;
        }
      }
      case 'content_block_stop':
        this.finish(event.index);
        return;
      default:
        return;
    }
  }

  private showText(text: string): void {
    this.textChars += text.length;
    this.streamed += text;
    this.shown.append(text);
  }

  /** A tool block is complete: its input parsed (a call with bad JSON is kept, marked invalid). */
  private finish(index: number): void {
    const block = this.blocks[index];
    const raw = this.json.get(index);
    if (!block || raw === undefined) {
      return;
    }
    this.json.delete(index);
    const input = parseInput(raw, block.input);
    block.input = input ?? {};
    if (block.type === 'tool_use') {
      this.calls.push({ index, id: String(block.id), name: String(block.name), valid: input !== undefined, input: block.input, raw });
    } else {
      this.onServerBlock(block);
    }
  }

  /** Client calls of the reply, in order; a call the stream cut off counts as invalid. */
  toolCalls(): AssembledCall[] {
    for (const index of [...this.json.keys()]) {
      const block = this.blocks[index];
      if (block?.type === 'tool_use') {
        this.calls.push({ index, id: String(block.id), name: String(block.name), valid: false, input: {}, raw: this.json.get(index) ?? '' });
        block.input = {};
      }
      this.json.delete(index);
    }
    return [...this.calls].sort((a, b) => a.index - b.index);
  }

  /** The tool whose call the reply ended in (cut by `max_tokens`), if it ended in one. */
  lastToolName(): string | undefined {
    const last = this.blocks[this.blocks.length - 1];
    return last?.type === 'tool_use' || last?.type === 'server_tool_use' ? String(last.name) : undefined;
  }

  /** The assistant message's content, as it goes back: empty text blocks dropped (the API rejects them). */
  content(): ContentBlockParam[] {
    this.toolCalls();
    return this.blocks
      .filter((b): b is StreamedBlock => b !== undefined && !(b.type === 'text' && textField(b.text).trim() === ''))
      .map((b) => b as unknown as ContentBlockParam);
  }
}

function textField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The input object of a call; undefined when the JSON is cut, invalid or not an object. */
function parseInput(raw: string, startInput: unknown): object | undefined {
  let value: unknown = startInput;
  if (raw.trim() !== '') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (value === undefined || value === null) {
    return {};
  }
  return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function isServerResult(block: { type: string }): block is { type: string; tool_use_id: string } & Record<string, unknown> {
  return block.type === 'web_search_tool_result' || block.type === 'web_fetch_tool_result';
}

/** A web search or fetch result block as an event, or undefined for other server tools. */
export function serverToolEvent(id: string, callInput: unknown, block: StreamedBlock): ServerToolEvent | undefined {
  const input = (callInput ?? {}) as { query?: unknown; url?: unknown };
  const content = block.content as Record<string, unknown> | Record<string, unknown>[] | undefined;
  const error = !Array.isArray(content) && typeof content?.error_code === 'string' ? content.error_code : undefined;
  if (block.type === 'web_search_tool_result') {
    const results = Array.isArray(content)
      ? content.filter((r) => typeof r.url === 'string').map((r) => ({ url: String(r.url), ...(typeof r.title === 'string' ? { title: r.title } : {}) }))
      : [];
    return { kind: 'search', id, ...(typeof input.query === 'string' ? { query: input.query } : {}), results, ...(error ? { error } : {}) };
  }
  if (block.type === 'web_fetch_tool_result') {
    const page = !Array.isArray(content) && content?.type === 'web_fetch_result' ? content : undefined;
    const url = typeof input.url === 'string' ? input.url : typeof page?.url === 'string' ? page.url : undefined;
    const title = (page?.content as { title?: unknown } | undefined)?.title;
    const results = page && typeof page.url === 'string' ? [{ url: page.url, ...(typeof title === 'string' ? { title } : {}) }] : [];
    return { kind: 'fetch', id, ...(url ? { url } : {}), results, ...(error ? { error } : {}) };
  }
  return undefined;
}
