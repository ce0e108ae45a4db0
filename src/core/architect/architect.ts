/**
 * The architect: the agent, the model, the key and the endpoint brought together for one
 * question. The panel and the chat participant both ask through this, so request building,
 * budgeting, streaming, error mapping and logging exist once. Pure: the editor's services come
 * in as the small interfaces below, so it runs in node:test against the fake API.
 */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../shared/format';
import { agentDisplayName } from '../agent/display';
import type { AgentDefinition } from '../agent/parse';
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW, describeModelSource, resolveModel, type ResolvedModel } from '../agent/models';
import { countRequestTokens } from '../llm/count';
import { describeFailure, isCancellation, MissingApiKeyError } from '../llm/errors';
import { anthropicReplies, runArchitectTurn, type ReplySource, type TurnResult } from '../llm/pipeline';
import type { LlmLogger } from '../llm/turn';
import type { ArchitectRequest, ChatTurn, ConnectionSettings } from '../llm/types';
import { fitRequest, inputBudget, type FittedRequest } from '../prompt/budget';
import type { CodeContext } from '../prompt/context';
import { estimateTokens } from '../prompt/tokens';
import { isBilled, runToolLoop, type ServerToolEvent, type ToolCall, type ToolLoopResult, type ToolResult } from '../llm/toolLoop';
import { grantTools, runTool, toolDefinitions, type ToolFileRef, type ToolHost, type ToolName, type ToolOutcome, type ToolSession } from '../tools';
import { codeLabels, omittedParts, questionEstimate, touchedFiles, type AnswerReceipt, type QuestionEstimate } from '../usage/answer';
import type { PreviousRequest } from '../usage/estimate';
import { usageRows, type UsageRow } from '../usage/ledger';
import { receiptMarkdown, receiptOf, type BilledTo } from '../usage/receipt';

/** What the answer's tools do, as it happens, for the panel and the Chat view to show. */
export type StepEvent =
  /** A client tool call is about to run (`id` is the `tool_use` id). */
  | { readonly kind: 'started'; readonly id: string; readonly tool: string; readonly input: unknown }
  /** It ended; `outcome.todos` is the plan for TodoWrite. */
  | { readonly kind: 'finished'; readonly id: string; readonly tool: string; readonly input: unknown; readonly outcome: ToolOutcome }
  /** A web search or fetch that Anthropic ran, with its URLs. */
  | { readonly kind: 'server'; readonly event: ServerToolEvent };

export interface AskInput {
  /** The agent that answers; the default agent (`lingualeap.agent`, else the architect) when absent. */
  readonly agent?: AgentDefinition;
  readonly question: string;
  readonly contexts: readonly CodeContext[];
  /** Earlier turns of the same conversation, oldest first. */
  readonly history: readonly ChatTurn[];
  readonly signal: AbortSignal;
  readonly onText: (text: string) => void;
  /**
   * Code an earlier question in `history` carries and this one relies on; it goes with this
   * question if that earlier one is left out to fit the context window.
   */
  readonly carriedContexts?: readonly CodeContext[];
  /**
   * Called before the request goes out when part of it was left out or cut to fit the model's
   * context window; `fit.notice` says what, for the user.
   */
  readonly onFit?: (fit: FittedRequest) => void;
  /** Commands the user allowed for this conversation; a new one per conversation. */
  readonly toolSession?: ToolSession;
  /** Each tool step as it starts and ends. */
  readonly onStep?: (event: StepEvent) => void;
  /**
   * Once per answer, before it starts: the tools the agent file names that this extension does
   * not have (Edit, Write, mcp__…, typos), so they are shown, never silently dropped.
   */
  readonly onUnavailableTools?: (names: readonly string[]) => void;
  /** The conversation's previous request, for the share of the prompt the cache should hold. */
  readonly previous?: PreviousRequest;
  /** "Send Anyway": the monthly budget does not refuse this question, and it is not confirmed again. */
  readonly sendAnyway?: boolean;
}

/** What a question's price is estimated from before it is typed to the end: `AskInput` without the answer's callbacks. */
export type EstimateQuery = Pick<AskInput, 'agent' | 'question' | 'contexts' | 'history' | 'carriedContexts' | 'previous'>;

/** What the spending check sees before a question billed to the key goes out. */
export interface SpendCheck {
  /** The agent's display name. */
  readonly agent: string;
  readonly estimate: QuestionEstimate;
  /** The user already chose "Send Anyway" for this question. */
  readonly sendAnyway: boolean;
  /** Stop while a dialog is open. */
  readonly signal: AbortSignal;
}

