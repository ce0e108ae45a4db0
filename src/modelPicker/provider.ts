/**
 * Claude in VS Code's model picker: a `LanguageModelChatProvider` backed by the user's
 * Anthropic key and base URL. A thin adapter: editor parts in and out, cancellation bridged
 * to an AbortController, failures turned into `LanguageModelError`s; the translation and the
 * streaming are the pure `src/llm/lm*.ts`.
 *
 * Only types come from `vscode` here; the few runtime classes arrive as `api`, so the unit
 * tests run this very class against the fake Anthropic server without an editor.
 */
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import { describeFailure, MissingApiKeyError } from '../core/llm/errors';
import { claudeModels, type ClaudeModelInformation } from './models';
import type { LmDataPart, LmMessage, LmPart, LmResponsePart, LmTextPart } from './messages';
import { runLmTurn, TokenCounter } from './stream';
import type { LlmLogger } from '../core/llm/turn';
import type { ConnectionSettings, LlmFailure } from '../core/llm/types';

/**
 * `max_tokens` of a request unless the caller's `modelOptions` say otherwise: room for a
 * long answer or a large file edit, without reserving the whole output limit every time.
 */
const REQUEST_MAX_TOKENS = 16_384;

/** The runtime pieces of the `vscode` API the provider uses: `vscode` itself in the editor. */
export type LmEditorApi = Pick<
  typeof vscode,
  | 'EventEmitter'
  | 'LanguageModelChatMessageRole'
  | 'LanguageModelChatToolMode'
  | 'LanguageModelError'
  | 'LanguageModelPromptTsxPart'
  | 'LanguageModelTextPart'
  | 'LanguageModelToolCallPart'
  | 'LanguageModelToolResultPart'
>;

export interface ClaudeModelsDeps {
  readonly api: LmEditorApi;
  /** The key (SecretStorage, else `ANTHROPIC_API_KEY`) and base URL, read at each request. */
  /** The key (undefined when none is set), endpoint, retries and idle timeout, read per request. */
  readonly connection: () => Promise<Omit<ConnectionSettings, 'apiKey'> & { readonly apiKey: string | undefined }>;
  /** Asks for a key (the `lingualeap.setApiKey` command); resolves true once one is stored. */
  readonly promptForKey: () => Promise<boolean>;
  readonly log: LlmLogger;
}

/**
 * The provider. Lists the models even without a key, so the Chat view has a model and
 * `@lingualeap` can be reached (it explains a missing key itself); a request without a key
 * fails with the sentence that says how to set one.
 */
export class ClaudeChatModelProvider implements vscode.LanguageModelChatProvider<ClaudeModelInformation>, vscode.Disposable {
  private readonly changed: vscode.EventEmitter<void>;
  readonly onDidChangeLanguageModelChatInformation: vscode.Event<void>;
  private readonly tokens: TokenCounter;

  constructor(private readonly deps: ClaudeModelsDeps) {
    this.changed = new deps.api.EventEmitter<void>();
    this.onDidChangeLanguageModelChatInformation = this.changed.event;
    this.tokens = new TokenCounter({
      onFallback: (err, model) =>
        deps.log.warn(`Token counting falls back to an estimate for a minute: ${describeFailure(err, { model }).message}`),
    });
  }

  /** Asks the editor to list the models again, e.g. after the key changed. */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideLanguageModelChatInformation(
    options: vscode.PrepareLanguageModelChatModelOptions,
    _token: vscode.CancellationToken,
  ): Promise<ClaudeModelInformation[]> {
    let { apiKey } = await this.deps.connection();
    if (!apiKey && !options.silent) {
      // The user chose this vendor in "Manage Models": the moment to ask for the key.
      if (await this.deps.promptForKey()) {
        ({ apiKey } = await this.deps.connection());
      }
    }
    return claudeModels(Boolean(apiKey));
  }

