/**
 * A local fake of the Anthropic Messages API that speaks the real wire format, so tests run
 * the real SDK over real HTTP with nothing mocked above the wire.
 *
 * Node built-ins only: the integration tests import this module inside VS Code's extension
 * host, and the e2e tests start it as a child process (`node server.js --port 0`).
 * See README.md in this folder for the scenario format.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `error.type` values of the real API's error bodies. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error';

/** Usage numbers as they appear on the wire. */
export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** What goes wrong part-way through a streamed reply. */
export interface Interruption {
  /** `error`: an `event: error` frame, then the end; `reset`: socket destroyed; `stall`: silence. */
  readonly action: 'error' | 'reset' | 'stall';
  /** Text deltas sent before the interruption (default 0: right after the preamble). */
  readonly afterDeltas?: number;
  /** Interrupt right after the response headers, before even `message_start`. */
  readonly afterHeaders?: boolean;
  /** For `error`: the `error.type` of the frame (default `overloaded_error`). */
  readonly errorType?: ApiErrorType;
  readonly errorMessage?: string;
}

/**
 * How the fake answers one request to `POST /v1/messages`. Every field is optional; an empty
 * object streams the default reply. Scenarios are plain JSON so they can be posted to
 * `/__control/script` from another process.
 */
export interface Scenario {
  /** The reply text (default: a Markdown answer with a heading, a list and a ts code block). */
  readonly text?: string;
  /** Characters per `text_delta` (default 12). */
  readonly chunkSize?: number;
  /** Milliseconds between deltas (default 10), so a test can stop mid-stream. */
  readonly delayMs?: number;
  /** Milliseconds before the response headers are sent. */
  readonly headersDelayMs?: number;
  /** Overrides of the usage numbers (defaults: estimates from the request and reply). */
  readonly usage?: Partial<WireUsage>;
  /** `stop_reason` of the reply (default `end_turn`). */
  readonly stopReason?: string;
  /** `model` reported in the reply (default: the requested model). */
  readonly model?: string;
  /** `request-id` header and body field (default `req_fake_<n>`). */
  readonly requestId?: string;
  /** Answer with this HTTP error status and the real error body instead of a reply. */
  readonly status?: number;
  /** `error.type` of the error body (default: the real type for `status`). */
  readonly errorType?: ApiErrorType;
  readonly errorMessage?: string;
  /** `retry-after` header, in seconds, sent with an error status. */
  readonly retryAfter?: number;
  /** `retry-after-ms` header sent with an error status. */
  readonly retryAfterMs?: number;
  /** Something goes wrong mid-stream. */
  readonly interrupt?: Interruption;
  /**
   * Tool calls the reply makes after its text: `tool_use` blocks whose input is streamed as
   * `input_json_delta`s. With tool calls, `text` defaults to none and `stopReason` to `tool_use`.
   */
  readonly toolCalls?: readonly ScriptedToolCall[];
  /**
   * Web searches and fetches "run on Anthropic's side", after `text`: each a `server_tool_use`
   * block (input streamed as `input_json_delta`) followed by its `web_search_tool_result` /
   * `web_fetch_tool_result` block, as the real API streams them. The reply's `message_delta`
   * usage then counts them in `server_tool_use`.
   */
  readonly serverToolCalls?: readonly ScriptedServerToolCall[];
  /**
   * A text block after the server tool blocks (the answer that uses their results), streamed
   * like `text`; it cites the first search result with a `citations_delta`.
   */
  readonly textAfter?: string;
}

/** A web search or fetch of a scripted reply, with its result. */
export interface ScriptedServerToolCall {
  readonly name: 'web_search' | 'web_fetch';
  /** Default `srvtoolu_fake_<request index>_<n>`. */
  readonly id?: string;
  /** Default `{ "query": "fake search" }` for a search, `{ "url": <the first result's url> }` for a fetch. */
  readonly input?: Record<string, unknown>;
  /**
   * The pages found (search) or the page fetched (fetch: the first one). Default: one page on
   * example.com.
   */
  readonly results?: readonly ScriptedPage[];
  /** The tool failed with this `error_code` (e.g. `max_uses_exceeded`, `url_not_accessible`): the result block says so. */
  readonly errorCode?: string;
  /** No result block: the reply stops before it (with `stopReason: "pause_turn"`, the next request resumes it). */
  readonly withoutResult?: boolean;
}

/** A web page in a scripted search or fetch result. */
export interface ScriptedPage {
  readonly url: string;
  readonly title?: string;
  /** The page's text (a fetch's document; a search result's `encrypted_content` encodes it). */
  readonly text?: string;
  /** `page_age` of a search result. */
  readonly pageAge?: string;
}

/**
 * How the fake answers `POST /v1/messages/count_tokens` (plain JSON, like a scenario). The
 * default `{}` answers `{"input_tokens": N}` with N about a quarter of the prompt's characters.
 */
export interface CountTokensSpec {
  /** The `input_tokens` to answer. */
  readonly inputTokens?: number;
  /** Answer with this HTTP error status and the real error body instead. */
  readonly status?: number;
  /** Milliseconds before answering (a test of the caller's timeout or Stop). */
  readonly delayMs?: number;
}

