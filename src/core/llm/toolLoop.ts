/**
 * The architect's agent loop over the Messages API: stream a reply; when Claude stops with
 * `tool_use`, run the calls, send their `tool_result`s back and stream again, until the model
 * ends its turn, the step limit is reached or Stop. Pure: no `vscode`; the tools come in as
 * `executeTool`.
 *
 * Each request goes through `streamMessageEvents` and `runTurn`, so retries, the idle timeout,
 * the failure sentence, key redaction and one log line per request are those of every turn.
 */
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import * as l10n from '@vscode/l10n';
import type { TurnUsage } from '../../shared/protocol';
import { describeFailure, noteMarkdown } from './errors';
import { estimateTokens } from '../prompt/tokens';
import { addUsage } from './pricing';
import { buildMessageParams, mergeUsage, streamMessageEvents, type MutableUsage } from './stream';
import { errorSummary, redact, runTurn, type LlmLogger, type TurnFields, type TurnOutcome } from './turn';
import type { ArchitectRequest, BlockTurn, ConnectionSettings, RequestMessage } from './types';
import { isServerResult, ReplyAssembler, serverToolEvent, ShownText, type AssembledCall, type StreamedBlock } from './replyAssembler';

/** A call Claude made to one of the client tools. */
export interface ToolCall {
  /** The `tool_use` id its `tool_result` answers. */
  readonly id: string;
  readonly name: string;
  /** The parsed JSON input; for a call whose input was not valid JSON, the raw text that came. */
  readonly input: unknown;
}

/** What a tool answered; `isError` results go back with `is_error: true`. */
export interface ToolResult {
  readonly content: string;
  readonly isError: boolean;
}

/** A web search or fetch that Anthropic ran on its side (a server tool), once its result is in. */
export interface ServerToolEvent {
  readonly kind: 'search' | 'fetch';
  /** The `server_tool_use` id. */
  readonly id: string;
  /** What was searched for (search). */
  readonly query?: string;
  /** What was fetched (fetch). */
  readonly url?: string;
  /** The pages found (search) or the page fetched (fetch); empty after an error. */
  readonly results: readonly { readonly url: string; readonly title?: string }[];
  /** The API's error code (e.g. `max_uses_exceeded`, `url_not_accessible`) when it failed. */
  readonly error?: string;
}

export interface ToolLoopInput {
  readonly settings: ConnectionSettings;
  /** The first request; the loop appends the turn's assistant and `tool_result` messages. */
  readonly request: ArchitectRequest<RequestMessage>;
  /** Stop: closes the HTTP connection or abandons the running tool at once; `cancelled`. */
  readonly signal: AbortSignal;
  /** Requests the turn may make (a step is one request); at least 1. */
  readonly maxSteps: number;
  /**
   * Runs one client tool call. Gets the turn's signal: the loop does not wait for a tool after
   * Stop. Should resolve with an error result rather than reject; a rejection is sent to the
   * model as an error result too.
   */
  readonly executeTool: (call: ToolCall, signal: AbortSignal) => Promise<ToolResult>;
  /** Each text delta, in arrival order, across every request of the turn (and the closing note). */
  readonly onText: (text: string) => void;
  /** A call is about to run (also a call whose input was not valid JSON, which does not run). */
  readonly onToolCall?: (call: ToolCall) => void;
  /** What the call answered, before the next request goes out. */
  readonly onToolResult?: (call: ToolCall, result: ToolResult) => void;
  /** A web search or fetch Anthropic ran, with the URLs it found or fetched. */
  readonly onServerTool?: (event: ServerToolEvent) => void;
  readonly logger: LlmLogger;
  /** Where the model id came from, in words, for a "model not found" message. */
  readonly modelSource?: string;
}

/** One tool call of the turn, client or server, in the order they were made. */
interface ToolStep {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  readonly isError: boolean;
  /** Run by Anthropic (web search / fetch), not by `executeTool`. */
  readonly server: boolean;
}

