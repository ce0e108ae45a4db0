/**
 * Registers the Claude models with VS Code's model picker (the stable Language Model Chat
 * Provider API, `contributes.languageModelChatProviders`). With them, builds without Copilot
 * (code-server, VSCodium, Code - OSS) have a model in the Chat view, so `@lingualeap` can run.
 */
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../host/apiKey';
import { readConfig } from '../host/settings';
import { COMMANDS, MODEL_VENDOR } from '../contributes/ids';
import { ClaudeChatModelProvider } from './provider';

export function registerClaudeModels(context: vscode.ExtensionContext, keys: ApiKeyStore, log: vscode.LogOutputChannel): void {
  const provider = new ClaudeChatModelProvider({
    api: vscode,
    connection: async () => {
      const { baseUrl, maxRetries, idleTimeoutMs } = readConfig();
      return { apiKey: await keys.get(), baseUrl, maxRetries, idleTimeoutMs };
    },
    promptForKey: async () => (await vscode.commands.executeCommand<boolean | undefined>(COMMANDS.setApiKey)) === true,
    log,
  });
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(MODEL_VENDOR, provider),
    // The model details say whether a key is needed: list again when it is set or cleared.
    context.secrets.onDidChange(() => provider.refresh()),
  );
  // The editor resolves providers lazily; asking once puts the models in the Chat view's
  // picker now. Silent: it reads the key's presence, sends nothing.
  void vscode.lm.selectChatModels({ vendor: MODEL_VENDOR }).then(
    (models) => log.info(`${models.length} Claude models are in the model picker.`),
    (err: unknown) => log.warn(`The Claude models could not be listed: ${err instanceof Error ? err.message : String(err)}`),
  );
}