/** One `tool_use` block of a scripted reply. */
export interface ScriptedToolCall {
  /** Default `toolu_fake_<request index>_<n>`. */
  readonly id?: string;
  readonly name: string;
  /** Default `{}`. */
  readonly input?: Record<string, unknown>;
  /** Sent instead of `JSON.stringify(input)`, e.g. cut JSON to test a truncated call. */
  readonly rawJson?: string;
  /** Characters of JSON per `input_json_delta` (default 10). */
  readonly jsonChunkSize?: number;
}

/** One request as the fake saw it; the key itself is never stored. */
export interface RecordedRequest {
  readonly index: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Lower-case header names; `authorization` and `x-api-key` values are `[REDACTED]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** How the key was sent. */
  readonly authScheme: 'bearer' | 'x-api-key' | 'none';
  /** A key was sent and, when the fake has a `validKey`, it matched. */
  readonly authorized: boolean;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  readonly body: unknown;
  readonly receivedAt: number;
  /** The scenario applied (undefined for requests answered before one was taken). */
  scenario?: Scenario;
  /** The request id the fake answered with. */
  requestId?: string;
  /** What the fake did. */
  outcome?: 'streamed' | 'json' | 'error' | 'stream-error' | 'reset' | 'stall' | 'unauthorized' | 'count_tokens' | 'pwned';
  /**
   * The usage the reply reported (for a streamed reply: `message_start`'s input and cache
   * numbers, `message_delta`'s output), after the prompt-cache accounting.
   */
  usage?: WireUsage;
  /** The connection (or response) is closed. */
  closed: boolean;
  closedAt?: number;
  /** The client went away before the fake finished the response (e.g. an abort). */
  clientAborted: boolean;
}

export interface FakeAnthropicOptions {
  /** Default 0: any free port. */
  readonly port?: number;
  readonly host?: string;
  /** When set, any other key gets a 401. */
  readonly validKey?: string;
  /** When set, any other model gets the real 404 `not_found_error`. */
  readonly knownModels?: readonly string[];
  /** Used when the queue is empty (default `{}`: the default reply). */
  readonly defaultScenario?: Scenario;
  /** Initial queue. */
  readonly scenarios?: readonly Scenario[];
  /** How `count_tokens` answers (default `{}`: chars/4). */
  readonly countTokens?: CountTokensSpec;
  /** One line per request on stderr (never the key, never the body). */
  readonly verbose?: boolean;
  /**
   * Prompt caching: a breakpoint whose prefix is shorter than this many (estimated) tokens is
   * neither written nor read, as the real API's per-model minimum (1,024 tokens and more).
   * Default 0: every breakpoint caches, so tests can use short prompts.
   */
  readonly minCacheableTokens?: number;
}

export interface FakeAnthropic {
  /** `http://127.0.0.1:PORT`, to use as the SDK's `baseURL`. */
  readonly url: string;
  readonly port: number;
  /** Every API request, in arrival order (control requests are not recorded). */
  readonly requests: RecordedRequest[];
  /** Appends scenarios to the queue; each `POST /v1/messages` takes the next one. */
  script(...scenarios: Scenario[]): void;
  /** Replaces the scenario used when the queue is empty. */
  setDefault(scenario: Scenario): void;
  /** Sets how `count_tokens` answers from now on (`{}`: chars/4). */
  setCountTokens(spec: CountTokensSpec): void;
  /** Empties the queue and the recorded requests and restores the default scenario and count. */
  reset(): void;
  /** Resolves when the request with this index has arrived. */
  waitForRequest(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves when the connection of the request with this index has closed. */
  waitForClose(index: number, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** The default reply: Markdown with a heading, a list and a fenced TypeScript block. */
export const DEFAULT_REPLY = [
  '## Architecture review',
  '',
  'Three things stand out:',
  '',
  '- **Connection pooling**: reuse one `pg.Pool` per process.',
  '- **Caching**: put session lookups in Redis with a short TTL.',
  '- **Security**: validate every request body at the edge.',
  '',
  '```ts',
  "import { Pool } from 'pg';",
  '',
  'export const pool = new Pool({ max: 10 });',
  '```',
  '',
  'That keeps the hot path fast and safe.',
].join('\n');

const ERROR_TYPES: Readonly<Record<number, ApiErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const ERROR_MESSAGES: Readonly<Record<ApiErrorType, string>> = {
  invalid_request_error: 'There was an issue with the format or content of your request.',
  authentication_error: 'invalid x-api-key',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
  timeout_error: 'Request timed out',
};

const MODELS = ['claude-opus-5-5', 'claude-sonnet-5-5', 'claude-haiku-5-5'];

/** A rough token estimate, as the fake has no tokenizer: about four characters per token. */
function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

function textOf(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return (value as unknown[])
      .map((block) => {
        const b = block as { type?: unknown; text?: unknown; input?: unknown; content?: unknown } | null;
        if (b?.type === 'tool_use') {
          return JSON.stringify(b.input ?? {});
        }
        if (b?.type === 'tool_result') {
          return textOf(b.content);
        }
        return typeof b?.text === 'string' ? b.text : '';
      })
      .join('');
  }
  return '';
}

/**
 * One piece of the prompt in the order the API caches it (each tool, then each system block,
 * then each message block): what it is, without `cache_control`, and its size.
 */
interface PromptSegment {
  readonly key: string;
  readonly chars: number;
  /** It carries `cache_control`: the prefix up to and including it can be cached for this long. */
  readonly ttlMs?: number;
}

const FIVE_MINUTES = 5 * 60_000;

/** `value` without `cache_control`, and its TTL when it had one. */
function splitCacheControl(value: unknown): { rest: unknown; ttlMs?: number } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { rest: value };
  }
  const { cache_control: control, ...rest } = value as Record<string, unknown>;
  const nested = Array.isArray(rest.content) && (rest.content as unknown[]).some((b) => splitCacheControl(b).ttlMs !== undefined);
  if (control === undefined && !nested) {
    return { rest };
  }
  return { rest, ttlMs: (control as { ttl?: unknown } | undefined)?.ttl === '1h' ? 60 * 60_000 : FIVE_MINUTES };
}