/** What one request of the turn cost and how it ended: a line of a receipt. */
export interface RequestReceipt {
  readonly requestId?: string;
  readonly model: string;
  readonly usage: TurnUsage;
  /**
   * The request did not complete: `usage` is what it reported before it stopped (its
   * `message_start`: input and cache tokens), with the output that streamed until then
   * (see `partialUsage`); zero when nothing arrived.
   */
  readonly partial: boolean;
  readonly outcome: 'completed' | 'cancelled' | 'failed';
  readonly stopReason: string | null;
  readonly durationMs: number;
  /** Web searches and fetches Anthropic ran (and bills) in this request. */
  readonly webSearches: number;
  readonly webFetches: number;
}

/** Fields every outcome of a tool turn has. */
interface ToolLoopFields extends TurnFields {
  /** Everything `onText` got: the text of every request, and the closing note if any. */
  readonly text: string;
  /** Every request's usage added up, partial ones included. */
  readonly usage: TurnUsage;
  readonly requests: readonly RequestReceipt[];
  readonly steps: readonly ToolStep[];
  /** The turn ended because it had made `maxSteps` requests and Claude wanted another. */
  readonly stepLimitReached: boolean;
  /** The note at the end of `text` (step limit, or a tool call cut by the length limit). */
  readonly note?: string;
  /**
   * The messages the turn added after the request's, valid to send back as they are: the
   * assistant's blocks and the `tool_result`s. The last one is the assistant's, without calls
   * that were never answered.
   */
  readonly messages: readonly BlockTurn[];
}

/** How a tool turn ended. Never an exception: API errors and Stop are outcomes too. */
export type ToolLoopResult = TurnOutcome<ToolLoopFields>;

/** The note of a turn that ran out of steps, shown under the answer (in the display language). */
export function stepLimitNote(maxSteps: number): string {
  return maxSteps === 1
    ? l10n.t('Stopped after 1 step, the limit for one question, before the answer was finished; ask a follow-up to let it continue.')
    : l10n.t('Stopped after {0} steps, the limit for one question, before the answer was finished; ask a follow-up to let it continue.', maxSteps);
}

/** The note of a turn whose tool call `max_tokens` cut off, shown under the answer. */
export function toolCallCutNote(toolName: string): string {
  return l10n.t('Stopped: the answer reached its length limit in the middle of a call to the tool “{0}”; ask a follow-up to let it continue.', toolName);
}

/** What a call whose input was not valid JSON answers, so Claude can send it again. */
function invalidInputResult(name: string, raw: string): ToolResult {
  const what = raw.trim() === '' ? 'empty' : 'not a valid JSON object (it may have been cut off)';
  return { content: `The input of this call to ${name} was ${what}, so the tool did not run. Send the call again with its input as one complete JSON object.`, isError: true };
}

const ZERO_USAGE: TurnUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/**
 * The usage of a request that stopped or failed after `message_start`: the input and cache
 * tokens it reported (billed from `message_start` on), and its output: what the API reported,
 * or, as the final count never came, the estimate of what streamed (text, tool input, thinking)
 * when that is more. The API bills every output token it streamed.
 */
export function partialUsage(reported: TurnUsage, streamed: string): TurnUsage {
  return { ...reported, outputTokens: Math.max(reported.outputTokens, estimateTokens(streamed)) };
}

/** Whether a request reported any usage: one that never reached `message_start` was not billed. */
export function isBilled(request: Pick<RequestReceipt, 'usage' | 'partial'>): boolean {
  const u = request.usage;
  return !request.partial || u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens > 0;
}

/**
 * Runs a tool turn to its end and logs one line per request (plus one for the turn when it
 * took more than one request or ended during a tool). Resolves, never rejects: an exception
 * thrown by a callback is a failure, one thrown by `executeTool` an error result.
 */
export async function runToolLoop(input: ToolLoopInput): Promise<ToolLoopResult> {
  const loop = new ToolTurn(input);
  const result = await loop.run();
  loop.logTurn(result);
  return result;
}