/** Whether a question goes out: `refuse` says why in one sentence (the monthly budget). */
export type SpendDecision = { readonly action: 'send' } | { readonly action: 'cancel' } | { readonly action: 'refuse'; readonly message: string };

export type { AnswerReceipt } from '../usage/answer';

/**
 * How an answer ended, with its receipt when anything was billed. `notSent`: the question
 * never went out (the price confirmation was declined, or Stop while it was open).
 */
export type ArchitectResult = TurnResult & { readonly receipt?: AnswerReceipt; readonly notSent?: true };

/** How to answer, when not with the agent's model through the Anthropic API. */
export interface AskRoute {
  /** A Claude model id to use instead of the agent's (a Claude model picked in the chat). */
  readonly modelId?: string;
  /** Another source of replies (a model the chat selected), with the same request. */
  readonly replies?: (request: ArchitectRequest) => ReplySource;
  /** How many tokens the model behind `replies` reads at most (its `maxInputTokens`). */
  readonly maxInputTokens?: number;
  /**
   * The agent's tools with the model behind `replies`, through its own tool calling: given the
   * request, the client tools' definitions and what runs a call, answers the whole turn.
   */
  readonly toolTurn?: (turn: RouteToolTurn) => Promise<TurnResult>;
}

/** What a route's own tool loop gets. */
interface RouteToolTurn {
  readonly request: ArchitectRequest;
  /** Client tools only: web search and fetch run on Anthropic's side and are not offered. */
  readonly tools: readonly { readonly name: string; readonly description?: string; readonly input_schema?: object }[];
  readonly executeTool: (call: ToolCall, signal: AbortSignal) => Promise<ToolResult>;
  readonly onText: (text: string) => void;
  readonly signal: AbortSignal;
  readonly maxSteps: number;
  readonly logger: LlmLogger;
}

/** The settings a question reads, fresh each time (a change applies at once). */
export interface ArchitectSettings {
  /** `lingualeap.model`: overrides the agent's model when not empty. */
  readonly modelOverride: string;
  /** `lingualeap.baseUrl`, else `ANTHROPIC_BASE_URL`, else undefined (the SDK's default). */
  readonly baseUrl: string | undefined;
  readonly maxTokens: number;
  /** `lingualeap.maxInputTokens`: the most tokens a request may take; 0 for the model's context window. */
  readonly maxInputTokens: number;
  /** `lingualeap.maxRetries`: retries of a 429/5xx/529 (or a dropped connection) before giving up. */
  readonly maxRetries: number;
  /** `lingualeap.idleTimeoutSeconds` in milliseconds: a stream silent this long is stopped. */
  readonly idleTimeoutMs: number;
  /** `lingualeap.tools.maxSteps`: requests one answer may make while it uses tools. */
  readonly toolsMaxSteps: number;
  /** `lingualeap.tools.web`: whether WebFetch and WebSearch are declared when the agent grants them. */
  readonly toolsWeb: boolean;
}

/** What the architect needs from the editor. */
export interface ArchitectDeps {
  /** The agent that answers now (read on first use, never at activation). */
  readonly agents: { get(): Promise<AgentDefinition> };
  /** The API key: secret storage, else `ANTHROPIC_API_KEY`. */
  readonly keys: { get(): Promise<string | undefined> };
  readonly settings: () => ArchitectSettings;
  readonly log: LlmLogger;
  /** Says once what an untrusted workspace's settings and agent files are ignored for. */
  readonly restricted?: { noteIfIgnoring(): void };
  /** The workspace the tools work in, for one answer of the named agent; without it, no tools. */
  readonly tools?: (agentName: string) => ToolHost;
  /**
   * Before a question billed to the key goes out: the monthly budget and the confirmation above
   * `lingualeap.confirmAboveDollars` (the dialogs are the editor's). Without it, everything is sent.
   */
  readonly spending?: (check: SpendCheck) => Promise<SpendDecision>;
  /** Each answer's billed requests, one row each (the usage store). */
  readonly recordUsage?: (rows: readonly UsageRow[]) => void;
  /** The clock (tests). */
  readonly now?: () => number;
}

export class Architect {
  private readonly agents: ArchitectDeps['agents'];
  private readonly keys: ArchitectDeps['keys'];
  private readonly settings: ArchitectDeps['settings'];
  private readonly log: LlmLogger;
  private readonly restricted: ArchitectDeps['restricted'];
  private readonly tools: ArchitectDeps['tools'];
  private readonly spending: ArchitectDeps['spending'];
  private readonly recordUsage: ArchitectDeps['recordUsage'];
  private readonly now: () => number;