/** The prompt of a Messages API body, piece by piece, as the prompt cache sees it. */
function promptSegments(params: { tools?: unknown; system?: unknown; messages: unknown[] }): PromptSegment[] {
  const segments: PromptSegment[] = [];
  for (const tool of Array.isArray(params.tools) ? (params.tools as unknown[]) : []) {
    const { rest, ttlMs } = splitCacheControl(tool);
    const json = JSON.stringify(rest);
    segments.push({ key: `tool\u0000${json}`, chars: json.length, ttlMs });
  }
  const system = typeof params.system === 'string' ? [{ type: 'text', text: params.system }] : Array.isArray(params.system) ? (params.system as unknown[]) : [];
  for (const block of system) {
    const { rest, ttlMs } = splitCacheControl(block);
    segments.push({ key: `system\u0000${JSON.stringify(rest)}`, chars: textOf([rest]).length, ttlMs });
  }
  for (const message of params.messages) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    // A string is the same prompt as one text block holding it.
    const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? (content as unknown[]) : [];
    for (const block of blocks) {
      const { rest, ttlMs } = splitCacheControl(block);
      segments.push({ key: `${String(role)}\u0000${JSON.stringify(rest)}`, chars: blockChars(rest), ttlMs });
    }
  }
  return segments;
}

/** The characters a content block adds to the prompt, for the chars/4 token estimate. */
function blockChars(block: unknown): number {
  const b = block as { type?: unknown } | null;
  if (b?.type === 'text' || b?.type === 'tool_use' || b?.type === 'tool_result') {
    return textOf([b]).length;
  }
  // Server tool blocks, images, documents: their JSON is a fair stand-in for what they cost.
  return JSON.stringify(block ?? '').length;
}

/** `cache_control` markers in a body: the real API takes at most four. */
function countBreakpoints(params: { tools?: unknown; system?: unknown; messages?: unknown }): number {
  const marked = (value: unknown): number => {
    if (Array.isArray(value)) {
      return value.reduce<number>((n, item) => n + marked(item), 0);
    }
    if (value === null || typeof value !== 'object') {
      return 0;
    }
    const record = value as Record<string, unknown>;
    return (record.cache_control !== undefined && record.cache_control !== null ? 1 : 0) + marked(record.content);
  };
  return marked(params.tools) + marked(params.system) + marked(params.messages);
}

/**
 * Usage after prompt caching, as the real API counts it: the request reads the longest prefix
 * ending at one of its breakpoints that an earlier request wrote (and is still fresh), writes
 * the rest up to its last breakpoint, and `input_tokens` is what comes after that breakpoint.
 * Writing (and reading) refreshes the entries' lifetime.
 */
class PromptCache {
  private readonly entries = new Map<string, number>();

  constructor(private readonly minTokens: number) {}

