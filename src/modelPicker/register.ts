/**
 * Registers the Claude models with VS Code's model picker (the stable Language Model Chat
 * Provider API, `contributes.languageModelChatProviders`). With them, builds without Copilot
 * (code-server, VSCodium, Code - OSS) have a model in the Chat view, so `@lingualeap` can run.
 *
 * Listing the models needs only their metadata (`models.ts`) and whether a key is set, so they
 * are in the picker from startup; the provider that answers (`provider.ts`, with the SDK) loads
 * with the first request or token count.
 */
import * as vscode from 'vscode';
import { COMMANDS, MODEL_VENDOR } from '../contributes/ids';
import type { ApiKeyStore } from '../host/apiKey';
import { claudeModels, type ClaudeModelInformation } from './models';
import type { ClaudeChatModelProvider } from './provider';

export function registerClaudeModels(
  context: vscode.ExtensionContext,
  keys: ApiKeyStore,
  log: vscode.LogOutputChannel,
  load: () => Promise<ClaudeChatModelProvider>,
): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.LanguageModelChatProvider<ClaudeModelInformation> = {
    onDidChangeLanguageModelChatInformation: changed.event,
    async provideLanguageModelChatInformation(options) {
      let hasKey = (await keys.get()) !== undefined;
      if (!hasKey && !options.silent) {
        // The user chose this vendor in "Manage Models": the moment to ask for the key.
        hasKey = (await vscode.commands.executeCommand<boolean | undefined>(COMMANDS.setApiKey)) === true;
      }
      return claudeModels(hasKey);
    },
    provideLanguageModelChatResponse: async (model, messages, options, progress, token) =>
      (await load()).provideLanguageModelChatResponse(model, messages, options, progress, token),
    provideTokenCount: async (model, text, token) => (await load()).provideTokenCount(model, text, token),
  };
  context.subscriptions.push(
    changed,
    vscode.lm.registerLanguageModelChatProvider(MODEL_VENDOR, provider),
    // The model details say whether a key is needed: list again when it is set or cleared.
    context.secrets.onDidChange(() => changed.fire()),
  );
  // The editor resolves providers lazily; asking once puts the models in the Chat view's
  // picker now. Silent: it reads the key's presence, sends nothing.
  void vscode.lm.selectChatModels({ vendor: MODEL_VENDOR }).then(
    (models) => log.info(`${models.length} Claude models are in the model picker.`),
    (err: unknown) => log.warn(`The Claude models could not be listed: ${err instanceof Error ? err.message : String(err)}`),
  );
}
