/**
 * Set and Clear Anthropic API Key. The key goes to secret storage and nowhere else.
 */
import * as vscode from 'vscode';
import { resetClientCache } from '../core/llm/client';
import type { ApiKeyStore } from '../host/apiKey';
import { CONTEXT_KEYS, PARTICIPANT, WORKBENCH_COMMANDS } from '../contributes/ids';

/** The `@lingualeap …` question a chat answer's Set API Key button passes along, if well formed. */
function retryChatQuery(arg: unknown): string | undefined {
  const query = typeof arg === 'object' && arg !== null ? (arg as { retryChatQuery?: unknown }).retryChatQuery : undefined;
  const wellFormed =
    typeof query === 'string' && query.length <= 100_000 && (query === PARTICIPANT.mention || query.startsWith(`${PARTICIPANT.mention} `));
  return wellFormed ? query : undefined;
}

/** Asks for a key and stores it; from a chat answer that failed for want of one, asks that question again. */
export async function setApiKey(keys: ApiKeyStore, log: vscode.LogOutputChannel, arg: unknown): Promise<boolean> {
  const stored = await keys.promptAndStore();
  if (stored) {
    log.info('An Anthropic API key was stored in secret storage.');
    void vscode.window.showInformationMessage(vscode.l10n.t('LinguaLeap: Anthropic API key saved.'));
    // Completes the walkthrough's key step (a cancelled box does not).
    void vscode.commands.executeCommand(WORKBENCH_COMMANDS.setContext, CONTEXT_KEYS.apiKeyStored, true);
    const query = retryChatQuery(arg);
    if (query) {
      void vscode.commands.executeCommand(WORKBENCH_COMMANDS.openChat, { query, preserveInput: true });
    }
  }
  return stored;
}

/** Removes the stored key; the environment's key, if any, is still used (and the user is told so). */
export async function clearApiKey(keys: ApiKeyStore, log: vscode.LogOutputChannel): Promise<void> {
  await keys.clear();
  // Clients made with the removed key are dropped, so no later request can reuse one.
  resetClientCache();
  log.info('The stored Anthropic API key was removed.');
  void vscode.window.showInformationMessage(
    keys.hasEnvironmentKey()
      ? vscode.l10n.t('LinguaLeap: the stored API key was removed; {0} from the environment is still used.', 'ANTHROPIC_API_KEY')
      : vscode.l10n.t('LinguaLeap: the stored API key was removed.'),
  );
}