  constructor(deps: ArchitectDeps) {
    ({ agents: this.agents, keys: this.keys, settings: this.settings, log: this.log, restricted: this.restricted, tools: this.tools } = deps);
    this.spending = deps.spending;
    this.recordUsage = deps.recordUsage;
    this.now = deps.now ?? Date.now;
  }

  /**
   * What `query` would send and cost now, with the budget's token counter and no request
   * (nothing waits for the network, so it can follow typing): the input tokens by part, the
   * share the prompt cache should hold, the input price and the price of the longest answer.
   * Undefined when the agent cannot be read.
   */
  async estimate(query: EstimateQuery): Promise<QuestionEstimate | undefined> {
    const described = await this.describe(query.agent).catch(() => undefined);
    if (!described) {
      return undefined;
    }
    const { agent, model } = described;
    const config = this.settings();
    const granted = grantTools(agent.tools.length > 0 ? agent.tools : undefined);
    const tools = this.tools && granted.granted.length > 0 ? toolDefinitions(granted.granted, { web: config.toolsWeb }) : [];
    const toolTokens = tools.length > 0 ? estimateTokens(JSON.stringify(tools)) : 0;
    const fit = await fitRequest(
      { agent, model: model.id, maxTokens: config.maxTokens, question: query.question, contexts: query.contexts, history: query.history, carriedContexts: query.carriedContexts },
      { budget: anthropicBudget(model.id, config, toolTokens) },
    );
    return questionEstimate({ fit, toolTokens, billedTo: 'key', previous: query.previous, now: this.now() });
  }

  /** The agent (the given one, else the default) and the model a question would go to now. */
  async describe(agent?: AgentDefinition): Promise<{ agent: AgentDefinition; model: ResolvedModel }> {
    const chosen = agent ?? (await this.agents.get());
    return { agent: chosen, model: resolveModel(chosen.model, this.settings().modelOverride) };
  }

  /** Whether a key is stored or in the environment; the key itself stays inside. */
  async hasApiKey(): Promise<boolean> {
    return (await this.keys.get()) !== undefined;
  }

