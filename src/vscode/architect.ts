/**
 * The architect as the editor sees it: the agent, the model, the key and the endpoint
 * brought together for one question. The panel and the chat participant both ask through
 * this, so request building, streaming, error mapping and logging exist once.
 */
import type * as vscode from 'vscode';
import type { AgentDefinition } from '../agent/parse';
import { describeModelSource, resolveModel, type ResolvedModel } from '../agent/models';
import { describeFailure, MissingApiKeyError } from '../llm/errors';
import { runArchitectTurn, type TurnResult } from '../llm/pipeline';
import type { ChatTurn } from '../llm/types';
import type { CodeContext } from '../prompt/context';
import { buildArchitectRequest } from '../prompt/request';
import type { AgentStore } from './agentStore';
import type { ApiKeyStore } from './apiKey';
import { readConfig } from './config';

export interface AskInput {
  readonly question: string;
  readonly contexts: readonly CodeContext[];
  /** Earlier turns of the same conversation, oldest first. */
  readonly history: readonly ChatTurn[];
  readonly signal: AbortSignal;
  readonly onText: (text: string) => void;
}

export class Architect {
  constructor(
    private readonly agents: AgentStore,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The agent and the model a question would go to now. */
  async describe(): Promise<{ agent: AgentDefinition; model: ResolvedModel }> {
    const agent = await this.agents.get();
    return { agent, model: resolveModel(agent.model, readConfig().modelOverride) };
  }

  /** Asks one question and streams the answer to `onText`. Never throws. */
  async ask(input: AskInput): Promise<TurnResult> {
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
    const config = readConfig();
    const modelContext = { model: model.id, modelSource: describeModelSource(model, agent.source) };
    const apiKey = await this.keys.get();
    if (!apiKey) {
      const failure = describeFailure(new MissingApiKeyError(), modelContext);
      this.log.warn(`No request sent: ${failure.message}`);
      return { status: 'failed', text: '', model: model.id, durationMs: 0, failure };
    }
    const request = buildArchitectRequest({
      agent,
      model: model.id,
      maxTokens: config.maxTokens,
      question: input.question,
      contexts: input.contexts,
      history: input.history,
    });
    return runArchitectTurn({
      settings: { apiKey, baseUrl: config.baseUrl },
      request,
      signal: input.signal,
      onText: input.onText,
      logger: this.log,
      modelSource: modelContext.modelSource,
    });
  }
}