  account(model: string, segments: readonly PromptSegment[], now = Date.now()): Pick<WireUsage, 'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'> {
    let hash = createHash('sha256').update(model).digest('base64');
    let chars = 0;
    const points: { hash: string; tokens: number; ttlMs: number }[] = [];
    for (const segment of segments) {
      hash = createHash('sha256').update(hash).update('\u0001').update(segment.key).digest('base64');
      chars += segment.chars;
      if (segment.ttlMs !== undefined) {
        const tokens = Math.ceil(chars / 4);
        // Too short a prefix is not cached at all, as with the real API's minimum.
        if (tokens >= this.minTokens) {
          points.push({ hash, tokens, ttlMs: segment.ttlMs });
        }
      }
    }
    const total = estimateTokens(chars);
    if (points.length === 0) {
      return { input_tokens: total, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
    }
    let read = 0;
    for (let i = points.length - 1; i >= 0; i--) {
      if ((this.entries.get(points[i].hash) ?? 0) > now) {
        read = points[i].tokens;
        break;
      }
    }
    for (const point of points) {
      this.entries.set(point.hash, Math.max(this.entries.get(point.hash) ?? 0, now + point.ttlMs));
    }
    const cached = points[points.length - 1].tokens;
    return {
      input_tokens: Math.max(0, total - cached),
      cache_read_input_tokens: read,
      cache_creation_input_tokens: Math.max(0, cached - read),
    };
  }

  clear(): void {
    this.entries.clear();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A scenario's reply, resolved: defaults filled in, blocks built in the real wire shape. */
interface ScriptedReply {
  readonly text: string;
  readonly textAfter: string;
  /** The citation of `textAfter`: the first search result. */
  readonly citation?: Record<string, unknown>;
  readonly serverCalls: readonly { use: Record<string, unknown> & { input: unknown }; result?: Record<string, unknown> }[];
  readonly toolCalls: readonly { id: string; name: string; json: string; input: Record<string, unknown>; chunkSize: number }[];
  readonly stopReason: string;
  readonly outputChars: number;
}

const EXAMPLE_PAGE: ScriptedPage = { url: 'https://example.com/', title: 'Example Domain', text: 'This domain is for use in illustrative examples.' };

function scriptedReply(scenario: Scenario, requestIndex: number): ScriptedReply {
  const toolCalls = (scenario.toolCalls ?? []).map((call, n) => ({
    id: call.id ?? `toolu_fake_${requestIndex}_${n}`,
    name: call.name,
    json: call.rawJson ?? JSON.stringify(call.input ?? {}),
    input: call.input ?? {},
    chunkSize: Math.max(1, call.jsonChunkSize ?? 10),
  }));
  let citation: Record<string, unknown> | undefined;
  const serverCalls = (scenario.serverToolCalls ?? []).map((call, n) => {
    const id = call.id ?? `srvtoolu_fake_${requestIndex}_${n}`;
    const pages = call.results ?? [EXAMPLE_PAGE];
    const search = call.name === 'web_search';
    const input = call.input ?? (search ? { query: 'fake search' } : { url: pages[0]?.url ?? EXAMPLE_PAGE.url });
    const use = { type: 'server_tool_use', id, name: call.name, input, caller: { type: 'direct' } };
    if (call.withoutResult) {
      return { use };
    }
    let content: unknown;
    if (call.errorCode !== undefined) {
      content = { type: search ? 'web_search_tool_result_error' : 'web_fetch_tool_result_error', error_code: call.errorCode };
    } else if (search) {
      content = pages.map((page) => ({
        type: 'web_search_result',
        url: page.url,
        title: page.title ?? page.url,
        encrypted_content: Buffer.from(page.text ?? '').toString('base64'),
        page_age: page.pageAge ?? null,
      }));
      const first = pages[0];
      citation ??= first && {
        type: 'web_search_result_location',
        url: first.url,
        title: first.title ?? first.url,
        encrypted_index: Buffer.from(`${id}:0`).toString('base64'),
        cited_text: (first.text ?? '').slice(0, 150),
      };
    } else {
      const page = pages[0] ?? EXAMPLE_PAGE;
      content = {
        type: 'web_fetch_result',
        url: page.url,
        content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: page.text ?? '' }, title: page.title ?? null, citations: null },
        retrieved_at: '2026-10-01T00:00:00Z',
      };
    }
    return { use, result: { type: search ? 'web_search_tool_result' : 'web_fetch_tool_result', tool_use_id: id, content, caller: { type: 'direct' } } };
  });
  const anyTool = toolCalls.length > 0 || serverCalls.length > 0;
  const text = scenario.text ?? (anyTool ? '' : DEFAULT_REPLY);
  const textAfter = scenario.textAfter ?? '';
  return {
    text,
    textAfter,
    citation: textAfter !== '' ? citation : undefined,
    serverCalls,
    toolCalls,
    stopReason: scenario.stopReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn'),
    outputChars:
      text.length +
      textAfter.length +
      toolCalls.reduce((sum, call) => sum + call.json.length, 0) +
      serverCalls.reduce((sum, call) => sum + JSON.stringify(call.use.input).length, 0),
  };
}

/** The reply's content blocks, for a JSON (not streamed) answer. */
function replyContent(reply: ScriptedReply): unknown[] {
  const leading = reply.text !== '' || (reply.toolCalls.length === 0 && reply.serverCalls.length === 0 && reply.textAfter === '');
  return [
    ...(leading ? [{ type: 'text', text: reply.text }] : []),
    ...reply.serverCalls.flatMap((call) => (call.result ? [call.use, call.result] : [call.use])),
    ...(reply.textAfter !== '' ? [{ type: 'text', text: reply.textAfter, ...(reply.citation ? { citations: [reply.citation] } : {}) }] : []),
    ...reply.toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input, caller: { type: 'direct' } })),
  ];
}

/** `usage.server_tool_use` of a reply that ran server tools (nothing otherwise). */
function serverToolUsage(reply: ScriptedReply): { server_tool_use?: { web_search_requests: number; web_fetch_requests: number } } {
  if (reply.serverCalls.length === 0) {
    return {};
  }
  const count = (name: string): number => reply.serverCalls.filter((call) => call.use.name === name).length;
  return { server_tool_use: { web_search_requests: count('web_search'), web_fetch_requests: count('web_fetch') } };
}

