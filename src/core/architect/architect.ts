/**
 * The architect: the agent, the model, the key and the endpoint brought together for one
 * question. The panel and the chat participant both ask through this, so request building,
 * budgeting, streaming, error mapping and logging exist once. Pure: the editor's services come
 * in as the small interfaces below, so it runs in node:test against the fake API.
 */
import type { AgentDefinition } from '../agent/parse';
import { contextWindowOf, DEFAULT_CONTEXT_WINDOW, describeModelSource, resolveModel, type ResolvedModel } from '../agent/models';
import { countRequestTokens } from '../llm/count';
import { describeFailure, isCancellation, MissingApiKeyError } from '../llm/errors';
import { anthropicReplies, runArchitectTurn, type ReplySource, type TurnResult } from '../llm/pipeline';
import type { LlmLogger } from '../llm/turn';
import type { ArchitectRequest, ChatTurn, ConnectionSettings } from '../llm/types';
import { fitRequest, inputBudget, type FittedRequest } from '../prompt/budget';
import type { CodeContext } from '../prompt/context';

export interface AskInput {
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
}

/** How to answer, when not with the agent's model through the Anthropic API. */
export interface AskRoute {
  /** A Claude model id to use instead of the agent's (a Claude model picked in the chat). */
  readonly modelId?: string;
  /** Another source of replies (a model the chat selected), with the same request. */
  readonly replies?: (request: ArchitectRequest) => ReplySource;
  /** How many tokens the model behind `replies` reads at most (its `maxInputTokens`). */
  readonly maxInputTokens?: number;
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
}

export class Architect {
  private readonly agents: ArchitectDeps['agents'];
  private readonly keys: ArchitectDeps['keys'];
  private readonly settings: ArchitectDeps['settings'];
  private readonly log: LlmLogger;
  private readonly restricted: ArchitectDeps['restricted'];

  constructor(deps: ArchitectDeps) {
    ({ agents: this.agents, keys: this.keys, settings: this.settings, log: this.log, restricted: this.restricted } = deps);
  }

  /** The agent and the model a question would go to now. */
  async describe(): Promise<{ agent: AgentDefinition; model: ResolvedModel }> {
    const agent = await this.agents.get();
    return { agent, model: resolveModel(agent.model, this.settings().modelOverride) };
  }

  /** Whether a key is stored or in the environment; the key itself stays inside. */
  async hasApiKey(): Promise<boolean> {
    return (await this.keys.get()) !== undefined;
  }

  /** Asks one question and streams the answer to `onText`. Never throws. */
  async ask(input: AskInput, route: AskRoute = {}): Promise<TurnResult> {
    // In an untrusted workspace, say once what is ignored (the answer does not wait for it).
    this.restricted?.noteIfIgnoring();
    let agent: AgentDefinition;
    let model: ResolvedModel;
    try {
      ({ agent, model } = await this.describe());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`Agent not available: ${message}`);
      return {
        status: 'failed',
        text: '',
        model: '',
        durationMs: 0,
        failure: { kind: 'unknown', message: `The architect agent could not be loaded: ${message}`, actions: ['openLog'] },
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
    if (route.replies) {
      replies = route.replies;
    } else {
      const apiKey = await this.keys.get();
      if (!apiKey) {
        const failure = describeFailure(new MissingApiKeyError(), modelContext);
        this.log.warn(`No request sent: ${failure.message}`);
        return { status: 'failed', text: '', model: model.id, durationMs: 0, failure };
      }
      const connection: ConnectionSettings = { apiKey, baseUrl: config.baseUrl, maxRetries: config.maxRetries, idleTimeoutMs: config.idleTimeoutMs };
      replies = () => anthropicReplies(connection);
      count = (request) => countRequestTokens(connection, request, input.signal);
    }
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
        budget: inputBudget(
          route.replies
            ? { contextWindow: route.maxInputTokens || DEFAULT_CONTEXT_WINDOW, outputTokens: 0, maxInputTokens: config.maxInputTokens }
            : { contextWindow: contextWindowOf(model.id), outputTokens: config.maxTokens, maxInputTokens: config.maxInputTokens },
        ),
        count,
      },
    );
    this.logFit(fit, modelContext);
    if (fit.notice && !input.signal.aborted) {
      input.onFit?.(fit);
    }
    return runArchitectTurn({
      source: replies(fit.request),
      request: fit.request,
      signal: input.signal,
      onText: input.onText,
      logger: this.log,
      modelSource: modelContext.modelSource,
    });
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