  async provideLanguageModelChatResponse(
    model: ClaudeModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const settings = await this.settings();
    if (!settings) {
      const failure = describeFailure(new MissingApiKeyError(), { model: model.id });
      this.deps.log.warn(`Model picker request not sent: ${failure.message}`);
      throw this.toError(failure);
    }
    if (token.isCancellationRequested) {
      return;
    }
    const { api } = this.deps;
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await runLmTurn({
        settings,
        request: {
          model: model.id,
          messages: messages.map((m) => this.toLmMessage(m)),
          maxTokens: requestMaxTokens(options.modelOptions, model.maxOutputTokens),
          tools: options.tools?.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
          toolMode: options.toolMode === api.LanguageModelChatToolMode.Required ? 'required' : 'auto',
        },
        signal: controller.signal,
        onPart: (part) => progress.report(this.toEditorPart(part)),
        logger: this.deps.log,
        modelSource: l10n.t({
          message: 'whether your API key, or the `lingualeap.baseUrl` gateway, offers it',
          comment: ['Ends the sentence "The model “{0}” was not found; check …": what to check'],
        }),
      });
      // Stop is not an error: the editor keeps what arrived.
      if (result.status === 'failed') {
        throw this.toError(result.failure);
      }
    } finally {
      cancellation.dispose();
    }
  }

  async provideTokenCount(
    model: ClaudeModelInformation,
    text: string | vscode.LanguageModelChatRequestMessage,
    token: vscode.CancellationToken,
  ): Promise<number> {
    const settings = await this.settings();
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      const input = typeof text === 'string' ? text : this.toLmMessage(text);
      return await this.tokens.count(settings, model.id, input, controller.signal);
    } finally {
      cancellation.dispose();
    }
  }

  private async settings(): Promise<ConnectionSettings | undefined> {
    const { apiKey, ...rest } = await this.deps.connection();
    return apiKey ? { ...rest, apiKey } : undefined;
  }

  /** One sentence from `describeFailure`, as the `LanguageModelError` a caller can tell apart. */
  private toError(failure: LlmFailure): vscode.LanguageModelError {
    const { LanguageModelError } = this.deps.api;
    switch (failure.kind) {
      case 'noKey':
      case 'auth':
      case 'permission':
        return LanguageModelError.NoPermissions(failure.message);
      case 'notFound':
        return LanguageModelError.NotFound(failure.message);
      case 'rateLimit':
        return LanguageModelError.Blocked(failure.message);
      default:
        return new LanguageModelError(failure.message);
    }
  }

  private toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
    const { LanguageModelChatMessageRole: Role } = this.deps.api;
    const role = message.role === Role.User ? 'user' : message.role === Role.Assistant ? 'assistant' : 'system';
    return { role, content: message.content.flatMap((part) => this.toLmPart(part)) };
  }

  /** Text, tool calls, tool results and data parts; anything else (e.g. thinking) is left out. */
  private toLmPart(part: unknown): LmPart[] {
    const { api } = this.deps;
    if (part instanceof api.LanguageModelTextPart) {
      return [{ kind: 'text', text: part.value }];
    }
    if (part instanceof api.LanguageModelToolCallPart) {
      return [{ kind: 'toolCall', callId: part.callId, name: part.name, input: part.input }];
    }
    if (part instanceof api.LanguageModelToolResultPart) {
      return [{ kind: 'toolResult', callId: part.callId, content: part.content.flatMap((c) => this.toResultItem(c)) }];
    }
    const data = asDataPart(part);
    return data ? [data] : [];
  }

  private toResultItem(item: unknown): (LmTextPart | LmDataPart)[] {
    const { api } = this.deps;
    if (item instanceof api.LanguageModelTextPart) {
      return [{ kind: 'text', text: item.value }];
    }
    if (item instanceof api.LanguageModelPromptTsxPart) {
      return [{ kind: 'text', text: promptTsxText(item.value) }];
    }
    const data = asDataPart(item);
    return data ? [data] : [];
  }

  private toEditorPart(part: LmResponsePart): vscode.LanguageModelResponsePart {
    const { api } = this.deps;
    return part.kind === 'text'
      ? new api.LanguageModelTextPart(part.text)
      : new api.LanguageModelToolCallPart(part.callId, part.name, part.input);
  }
}

/** `max_tokens` from the caller's `modelOptions` (`max_tokens` or `maxTokens`), within the model's limit. */
function requestMaxTokens(modelOptions: { readonly [name: string]: unknown } | undefined, limit: number): number {
  const asked = modelOptions?.max_tokens ?? modelOptions?.maxTokens;
  return typeof asked === 'number' && Number.isInteger(asked) && asked > 0 ? Math.min(asked, limit) : Math.min(REQUEST_MAX_TOKENS, limit);
}

/**
 * `LanguageModelDataPart` is not in the 1.104 typings, but editors send it for attached
 * images: recognised by shape.
 */
function asDataPart(part: unknown): LmDataPart | undefined {
  if (typeof part !== 'object' || part === null) {
    return undefined;
  }
  const { mimeType, data } = part as { mimeType?: unknown; data?: unknown };
  return typeof mimeType === 'string' && data instanceof Uint8Array ? { kind: 'data', mimeType, data } : undefined;
}

/** The text pieces of a `@vscode/prompt-tsx` element tree, in order. */
function promptTsxText(value: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || typeof node !== 'object' || node === null) {
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((child) => walk(child, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'text' && typeof child === 'string') {
        texts.push(child);
      } else {
        walk(child, depth + 1);
      }
    }
  };
  walk(value, 0);
  return texts.join('');
}
