/**
 * The architect as the editor sees it: the agent, the model, the key and the endpoint
 * brought together for one question. The panel and the chat participant both ask through
 * this, so request building, streaming, error mapping and logging exist once.
 */
import type * as vscode from 'vscode';
import type { AgentDefinition } from '../agent/parse';
import { describeModelSource, resolveModel, type ResolvedModel } from '../agent/models';
import { describeFailure, MissingApiKeyError } from '../llm/errors';
import { anthropicReplies, runArchitectTurn, type ReplySource, type TurnResult } from '../llm/pipeline';
import type { ArchitectRequest, ChatTurn } from '../llm/types';
import type { CodeContext } from '../prompt/context';
import { buildArchitectRequest } from '../prompt/request';
import type { AgentStore } from './agentStore';
import type { ApiKeyStore } from './apiKey';
import { readConfig } from './config';
import type { RestrictedModeNotice } from './restrictedMode';

export interface AskInput {
  readonly question: string;
  readonly contexts: readonly CodeContext[];
  /** Earlier turns of the same conversation, oldest first. */
  readonly history: readonly ChatTurn[];
  readonly signal: AbortSignal;
  readonly onText: (text: string) => void;
}

/** How to answer, when not with the agent's model through the Anthropic API. */
export interface AskRoute {
  /** A Claude model id to use instead of the agent's (a Claude model picked in the chat). */
  readonly modelId?: string;
  /** Another source of replies (a model the chat selected), with the same request. */
  readonly replies?: (request: ArchitectRequest) => ReplySource;
}

export class Architect {
  constructor(
    private readonly agents: AgentStore,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly restricted?: Pick<RestrictedModeNotice, 'noteIfIgnoring'>,
  ) {}

  /** The agent and the model a question would go to now. */
  async describe(): Promise<{ agent: AgentDefinition; model: ResolvedModel }> {
    const agent = await this.agents.get();
    return { agent, model: resolveModel(agent.model, readConfig().modelOverride) };
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
    const config = readConfig();
    const modelContext = { model: model.id, modelSource: describeModelSource(model, agent.source) };
    const request = buildArchitectRequest({
      agent,
      model: model.id,
      maxTokens: config.maxTokens,
      question: input.question,
      contexts: input.contexts,
      history: input.history,
    });
    let source: ReplySource;
    if (route.replies) {
      source = route.replies(request);
    } else {
      const apiKey = await this.keys.get();
      if (!apiKey) {
        const failure = describeFailure(new MissingApiKeyError(), modelContext);
        this.log.warn(`No request sent: ${failure.message}`);
        return { status: 'failed', text: '', model: model.id, durationMs: 0, failure };
      }
      source = anthropicReplies({
        apiKey,
        baseUrl: config.baseUrl,
        maxRetries: config.maxRetries,
        idleTimeoutMs: config.idleTimeoutMs,
      });
    }
    return runArchitectTurn({
      source,
      request,
      signal: input.signal,
      onText: input.onText,
      logger: this.log,
      modelSource: modelContext.modelSource,
    });
  }
}
