/**
 * Translation between VS Code's language-model chat messages and the Anthropic Messages API,
 * both ways. Pure: no `vscode`. The VS Code side is mirrored by plain structural types, so the
 * translation is unit-tested without an editor; `src/lm/provider.ts` turns the editor's part
 * classes into these and back.
 */
import * as l10n from '@vscode/l10n';
import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  RawMessageStreamEvent,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';

/** `LanguageModelTextPart`. */
export interface LmTextPart {
  readonly kind: 'text';
  readonly text: string;
}

/** `LanguageModelDataPart` (images, or text/JSON as bytes); not in the 1.104 stable types. */
export interface LmDataPart {
  readonly kind: 'data';
  readonly mimeType: string;
  readonly data: Uint8Array;
}

/** `LanguageModelToolCallPart`: the model asked for a tool to run. */
interface LmToolCallPart {
  readonly kind: 'toolCall';
  readonly callId: string;
  readonly name: string;
  readonly input: object;
}

/** `LanguageModelToolResultPart`: what the tool returned, for the call with `callId`. */
interface LmToolResultPart {
  readonly kind: 'toolResult';
  readonly callId: string;
  readonly content: readonly (LmTextPart | LmDataPart)[];
  readonly isError?: boolean;
}

export type LmPart = LmTextPart | LmDataPart | LmToolCallPart | LmToolResultPart;

/** What a reply is made of, in arrival order. */
export type LmResponsePart = LmTextPart | LmToolCallPart;

/**
 * `LanguageModelChatMessageRole`. VS Code 1.104 has only User and Assistant; `system` is for
 * the System role newer editors add, whose text becomes the `system` parameter.
 */
type LmRole = 'user' | 'assistant' | 'system';

export interface LmMessage {
  readonly role: LmRole;
  readonly content: readonly LmPart[];
}

/** `LanguageModelChatTool`. */
interface LmTool {
  readonly name: string;
  readonly description: string;
  /** A JSON schema for the tool's input; an object schema is assumed when absent. */
  readonly inputSchema?: object;
}

/** One request from the editor's model picker, in editor terms. */
export interface LmRequest {
  readonly model: string;
  readonly messages: readonly LmMessage[];
  readonly maxTokens: number;
  readonly tools?: readonly LmTool[];
  /** `required`: the model must call one of `tools` (`LanguageModelChatToolMode.Required`). */
  readonly toolMode?: 'auto' | 'required';
  /**
   * Prompt-cache breakpoints on the last tool, the system prompt and the end of the
   * conversation, so an agent loop re-reads its growing prefix at a fraction of the price.
   * Default true.
   */
  readonly cachePrompt?: boolean;
}

/** The media types the API accepts in an image block. */
const IMAGE_TYPES: Readonly<Record<string, Base64ImageSource['media_type']>> = {
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
};

/** Said in place of the result of a tool call that has none (the API needs one per call). */
export const MISSING_TOOL_RESULT = 'The tool was not run, so there is no result.';

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The streamed request body for `request`:
 * - system-role text goes to the `system` parameter;
 * - consecutive messages of one role are merged, empty text is dropped (the API rejects it);
 * - tool calls go in assistant turns as `tool_use`, their results in the next user turn as
 *   `tool_result` blocks placed first; a call without a result gets one saying so, a result
 *   without its call becomes text, so the API never sees an unpaired block;
 * - `tools` become `input_schema` tools, `toolMode: 'required'` becomes `tool_choice: any`.
 */
export function buildLmParams(request: LmRequest): MessageCreateParamsStreaming {
  const cache = request.cachePrompt !== false;
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn['role'], block: ContentBlockParam): void => {
    const last = turns[turns.length - 1];
    if (last?.role === role) {
      last.blocks.push(block);
    } else {
      turns.push({ role, blocks: [block] });
    }
  };

  for (const message of request.messages) {
    for (const part of message.content) {
      if (message.role === 'system') {
        const text = partText(part);
        if (text.trim() !== '') {
          system.push(text);
        }
        continue;
      }
      switch (part.kind) {
        case 'text':
          if (part.text.trim() !== '') {
            push(message.role, { type: 'text', text: part.text });
          }
          break;
        case 'data': {
          // The API takes images from the user only.
          const block = dataBlock(part, message.role === 'user');
          if (block) {
            push(message.role, block);
          }
          break;
        }
        case 'toolCall':
          push('assistant', { type: 'tool_use', id: part.callId, name: part.name, input: part.input });
          break;
        case 'toolResult':
          push('user', toolResultBlock(part));
          break;
      }
    }
  }

  pairToolResults(turns);
  const messages: MessageParam[] = turns.map((turn) => ({ role: turn.role, content: turn.blocks }));
  if (cache) {
    markLastUserBlock(messages);
  }

  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens,
    messages,
    stream: true,
  };
  const systemText = system.join('\n\n');
  if (systemText !== '') {
    params.system = [{ type: 'text', text: systemText, ...(cache ? { cache_control: EPHEMERAL } : {}) }];
  }
  const tools = (request.tools ?? []).map(toAnthropicTool);
  if (tools.length > 0) {
    if (cache) {
      tools[tools.length - 1] = { ...tools[tools.length - 1], cache_control: EPHEMERAL };
    }
    params.tools = tools;
    if (request.toolMode === 'required') {
      params.tool_choice = { type: 'any' };
    }
  }
  return params;
}