/** Starts the fake on 127.0.0.1 (port 0 by default) and resolves once it listens. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const queue: Scenario[] = [...(options.scenarios ?? [])];
  let defaultScenario: Scenario = options.defaultScenario ?? {};
  let countTokens: CountTokensSpec = options.countTokens ?? {};
  let idCounter = 0;
  let closing = false;
  const cache = new PromptCache(options.minCacheableTokens ?? 0);
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const wake of [...waiters]) {
      wake();
    }
  };

  const waitFor = (predicate: () => RecordedRequest | undefined, what: string, timeoutMs: number): Promise<RecordedRequest> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = predicate();
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-anthropic: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) {
        waiters.add(wake);
      }
    });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A bug in the fake: answer 500 if still possible, and never crash the test process.
      process.stderr.write(`fake-anthropic: ${String(err)}\n`);
      if (!res.headersSent) {
        res.writeHead(500).end();
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);

    if (url.pathname.startsWith('/__control/')) {
      handleControl(req.method ?? 'GET', url.pathname, raw, res);
      return;
    }

    const record = recordRequest(req, url.pathname, raw);
    res.on('close', () => {
      record.closed = true;
      record.closedAt = Date.now();
      // Not finished by us, not destroyed on purpose, not shut down with the fake: the client went away.
      record.clientAborted = !res.writableFinished && record.outcome !== 'reset' && !closing;
      notify();
    });
    requests.push(record);
    notify();
    if (options.verbose) {
      process.stderr.write(`fake-anthropic: #${record.index} ${record.method} ${record.path} (${record.authScheme})\n`);
    }

    // A tripwire for injection tests: hostile payloads in a rendered answer try to reach this
    // (fetch, image, beacon, navigation). Recorded like any request; any hit is a test failure.
    if (url.pathname.startsWith('/__pwned')) {
      record.outcome = 'pwned';
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      return;
    }

    if (!record.authorized) {
      record.outcome = 'unauthorized';
      sendError(res, record, 401, 'authentication_error', 'invalid x-api-key');
      return;
    }

    if (req.method === 'GET' && url.pathname === '/v1/models') {
      record.outcome = 'json';
      sendJson(res, record, 200, {
        data: MODELS.map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-10-01T00:00:00Z' })),
        has_more: false,
        first_id: MODELS[0],
        last_id: MODELS[MODELS.length - 1],
      });
      return;
    }

    if (req.method !== 'POST' || (url.pathname !== '/v1/messages' && url.pathname !== '/v1/messages/count_tokens')) {
      record.outcome = 'error';
      sendError(res, record, 404, 'not_found_error', `Not found: ${req.method ?? ''} ${url.pathname}`);
      return;
    }

    const body = record.body as Record<string, unknown> | undefined;
    const problem = validateMessagesBody(body, url.pathname === '/v1/messages');
    if (problem) {
      record.outcome = 'error';
      sendError(res, record, 400, 'invalid_request_error', problem);
      return;
    }
    const params = body as Record<string, unknown> & { model: string; messages: unknown[] };
    const segments = promptSegments(params);
    const promptChars = segments.reduce((sum, segment) => sum + segment.chars, 0);

    if (url.pathname === '/v1/messages/count_tokens') {
      const spec = countTokens;
      if (spec.delayMs) {
        await sleep(spec.delayMs);
        if (record.closed) {
          return;
        }
      }
      if (spec.status !== undefined && spec.status >= 400) {
        record.outcome = 'error';
        const type = ERROR_TYPES[spec.status] ?? 'api_error';
        sendError(res, record, spec.status, type, ERROR_MESSAGES[type]);
        return;
      }
      record.outcome = 'count_tokens';
      sendJson(res, record, 200, { input_tokens: spec.inputTokens ?? estimateTokens(promptChars) });
      return;
    }

    if (options.knownModels && !options.knownModels.includes(params.model)) {
      record.outcome = 'error';
      sendError(res, record, 404, 'not_found_error', `model: ${params.model}`);
      return;
    }

    const scenario = queue.shift() ?? defaultScenario;
    record.scenario = scenario;
    if (scenario.requestId) {
      record.requestId = scenario.requestId;
    }
    if (scenario.headersDelayMs) {
      await sleep(scenario.headersDelayMs);
    }
    if (scenario.status !== undefined && scenario.status >= 400) {
      record.outcome = 'error';
      const type = scenario.errorType ?? ERROR_TYPES[scenario.status] ?? 'api_error';
      const headers: Record<string, string> = {};
      if (scenario.retryAfter !== undefined) {
        headers['retry-after'] = String(scenario.retryAfter);
      }
      if (scenario.retryAfterMs !== undefined) {
        headers['retry-after-ms'] = String(scenario.retryAfterMs);
      }
      sendError(res, record, scenario.status, type, scenario.errorMessage ?? ERROR_MESSAGES[type], headers);
      return;
    }

    const reply = scriptedReply(scenario, record.index);
    const usage: WireUsage = {
      ...cache.account(params.model, segments),
      output_tokens: estimateTokens(reply.outputChars),
      ...scenario.usage,
    };
    usage.input_tokens = Math.max(0, usage.input_tokens);
    record.usage = usage;
    const model = scenario.model ?? params.model;

    if (params.stream === true) {
      await streamReply(res, record, scenario, model, reply, usage);
    } else {
      record.outcome = 'json';
      sendJson(res, record, 200, {
        id: `msg_fake_${record.index}`,
        type: 'message',
        role: 'assistant',
        model,
        content: replyContent(reply),
        stop_reason: reply.stopReason,
        stop_sequence: null,
        usage: { ...usage, ...serverToolUsage(reply) },
      });
    }
  }

  async function streamReply(
    res: http.ServerResponse,
    record: RecordedRequest,
    scenario: Scenario,
    model: string,
    reply: ScriptedReply,
    usage: WireUsage,
  ): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestIdFor(record),
    });
    // Send the headers now, as the real API does, so the SDK's `create()` resolves.
    res.flushHeaders();
    record.outcome = 'streamed';
    const gone = (): boolean => res.destroyed || record.closed;
    // Resolves once the last event left the process, so a reset never swallows sent events.
    let flushed: Promise<void> = Promise.resolve();
    const send = (event: string, data: unknown): void => {
      if (!gone()) {
        flushed = new Promise((resolve) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, () => resolve()));
      }
    };
    const interrupt = scenario.interrupt;
    const interruptNow = (): void => {
      if (!interrupt) {
        return;
      }
      switch (interrupt.action) {
        case 'error':
          record.outcome = 'stream-error';
          send('error', {
            type: 'error',
            error: {
              type: interrupt.errorType ?? 'overloaded_error',
              message: interrupt.errorMessage ?? ERROR_MESSAGES[interrupt.errorType ?? 'overloaded_error'],
            },
            request_id: requestIdFor(record),
          });
          res.end();
          return;
        case 'reset':
          record.outcome = 'reset';
          void flushed.then(() => res.socket?.destroy());
          return;
        case 'stall':
          // Headers (and maybe some events) sent, then nothing until the client gives up.
          record.outcome = 'stall';
          return;
      }
    };
    if (interrupt?.afterHeaders) {
      interruptNow();
      return;
    }

    // Like the real API: input and cache numbers in message_start, the output in message_delta.
    send('message_start', {
      type: 'message_start',
      message: {
        id: `msg_fake_${record.index}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: 1,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
        },
      },
    });
    const { text, toolCalls, serverCalls } = reply;
    // A reply of tool calls only has no text block, as with the real API.
    const textBlock = text !== '' || (toolCalls.length === 0 && serverCalls.length === 0 && reply.textAfter === '');
    if (textBlock) {
      send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    }
    send('ping', { type: 'ping' });

    const chunkSize = Math.max(1, scenario.chunkSize ?? 12);
    const delayMs = scenario.delayMs ?? 10;
    let sent = 0;
    for (let at = 0; at < text.length; at += chunkSize) {
      if (interrupt && sent === (interrupt.afterDeltas ?? 0)) {
        interruptNow();
        return;
      }
      if (gone()) {
        return;
      }
      if (delayMs > 0 && sent > 0) {
        await sleep(delayMs);
        if (gone()) {
          return;
        }
      }
      send('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: text.slice(at, at + chunkSize) },
      });
      sent++;
    }
    if (interrupt) {
      interruptNow();
      return;
    }
    if (textBlock) {
      send('content_block_stop', { type: 'content_block_stop', index: 0 });
    }
    let index = textBlock ? 1 : 0;
    /** A tool block whose input streams as input_json_delta; false when the client went away. */
    const streamInput = async (block: Record<string, unknown>, json: string, jsonChunkSize: number): Promise<boolean> => {
      send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
      for (let at = 0; at < json.length; at += jsonChunkSize) {
        if (delayMs > 0) {
          await sleep(delayMs);
        }
        if (gone()) {
          return false;
        }
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: json.slice(at, at + jsonChunkSize) },
        });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
      return true;
    };
    for (const call of serverCalls) {
      if (!(await streamInput(call.use, JSON.stringify(call.use.input), 10))) {
        return;
      }
      if (call.result) {
        // Result blocks arrive whole in their start event.
        send('content_block_start', { type: 'content_block_start', index, content_block: call.result });
        send('content_block_stop', { type: 'content_block_stop', index });
        index++;
      }
    }
    if (reply.textAfter !== '') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      if (reply.citation) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'citations_delta', citation: reply.citation } });
      }
      for (let at = 0; at < reply.textAfter.length; at += chunkSize) {
        if (delayMs > 0) {
          await sleep(delayMs);
        }
        if (gone()) {
          return;
        }
        send('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: reply.textAfter.slice(at, at + chunkSize) },
        });
      }
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    for (const call of toolCalls) {
      if (!(await streamInput({ type: 'tool_use', id: call.id, name: call.name, caller: { type: 'direct' } }, call.json, call.chunkSize))) {
        return;
      }
    }
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { ...usage, ...serverToolUsage(reply) },
    });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }

  function requestIdFor(record: RecordedRequest): string {
    if (!record.requestId) {
      idCounter++;
      record.requestId = `req_fake_${String(idCounter).padStart(6, '0')}`;
    }
    return record.requestId;
  }

  function sendJson(res: http.ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const json = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
      'request-id': requestIdFor(record),
      ...headers,
    });
    res.end(json);
  }

  function sendError(
    res: http.ServerResponse,
    record: RecordedRequest,
    status: number,
    type: ApiErrorType,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    const requestId = requestIdFor(record);
    sendJson(res, record, status, { type: 'error', error: { type, message }, request_id: requestId }, headers);
  }

  function recordRequest(req: http.IncomingMessage, path: string, raw: string): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    let key: string | undefined;
    let authScheme: RecordedRequest['authScheme'] = 'none';
    const bearer = /^Bearer\s+(.+)$/i.exec(headers['authorization'] ?? '');
    if (bearer) {
      key = bearer[1].trim();
      authScheme = 'bearer';
    } else if (headers['x-api-key']) {
      key = headers['x-api-key'];
      authScheme = 'x-api-key';
    }
    for (const name of ['authorization', 'x-api-key']) {
      if (name in headers) {
        headers[name] = '[REDACTED]';
      }
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    return {
      index: requests.length,
      method: req.method ?? 'GET',
      path,
      headers,
      authScheme,
      authorized: key !== undefined && key !== '' && (options.validKey === undefined || key === options.validKey),
      body,
      receivedAt: Date.now(),
      closed: false,
      clientAborted: false,
    };
  }

  function handleControl(method: string, path: string, raw: string, res: http.ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (method === 'GET' && path === '/__control/requests') {
      reply(200, requests);
      return;
    }
    if (method === 'POST' && path === '/__control/reset') {
      api.reset();
      reply(200, { ok: true });
      return;
    }
    if (method === 'POST' && path === '/__control/script') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw || '[]');
      } catch {
        reply(400, { ok: false, error: 'body is not JSON' });
        return;
      }
      // Either a bare array of scenarios or { scenarios?, default?, replace?, countTokens? }.
      const spec = (Array.isArray(parsed) ? { scenarios: parsed } : parsed) as {
        scenarios?: Scenario[];
        default?: Scenario;
        replace?: boolean;
        countTokens?: CountTokensSpec;
      };
      if (spec.replace) {
        queue.length = 0;
      }
      if (spec.default) {
        defaultScenario = spec.default;
      }
      if (spec.countTokens) {
        countTokens = spec.countTokens;
      }
      queue.push(...(spec.scenarios ?? []));
      reply(200, { ok: true, queued: queue.length });
      return;
    }
    reply(404, { ok: false, error: `unknown control endpoint ${method} ${path}` });
  }

  const api: FakeAnthropic = {
    url: '',
    port: 0,
    requests,
    script: (...scenarios) => {
      queue.push(...scenarios);
    },
    setDefault: (scenario) => {
      defaultScenario = scenario;
    },
    setCountTokens: (spec) => {
      countTokens = spec;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      cache.clear();
      defaultScenario = options.defaultScenario ?? {};
      countTokens = options.countTokens ?? {};
    },
    waitForRequest: (index, timeoutMs = 5000) => waitFor(() => requests[index], `request #${index}`, timeoutMs),
    waitForClose: (index, timeoutMs = 5000) =>
      waitFor(() => (requests[index]?.closed ? requests[index] : undefined), `request #${index} to close`, timeoutMs),
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled streams never end on their own.
        closing = true;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return Object.assign(api, { url: `http://${host}:${address.port}`, port: address.port });
}