/** The state of one turn across its requests. */
class ToolTurn {
  private readonly startedAt = Date.now();
  private readonly shown: ShownText;
  private readonly messages: RequestMessage[];
  private readonly added: BlockTurn[] = [];
  private readonly receipts: RequestReceipt[] = [];
  private readonly steps: ToolStep[] = [];
  /** `server_tool_use` blocks whose result has not arrived yet (a `pause_turn` may split them). */
  private readonly serverCalls = new Map<string, { name: string; input: unknown }>();
  private readonly maxSteps: number;
  private model: string;
  private requestId: string | undefined;
  private endedDuringTool = false;

  constructor(private readonly input: ToolLoopInput) {
    this.shown = new ShownText(input.onText);
    this.messages = [...input.request.messages];
    this.model = input.request.model;
    this.maxSteps = Number.isFinite(input.maxSteps) ? Math.max(1, Math.floor(input.maxSteps)) : 1;
  }

  async run(): Promise<ToolLoopResult> {
    try {
      for (;;) {
        const step = await this.request();
        if (step.outcome.status === 'cancelled') {
          return { ...this.fields(), status: 'cancelled' };
        }
        if (step.outcome.status === 'failed') {
          const failure = step.outcome.failure;
          return { ...this.fields(), requestId: failure.requestId ?? this.requestId, status: 'failed', failure };
        }
        const reply = step.reply;
        const stopReason = step.outcome.stopReason;
        this.addAssistant(reply.content());
        const calls = reply.toolCalls();
        const wantsMore = (stopReason === 'tool_use' && calls.length > 0) || stopReason === 'pause_turn';
        if (wantsMore && this.receipts.length >= this.maxSteps) {
          return this.completed(stopReason, stepLimitNote(this.maxSteps), true);
        }
        if (stopReason === 'pause_turn') {
          // Anthropic paused a long server-tool turn: sending the reply back as it is resumes it.
          continue;
        }
        if (stopReason === 'tool_use' && calls.length > 0) {
          const results = await this.runTools(calls);
          if (results === 'cancelled') {
            this.endedDuringTool = true;
            return { ...this.fields(), status: 'cancelled' };
          }
          const message: BlockTurn = { role: 'user', content: results };
          this.messages.push(message);
          this.added.push(message);
          continue;
        }
        const cut = stopReason === 'max_tokens' ? reply.lastToolName() : undefined;
        return this.completed(stopReason, cut === undefined ? undefined : toolCallCutNote(cut), false);
      }
    } catch (err) {
      // A callback of the caller threw outside a request (a tool callback, the note's onText).
      const failure = describeFailure(err, { model: this.input.request.model, modelSource: this.input.modelSource });
      this.input.logger.error(redact(`Unexpected error in a tool turn: ${errorSummary(err)}`, this.input.settings.apiKey));
      return { ...this.fields(), status: 'failed', failure: { ...failure, message: redact(failure.message, this.input.settings.apiKey) } };
    }
  }