interface Turn {
  readonly role: 'user' | 'assistant';
  readonly blocks: ContentBlockParam[];
}

function toAnthropicTool(tool: LmTool): Tool {
  const schema = (tool.inputSchema ?? {}) as Record<string, unknown>;
  return {
    name: tool.name,
    ...(tool.description.trim() !== '' ? { description: tool.description } : {}),
    // The API wants an object schema; tools without one take no input.
    input_schema: { ...schema, type: 'object' },
  };
}

function toolResultBlock(part: LmToolResultPart): ToolResultBlockParam {
  const content: (TextBlockParam | ImageBlockParam)[] = [];
  for (const item of part.content) {
    if (item.kind === 'text') {
      if (item.text.trim() !== '') {
        content.push({ type: 'text', text: item.text });
      }
    } else {
      const block = dataBlock(item, true);
      if (block) {
        content.push(block);
      }
    }
  }
  return {
    type: 'tool_result',
    tool_use_id: part.callId,
    ...(content.length > 0 ? { content } : {}),
    ...(part.isError ? { is_error: true } : {}),
  };
}

/** An image block, or a text block for textual data; undefined for anything else. */
function dataBlock(part: LmDataPart, imagesAllowed: boolean): TextBlockParam | ImageBlockParam | undefined {
  const media = imageType(part.mimeType);
  if (media !== undefined) {
    return imagesAllowed
      ? { type: 'image', source: { type: 'base64', media_type: media, data: Buffer.from(part.data.buffer, part.data.byteOffset, part.data.byteLength).toString('base64') } }
      : undefined;
  }
  if (isTextType(part.mimeType)) {
    const text = new TextDecoder().decode(part.data);
    return text.trim() !== '' ? { type: 'text', text } : undefined;
  }
  // Editor-internal markers (e.g. a `cache_control` data part) and unknown binaries.
  return undefined;
}

function imageType(mimeType: string): Base64ImageSource['media_type'] | undefined {
  return IMAGE_TYPES[mimeType.split(';')[0].trim().toLowerCase()];
}

function isTextType(mimeType: string): boolean {
  const type = mimeType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json');
}

/**
 * Makes every `tool_use` answered by a `tool_result` in the very next user turn, results first
 * in that turn, as the API requires; turns a result without its call into plain text.
 */
function pairToolResults(turns: Turn[]): void {
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn.role === 'user') {
      const previous = turns[i - 1];
      const callIds = new Set(previous ? toolUseIds(previous) : []);
      orderUserTurn(turn, callIds);
      continue;
    }
    const ids = toolUseIds(turn);
    if (ids.length === 0) {
      continue;
    }
    let next = turns[i + 1];
    if (next?.role !== 'user') {
      next = { role: 'user', blocks: [] };
      turns.splice(i + 1, 0, next);
    }
    const answered = new Set(
      next.blocks.filter((b): b is ToolResultBlockParam => b.type === 'tool_result').map((b) => b.tool_use_id),
    );
    for (const id of ids) {
      if (!answered.has(id)) {
        next.blocks.push({ type: 'tool_result', tool_use_id: id, content: MISSING_TOOL_RESULT, is_error: true });
      }
    }
  }
}

function toolUseIds(turn: Turn): string[] {
  return turn.role === 'assistant' ? turn.blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])) : [];
}

/** Results for `callIds` first (in their original order), then everything else. */
function orderUserTurn(turn: Turn, callIds: ReadonlySet<string>): void {
  const results: ContentBlockParam[] = [];
  const rest: ContentBlockParam[] = [];
  for (const block of turn.blocks) {
    if (block.type !== 'tool_result') {
      rest.push(block);
    } else if (callIds.has(block.tool_use_id)) {
      results.push(block);
    } else {
      rest.push(...orphanResultAsText(block));
    }
  }
  turn.blocks.splice(0, turn.blocks.length, ...results, ...rest);
}