  /** Asks one question and streams the answer to `onText`. Never throws. */
  async ask(input: AskInput, route: AskRoute = {}): Promise<ArchitectResult> {
    const startedAt = this.now();
    // In an untrusted workspace, say once what is ignored (the answer does not wait for it).
    this.restricted?.noteIfIgnoring();
    let agent: AgentDefinition;
    let model: ResolvedModel;
    try {
      ({ agent, model } = await this.describe(input.agent));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`Agent not available: ${message}`);
      return {
        status: 'failed',
        text: '',
        model: '',
        durationMs: 0,
        failure: { kind: 'unknown', message: l10n.t('The architect agent could not be loaded: {0}', message), actions: ['openLog'] },
      };
    }
    if (route.modelId) {
      model = { id: route.modelId, source: 'chat' };
    }
    const config = this.settings();
    const modelContext = { model: model.id, modelSource: describeModelSource(model, agent.source) };
    let replies: (request: ArchitectRequest) => ReplySource;
    // Only the Anthropic API counts tokens; a model the chat selected is budgeted by the estimate.
    let count: ((request: ArchitectRequest) => Promise<number>) | undefined;
    let connection: ConnectionSettings | undefined;
    if (route.replies) {
      replies = route.replies;
    } else {
      const apiKey = await this.keys.get();
      if (!apiKey) {
        const failure = describeFailure(new MissingApiKeyError(), modelContext);
        this.log.warn(`No request sent: ${failure.message}`);
        return { status: 'failed', text: '', model: model.id, durationMs: 0, failure };
      }
      const settings: ConnectionSettings = { apiKey, baseUrl: config.baseUrl, maxRetries: config.maxRetries, idleTimeoutMs: config.idleTimeoutMs };
      connection = settings;
      replies = () => anthropicReplies(settings);
      count = (request) => countRequestTokens(settings, request, input.signal);
    }
    // The Anthropic path declares every granted tool; a model the chat selected gets the client tools through its own tool calling.
    const granted = grantTools(agent.tools.length > 0 ? agent.tools : undefined);
    if (granted.unavailable.length > 0) {
      this.log.info(`Agent "${agent.name}": not available here: ${granted.unavailable.join(', ')}.`);
      input.onUnavailableTools?.(granted.unavailable);
    }
    const clientTools = route.replies ? granted.granted.filter((name) => name !== 'WebFetch' && name !== 'WebSearch') : granted.granted;
    const toolHost = (!route.replies || route.toolTurn) && this.tools && clientTools.length > 0 ? this.tools(agentDisplayName(agent)) : undefined;
    const tools = toolHost ? toolDefinitions(clientTools, { web: !route.replies && config.toolsWeb }) : [];
    // The tool definitions go with every request: the budget for the conversation is what is left.
    const toolTokens = tools.length > 0 ? estimateTokens(JSON.stringify(tools)) : 0;
    const fit = await fitRequest(
      {
        agent,
        model: model.id,
        maxTokens: config.maxTokens,
        question: input.question,
        contexts: input.contexts,
        history: input.history,
        carriedContexts: input.carriedContexts,
      },
      {
        budget: route.replies
          ? inputBudget({ contextWindow: route.maxInputTokens || DEFAULT_CONTEXT_WINDOW, outputTokens: 0, maxInputTokens: config.maxInputTokens })
          : anthropicBudget(model.id, config, toolTokens),
        count,
      },
    );
    this.logFit(fit, modelContext);
    const billedTo: BilledTo = route.replies ? 'chat' : 'key';
    if (billedTo === 'key' && this.spending) {
      const estimate = questionEstimate({ fit, toolTokens, billedTo, previous: input.previous, now: this.now() });
      const stopped = await this.checkSpending({ agent: agentDisplayName(agent), estimate, sendAnyway: input.sendAnyway === true, signal: input.signal }, model.id, startedAt);
      if (stopped) {
        return stopped;
      }
    }
    if (fit.notice && !input.signal.aborted) {
      input.onFit?.(fit);
    }
    const touched: ToolFileRef[] = [];
    const result: TurnResult =
      toolHost && connection
        ? await this.runWithTools(input, { ...fit.request, tools }, connection, toolHost, granted.granted, modelContext.modelSource, config.toolsMaxSteps, touched)
        : toolHost && route.toolTurn
          ? await route.toolTurn({
              request: fit.request,
              tools: tools as RouteToolTurn['tools'],
              executeTool: this.toolExecutor(input, toolHost, clientTools, touched),
              onText: input.onText,
              signal: input.signal,
              maxSteps: config.toolsMaxSteps,
              logger: this.log,
            })
          : await runArchitectTurn({
            source: replies(fit.request),
            request: fit.request,
            signal: input.signal,
            onText: input.onText,
            logger: this.log,
            modelSource: modelContext.modelSource,
          });
    const files = touchedFiles(toolHost?.roots ?? [], touched);
    const receipt: AnswerReceipt = {
      requests: (result.requests ?? []).filter(isBilled),
      context: {
        agent: agentDisplayName(agent),
        model: model.id,
        code: codeLabels(fit.contexts),
        files: files.labels,
        durationMs: this.now() - startedAt,
        omitted: omittedParts(fit),
        billedTo,
      },
      agentName: agent.name,
      fileRefs: files.refs,
      at: this.now(),
    };
    this.record(receipt);
    return receipt.requests.length > 0 ? { ...result, receipt } : result;
  }

  /** The budget and the confirmation: undefined to send, else how the question ends unsent. */
  private async checkSpending(check: SpendCheck, model: string, startedAt: number): Promise<ArchitectResult | undefined> {
    let decision: SpendDecision;
    try {
      decision = await this.spending!(check);
    } catch (err) {
      // A broken dialog must not keep a question from being answered.
      this.log.warn(`The spending check failed, so the question is sent: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const durationMs = this.now() - startedAt;
    if (check.signal.aborted || decision.action === 'cancel') {
      this.log.info(`Not sent: ${check.signal.aborted ? 'stopped' : 'declined'} at the price confirmation (up to ${formatEstimate(check.estimate)}).`);
      return { status: 'cancelled', text: '', model, durationMs, notSent: true };
    }
    if (decision.action === 'refuse') {
      this.log.warn(`Not sent: ${decision.message}`);
      return { status: 'failed', text: '', model, durationMs, failure: { kind: 'budget', message: decision.message, actions: ['sendAnyway', 'raiseBudget'] } };
    }
    return undefined;
  }

  /** The receipt into the usage store and the log (numbers, names and paths: never code or questions). */
  private record(receipt: AnswerReceipt): void {
    if (receipt.requests.length === 0) {
      return;
    }
    try {
      this.recordUsage?.(usageRows(receipt.requests, { at: receipt.at, agent: receipt.agentName, billedTo: receipt.context.billedTo }));
    } catch (err) {
      this.log.warn(`Could not record usage: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.log.info(`Receipt\n${receiptMarkdown(receiptOf(receipt.requests), receipt.context)}`);
  }

  /**
   * The agent loop: Claude calls the granted tools, they run in the workspace, the results go
   * back, until it ends its turn, the step limit or Stop.
   */
  private runWithTools(
    input: AskInput,
    request: ArchitectRequest,
    connection: ConnectionSettings,
    host: ToolHost,
    granted: readonly ToolName[],
    modelSource: string,
    maxSteps: number,
    touched: ToolFileRef[],
  ): Promise<ToolLoopResult> {
    return runToolLoop({
      settings: connection,
      request,
      signal: input.signal,
      maxSteps,
      onText: input.onText,
      logger: this.log,
      modelSource,
      onServerTool: (event) => input.onStep?.({ kind: 'server', event }),
      executeTool: this.toolExecutor(input, host, granted, touched),
    });
  }

  /** Runs one tool call of the model: only what the agent grants, with the step shown as it starts and ends. */
  private toolExecutor(
    input: AskInput,
    host: ToolHost,
    granted: readonly ToolName[],
    touched: ToolFileRef[],
  ): (call: ToolCall, signal: AbortSignal) => Promise<ToolResult> {
    const session = input.toolSession ?? { allowedCommands: new Set<string>() };
    const allowed = new Set<string>(granted);
    return async (call, signal) => {
      input.onStep?.({ kind: 'started', id: call.id, tool: call.name, input: call.input });
      // Only what the agent grants runs, whatever the model asks for.
      const outcome: ToolOutcome = allowed.has(call.name)
        ? await runTool(call.name, call.input, host, session, signal)
        : {
            // The content goes to the model (English); the summary is the step's title.
            content: `The tool "${call.name}" is not one this agent may use.`,
            isError: true,
            summary: l10n.t('{0} · not granted', call.name),
            files: [],
          };
      touched.push(...outcome.files);
      input.onStep?.({ kind: 'finished', id: call.id, tool: call.name, input: call.input, outcome });
      return { content: outcome.content, isError: outcome.isError };
    };
  }

  /** What budgeting did, in one line: sizes only, never the code or the question. */
  private logFit(fit: FittedRequest, modelContext: { model: string; modelSource: string }): void {
    if (fit.countError !== undefined && !isCancellation(fit.countError)) {
      this.log.warn(`Token count failed, so the estimate decides: ${describeFailure(fit.countError, modelContext).message}`);
    }
    const limit = `${fit.budget.tokens}-token budget (${fit.budget.limitedBy === 'setting' ? 'lingualeap.maxInputTokens' : "the model's context window"})`;
    const size = `estimate=${fit.estimatedTokens}${fit.countedTokens !== undefined ? ` counted=${fit.countedTokens}` : ''}`;
    if (!fit.notice) {
      if (fit.countedTokens !== undefined) {
        this.log.info(`Request within the ${limit}: ${size}.`);
      }
      return;
    }
    const cut = fit.cutCode.map((c) => (c.sentLines === 0 ? 'code left out' : `code cut to ${c.sentLines} of ${c.totalLines} lines`));
    const parts = [
      `left out ${fit.droppedTurns} earlier question${fit.droppedTurns === 1 ? '' : 's'} and answer${fit.droppedTurns === 1 ? '' : 's'}`,
      ...cut,
      ...(fit.movedCode ? ['earlier code moved to the new question'] : []),
    ];
    const line = `Request over the ${limit}: ${size}; ${parts.join(', ')}; now ${fit.tokens} tokens${fit.overBudget ? ', still over' : ''}.`;
    if (fit.overBudget) {
      this.log.warn(line);
    } else {
      this.log.info(line);
    }
  }
}

/** The input budget of a request to the Anthropic API: the tool definitions go with every request. */
function anthropicBudget(model: string, config: ArchitectSettings, toolTokens: number): ReturnType<typeof inputBudget> {
  return inputBudget({
    contextWindow: contextWindowOf(model) - toolTokens,
    outputTokens: config.maxTokens,
    maxInputTokens: config.maxInputTokens > 0 ? Math.max(1, config.maxInputTokens - toolTokens) : 0,
  });
}

/** "$0.0123 (14,210 tokens in)" for a log line. */
function formatEstimate(estimate: QuestionEstimate): string {
  return `${formatCost(estimate.cost?.total)} (${estimate.inputTokens.toLocaleString('en-US')} tokens in)`;
}