  /** One request through `runTurn`: its own log line, its receipt. */
  private async request(): Promise<{ outcome: TurnOutcome<StepFields>; reply: ReplyAssembler }> {
    const { settings, signal } = this.input;
    const request: ArchitectRequest<RequestMessage> = { ...this.input.request, messages: this.messages };
    const params = buildMessageParams(request);
    const reply = new ReplyAssembler(this.shown, (block) => this.serverResult(block));
    const stepNumber = this.receipts.length + 1;
    let model = this.model;
    let requestId: string | undefined;
    let usage: MutableUsage = { ...ZERO_USAGE };
    let serverUse = { webSearches: 0, webFetches: 0 };
    let started = false;
    this.shown.boundary();
    const outcome = await runTurn<StepFields>({
      read: async () => {
        let stopReason: string | null = null;
        const events = streamMessageEvents(settings, params, signal, (id) => {
          requestId = id;
        });
        for await (const event of events) {
          if (event.type === 'message_start') {
            started = true;
            model = event.message.model || model;
            usage = mergeUsage(usage, event.message.usage);
          } else if (event.type === 'message_delta') {
            stopReason = event.delta.stop_reason ?? stopReason;
            usage = mergeUsage(usage, event.usage);
            const server = event.usage.server_tool_use;
            if (server) {
              serverUse = { webSearches: server.web_search_requests ?? 0, webFetches: server.web_fetch_requests ?? 0 };
            }
          }
          reply.accept(event);
        }
        return { usage, stopReason };
      },
      fields: (durationMs) => ({ model, requestId, durationMs, textChars: reply.textChars, calls: reply.callCount }),
      failureContext: { model: this.input.request.model, modelSource: this.input.modelSource },
      logger: this.input.logger,
      logFields: (result) => ({
        asked: [
          `Tool turn step ${stepNumber}/${this.maxSteps}:`,
          `model=${result.model}`,
          `request=${requestSize(request)}`,
        ],
        received: `received=${result.textChars} chars, ${result.calls} tool call${result.calls === 1 ? '' : 's'}`,
        receivedIn: 'always',
      }),
      secret: settings.apiKey,
    });
    this.model = outcome.model;
    this.requestId = outcome.requestId ?? this.requestId;
    this.receipts.push({
      requestId: outcome.requestId,
      model: outcome.model,
      usage: outcome.status === 'completed' ? outcome.usage : started ? partialUsage(usage, reply.streamed) : usage,
      partial: outcome.status !== 'completed',
      outcome: outcome.status,
      stopReason: outcome.status === 'completed' ? outcome.stopReason : null,
      durationMs: outcome.durationMs,
      ...serverUse,
    });
    return { outcome, reply };
  }

  /** The assistant's blocks go back as they came; after a `pause_turn` they continue its message. */
  private addAssistant(content: ContentBlockParam[]): void {
    if (content.length === 0) {
      return;
    }
    const last = this.added[this.added.length - 1];
    if (last && last.role === 'assistant' && this.messages[this.messages.length - 1] === last) {
      const merged: BlockTurn = { role: 'assistant', content: [...last.content, ...content] };
      this.messages[this.messages.length - 1] = merged;
      this.added[this.added.length - 1] = merged;
      return;
    }
    const message: BlockTurn = { role: 'assistant', content };
    this.messages.push(message);
    this.added.push(message);
  }

  /** Runs the calls in order; their results in the same order, or `cancelled` at Stop. */
  private async runTools(calls: readonly AssembledCall[]): Promise<ContentBlockParam[] | 'cancelled'> {
    const results: ContentBlockParam[] = [];
    for (const assembled of calls) {
      const { signal } = this.input;
      if (signal.aborted) {
        return 'cancelled';
      }
      const call: ToolCall = { id: assembled.id, name: assembled.name, input: assembled.valid ? assembled.input : assembled.raw };
      this.input.onToolCall?.(call);
      const result = assembled.valid ? await this.execute(call) : invalidInputResult(assembled.name, assembled.raw);
      if (result === 'cancelled') {
        return 'cancelled';
      }
      this.steps.push({ id: call.id, name: call.name, input: call.input, isError: result.isError, server: false });
      this.input.onToolResult?.(call, result);
      results.push({
        type: 'tool_result',
        tool_use_id: call.id,
        // The API rejects an error result without content; an empty success says nothing either.
        content: result.content === '' ? '(no output)' : result.content,
        ...(result.isError ? { is_error: true } : {}),
      });
    }
    return results;
  }