/** Checks the few fields the real API requires, answering with its wording where it matters. */
function validateMessagesBody(body: Record<string, unknown> | undefined, needsMaxTokens: boolean): string | undefined {
  if (!body || typeof body !== 'object') {
    return 'The request body is not valid JSON.';
  }
  if (typeof body.model !== 'string' || body.model === '') {
    return 'model: Field required';
  }
  if (needsMaxTokens && typeof body.max_tokens !== 'number') {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return 'messages: at least one message is required';
  }
  const breakpoints = countBreakpoints(body);
  if (breakpoints > MAX_BREAKPOINTS) {
    return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`;
  }
  return validateTools(body) ?? validateContent(body.messages as unknown[]);
}

/** The most `cache_control` breakpoints the real API takes in one request. */
const MAX_BREAKPOINTS = 4;

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

interface WireBlock {
  readonly type?: unknown;
  readonly text?: unknown;
  readonly id?: unknown;
  readonly tool_use_id?: unknown;
  readonly is_error?: unknown;
  readonly content?: unknown;
  readonly source?: { readonly type?: unknown; readonly media_type?: unknown; readonly data?: unknown };
}

/** `tools` and `tool_choice`, as strictly as the real API checks them. */
function validateTools(body: Record<string, unknown>): string | undefined {
  const tools = body.tools;
  if (tools !== undefined) {
    if (!Array.isArray(tools)) {
      return 'tools: Input should be a valid list';
    }
    for (const [i, tool] of (tools as { type?: unknown; name?: unknown; input_schema?: { type?: unknown } }[]).entries()) {
      if (tool?.type !== undefined && tool.type !== 'custom') {
        // A server tool: its versioned type names it; it has no input_schema.
        const type = JSON.stringify(tool.type);
        const server = /^"(web_search|web_fetch)_\d{8}"$/.exec(type);
        if (!server) {
          return `tools.${i}: Input tag ${type} found using 'type' does not match any of the expected tags`;
        }
        if (tool.name !== server[1]) {
          return `tools.${i}.${server[0].slice(1, -1)}.name: Input should be '${server[1]}'`;
        }
        continue;
      }
      if (typeof tool?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool.name)) {
        return `tools.${i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
      }
      if (tool.input_schema?.type !== 'object') {
        return `tools.${i}.custom.input_schema.type: Input should be 'object'`;
      }
    }
  }
  const choice = body.tool_choice as { type?: unknown } | undefined;
  if (choice !== undefined && choice.type !== 'auto' && choice.type !== 'none' && (!Array.isArray(tools) || tools.length === 0)) {
    return 'tool_choice: tool_choice may only be specified while providing tools.';
  }
  return undefined;
}

