/**
 * The Anthropic API key: stored in SecretStorage, else taken from `ANTHROPIC_API_KEY`.
 * It is never logged, put in a setting, posted to a webview or kept in state.
 */
import vscode = require('vscode');

const SECRET_ID = 'lingualeap.anthropicApiKey';

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The stored key, else the environment's, else undefined. */
  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_ID);
    return stored?.trim() || this.env.ANTHROPIC_API_KEY?.trim() || undefined;
  }

  /** Asks for a key in a password box and stores it. Resolves false when the user cancels. */
  async promptAndStore(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Anthropic API Key'),
      prompt: vscode.l10n.t('Paste your Anthropic API key. It is kept in VS Code\'s secret storage.'),
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Enter a key, or press Escape to cancel.') : undefined),
    });
    if (key === undefined) {
      return false;
    }
    await this.secrets.store(SECRET_ID, key.trim());
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
  }

  /** Whether a key came from the environment, to explain why clearing did not remove it. */
  hasEnvironmentKey(): boolean {
    return Boolean(this.env.ANTHROPIC_API_KEY?.trim());
  }
}