  /** `executeTool`, abandoned at Stop (the tool has the signal and should stop soon). */
  private async execute(call: ToolCall): Promise<ToolResult | 'cancelled'> {
    const { signal, executeTool } = this.input;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<'cancelled'>((resolve) => {
      onAbort = () => resolve('cancelled');
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const running = Promise.resolve()
      .then(() => executeTool(call, signal))
      .then(
        (result): ToolResult | 'cancelled' => (signal.aborted ? 'cancelled' : result),
        (err: unknown): ToolResult | 'cancelled' => {
          if (signal.aborted) {
            return 'cancelled';
          }
          this.input.logger.warn(redact(`Tool ${call.name} threw instead of returning an error result: ${errorSummary(err)}`, this.input.settings.apiKey));
          return { content: `The tool failed: ${err instanceof Error ? err.message : String(err)}`, isError: true };
        },
      );
    try {
      return await Promise.race([running, stopped]);
    } finally {
      if (onAbort) {
        signal.removeEventListener('abort', onAbort);
      }
    }
  }

  /** A server tool's result block arrived: report it with the call it answers. */
  private serverResult(block: StreamedBlock): void {
    if (block.type === 'server_tool_use') {
      this.serverCalls.set(String(block.id), { name: String(block.name), input: block.input });
      return;
    }
    const id = String(block.tool_use_id);
    const call = this.serverCalls.get(id);
    this.serverCalls.delete(id);
    const event = serverToolEvent(id, call?.input, block);
    if (!event) {
      return;
    }
    this.steps.push({ id, name: call?.name ?? (event.kind === 'search' ? 'web_search' : 'web_fetch'), input: call?.input, isError: event.error !== undefined, server: true });
    this.input.onServerTool?.(event);
  }

  private completed(stopReason: string | null, note: string | undefined, stepLimitReached: boolean): ToolLoopResult {
    if (note !== undefined) {
      this.shown.end(noteMarkdown(this.shown.text, note));
    }
    const fields = this.fields();
    return { ...fields, note, stepLimitReached, status: 'completed', stopReason };
  }

  private fields(): ToolLoopFields {
    return {
      model: this.model,
      requestId: this.requestId,
      durationMs: Date.now() - this.startedAt,
      text: this.shown.text,
      usage: this.receipts.reduce((sum, r) => addUsage(sum, r.usage), ZERO_USAGE),
      requests: [...this.receipts],
      steps: [...this.steps],
      stepLimitReached: false,
      messages: withoutUnansweredCalls(this.added),
    };
  }

  /** One line for the whole turn, when the request lines alone would not tell how it went. */
  logTurn(result: ToolLoopResult): void {
    if (this.receipts.length <= 1 && !this.endedDuringTool) {
      return;
    }
    const u = result.usage;
    const failed = result.steps.filter((s) => s.isError).length;
    this.input.logger.info(
      redact(
        [
          'Tool turn:',
          `model=${result.model}`,
          `requests=${result.requests.length}`,
          `tools=${result.steps.length}${failed > 0 ? ` (${failed} failed)` : ''}`,
          `duration=${result.durationMs} ms`,
          `outcome=${result.status}${this.endedDuringTool ? ' during a tool' : ''}${result.stepLimitReached ? ' (step limit)' : ''}`,
          `received=${result.text.length} chars`,
          `usage in=${u.inputTokens} out=${u.outputTokens} cacheRead=${u.cacheReadTokens} cacheWrite=${u.cacheWriteTokens}`,
        ].join(' '),
        this.input.settings.apiKey,
      ),
    );
  }
}

/**
 * `messages` without the calls of their last assistant message, which will never be answered
 * (the turn ended there) and would make the messages invalid to send back.
 */
function withoutUnansweredCalls(messages: readonly BlockTurn[]): BlockTurn[] {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant') {
    return [...messages];
  }
  const answered = new Set(last.content.flatMap((b) => (isServerResult(b) ? [b.tool_use_id] : [])));
  const content = last.content.filter((b) => b.type !== 'tool_use' && (b.type !== 'server_tool_use' || answered.has(b.id)));
  return [...messages.slice(0, -1), ...(content.length > 0 ? [{ role: 'assistant' as const, content }] : [])];
}

/** The log line's part of one request: sizes only, never content. */
function requestSize(request: ArchitectRequest<RequestMessage>): string {
  const chars = request.messages.reduce(
    (sum, m) => sum + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length),
    0,
  );
  const n = request.messages.length;
  return `${request.system.length + chars} chars (system ${request.system.length}, ${n} message${n === 1 ? '' : 's'} ${chars}, ${request.tools?.length ?? 0} tools)`;
}

interface StepFields extends TurnFields {
  readonly textChars: number;
  readonly calls: number;
}