/**
 * The content rules the real API enforces that a translation can get wrong: no empty text
 * blocks, images only from the user, every `tool_use` answered by a `tool_result` at the start
 * of the next (user) message, no `tool_result` without its `tool_use` (nor an error result
 * without content), and server tool blocks (`server_tool_use` with its `web_search_tool_result`
 * / `web_fetch_tool_result`) only from the assistant, each result after its call in the same
 * message, each call answered unless the message is the last (a paused turn being resumed).
 */
function validateContent(messages: readonly unknown[]): string | undefined {
  let openToolUses: string[] = [];
  for (const [i, message] of messages.entries()) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant') {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    const blocks: WireBlock[] = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? (content as WireBlock[]) : [];
    if (openToolUses.length > 0) {
      const results = new Set<unknown>();
      let leading = true;
      for (const block of blocks) {
        if (block?.type === 'tool_result') {
          if (!leading) {
            return `messages.${i}: \`tool_result\` blocks must come before any other content in the message.`;
          }
          results.add(block.tool_use_id);
        } else {
          leading = false;
        }
      }
      const missing = openToolUses.filter((id) => !results.has(id));
      if (role !== 'user' || missing.length > 0) {
        return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ') || openToolUses.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
    const previousIds = new Set<unknown>(openToolUses);
    openToolUses = [];
    const serverUses = new Set<unknown>();
    for (const [j, block] of blocks.entries()) {
      const where = `messages.${i}.content.${j}`;
      switch (block?.type) {
        case 'text':
          // Only blocks: a string `content` is left as the fake always took it.
          if (typeof content !== 'string' && (typeof block.text !== 'string' || block.text.trim() === '')) {
            return `${where}.text: text content blocks must contain non-whitespace text`;
          }
          break;
        case 'image':
          if (role !== 'user') {
            return `${where}: image content is only allowed in user messages`;
          }
          if (block.source?.type !== 'base64' || !IMAGE_MEDIA_TYPES.includes(String(block.source.media_type)) || !block.source.data) {
            return `${where}.source: a base64 source with media_type one of ${IMAGE_MEDIA_TYPES.join(', ')} and data is required`;
          }
          break;
        case 'tool_use':
          if (role !== 'assistant') {
            return `${where}: tool_use blocks are only allowed in assistant messages`;
          }
          openToolUses.push(String(block.id));
          break;
        case 'tool_result':
          if (role !== 'user') {
            return `${where}: tool_result blocks are only allowed in user messages`;
          }
          if (!previousIds.has(block.tool_use_id)) {
            return `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
          }
          if (block.is_error === true && (block.content === undefined || block.content === '' || (Array.isArray(block.content) && block.content.length === 0))) {
            return `${where}: content cannot be empty if \`is_error\` is true`;
          }
          break;
        case 'server_tool_use':
          if (role !== 'assistant') {
            return `${where}: server_tool_use blocks are only allowed in assistant messages`;
          }
          serverUses.add(block.id);
          break;
        case 'web_search_tool_result':
        case 'web_fetch_tool_result':
          if (role !== 'assistant') {
            return `${where}: ${String(block.type)} blocks are only allowed in assistant messages`;
          }
          if (!serverUses.delete(block.tool_use_id)) {
            return `${where}: ${String(block.type)} block(s) provided when no matching server_tool_use block was found before it: ${String(block.tool_use_id)}`;
          }
          break;
        default:
          break;
      }
    }
    if (serverUses.size > 0 && i < messages.length - 1) {
      return `messages.${i}: server_tool_use ids were found without a result block after them: ${[...serverUses].map(String).join(', ')}`;
    }
  }
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `--name value` pairs of the command line. */
function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        args.set(arg.slice(2), 'true');
      } else {
        args.set(arg.slice(2), next);
        i++;
      }
    }
  }
  return args;
}

/**
 * Standalone: `node out/test/fake-anthropic/server.js --port 0 [--valid-key K]
 * [--known-models a,b] [--delay-ms N] [--chunk-size N] [--verbose]` prints one JSON line
 * `{"url":...,"port":...}` on stdout and serves until SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const number = (name: string): number | undefined => (args.has(name) ? Number(args.get(name)) : undefined);
  const fake = await startFakeAnthropic({
    port: number('port') ?? 0,
    host: args.get('host') ?? '127.0.0.1',
    validKey: args.get('valid-key'),
    knownModels: args.get('known-models')?.split(',').map((m) => m.trim()),
    defaultScenario: { delayMs: number('delay-ms') ?? 15, chunkSize: number('chunk-size') ?? 6 },
    verbose: args.has('verbose'),
  });
  process.stdout.write(`${JSON.stringify({ url: fake.url, port: fake.port })}\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Bundlers inline this module into test files, where `require.main === module` would hold
// too: run only when the process was started on this very file.
if (/fake-anthropic[\\/]server\.[cm]?[jt]s$/.test(require.main?.filename ?? '')) {
  main().catch((err: unknown) => {
    process.stderr.write(`fake-anthropic: ${String(err)}\n`);
    process.exit(1);
  });
}