function orphanResultAsText(block: ToolResultBlockParam): ContentBlockParam[] {
  const content = typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : (block.content ?? []);
  const texts = content.flatMap((c) => (c.type === 'text' ? [c.text] : []));
  const images = content.filter((c): c is ImageBlockParam => c.type === 'image');
  const body = texts.join('\n').trim();
  return [{ type: 'text', text: `Result of tool call ${block.tool_use_id}:\n${body === '' ? '(empty)' : body}` }, ...images];
}

/** A cache breakpoint at the end of the conversation when it ends with the user's turn. */
function markLastUserBlock(messages: MessageParam[]): void {
  const last = messages[messages.length - 1];
  if (last?.role !== 'user' || typeof last.content === 'string' || last.content.length === 0) {
    return;
  }
  const blocks = last.content;
  const block = blocks[blocks.length - 1];
  if (block.type === 'text' || block.type === 'image' || block.type === 'tool_result') {
    blocks[blocks.length - 1] = { ...block, cache_control: EPHEMERAL };
  }
}

/** The text of a part, as a system prompt or a token count sees it. */
export function partText(part: LmPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'data':
      return isTextType(part.mimeType) ? new TextDecoder().decode(part.data) : '';
    case 'toolCall':
      return `${part.name} ${JSON.stringify(part.input)}`;
    case 'toolResult':
      return part.content.map(partText).join('\n');
  }
}

/** Images in a message, tool results included (each costs tokens a text count cannot see). */
export function imageCount(message: LmMessage): number {
  let count = 0;
  for (const part of message.content) {
    const items = part.kind === 'toolResult' ? part.content : [part];
    count += items.filter((p) => p.kind === 'data' && imageType(p.mimeType) !== undefined).length;
  }
  return count;
}

/** Thrown when a tool call's input did not arrive as a complete JSON object. */
export class IncompleteToolCallError extends Error {
  constructor(
    readonly toolName: string,
    /** The answer reached `max_tokens` in the middle of the call. */
    readonly cutByTokenLimit: boolean,
  ) {
    super(
      cutByTokenLimit
        ? l10n.t('The answer reached its length limit in the middle of a call to the tool “{0}”; try again or ask for a smaller step.', toolName)
        : l10n.t('Claude\'s call to the tool “{0}” arrived with input that is not valid JSON; try again.', toolName),
    );
    this.name = 'IncompleteToolCallError';
  }
}

interface PendingToolCall {
  readonly id: string;
  readonly name: string;
  readonly startInput: unknown;
  json: string;
}

/**
 * Turns the API's stream events back into editor parts: each text delta at once, each
 * `tool_use` block as one complete tool call once its `input_json_delta`s are all in.
 * Feed every event to `accept` and report what it returns, in order.
 */
export class LmReplyAssembler {
  private readonly pending = new Map<number, PendingToolCall>();
  private malformed: string | undefined;
  private calls = 0;

  /** Tool calls emitted so far. */
  get toolCalls(): number {
    return this.calls;
  }

  /** @throws IncompleteToolCallError once the stop reason is known, for a call that was cut. */
  accept(event: RawMessageStreamEvent): LmResponsePart[] {
    switch (event.type) {
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          const { id, name, input } = event.content_block;
          this.pending.set(event.index, { id, name, startInput: input, json: '' });
        }
        return [];
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          return event.delta.text !== '' ? [{ kind: 'text', text: event.delta.text }] : [];
        }
        if (event.delta.type === 'input_json_delta') {
          const call = this.pending.get(event.index);
          if (call) {
            call.json += event.delta.partial_json;
          }
        }
        return [];
      case 'content_block_stop': {
        const call = this.pending.get(event.index);
        if (!call) {
          return [];
        }
        this.pending.delete(event.index);
        const input = parseToolInput(call);
        if (input === undefined) {
          this.malformed ??= call.name;
          return [];
        }
        this.calls++;
        return [{ kind: 'toolCall', callId: call.id, name: call.name, input }];
      }
      case 'message_delta':
        if (this.malformed !== undefined) {
          throw new IncompleteToolCallError(this.malformed, event.delta.stop_reason === 'max_tokens');
        }
        return [];
      case 'message_stop': {
        const cut = this.malformed ?? [...this.pending.values()][0]?.name;
        if (cut !== undefined) {
          throw new IncompleteToolCallError(cut, false);
        }
        return [];
      }
      default:
        return [];
    }
  }
}

/** The call's input object; undefined when the JSON is cut or not an object. */
function parseToolInput(call: PendingToolCall): object | undefined {
  let value: unknown = call.startInput;
  if (call.json.trim() !== '') {
    try {
      value = JSON.parse(call.json);
    } catch {
      return undefined;
    }
  }
  if (value === undefined || value === null) {
    return {};
  }
  return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}
