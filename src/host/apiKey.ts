/**
 * The Anthropic API key: stored in SecretStorage, else taken from `ANTHROPIC_API_KEY`.
 * It is never logged, put in a setting, posted to a webview or kept in state. The stored key is
 * held in memory once read (each read of SecretStorage is a round trip that every question would
 * wait for) and read again when it changes, in this window or another.
 */
import * as vscode from 'vscode';

const SECRET_ID = 'lingualeap.anthropicApiKey';

export class ApiKeyStore implements vscode.Disposable {
  private stored: Promise<string | undefined> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_ID) {
        this.stored = undefined;
      }
    });
  }

  /** The stored key, else the environment's, else undefined. */
  async get(): Promise<string | undefined> {
    const read = (this.stored ??= Promise.resolve(this.secrets.get(SECRET_ID)));
    let stored: string | undefined;
    try {
      stored = await read;
    } catch (err) {
      // A failed read is not remembered: the next question tries again.
      if (this.stored === read) {
        this.stored = undefined;
      }
      throw err;
    }
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
    this.stored = undefined;
    await this.secrets.store(SECRET_ID, key.trim());
    this.stored = undefined;
    return true;
  }

  async clear(): Promise<void> {
    this.stored = undefined;
    await this.secrets.delete(SECRET_ID);
    this.stored = undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** Whether a key came from the environment, to explain why clearing did not remove it. */
  hasEnvironmentKey(): boolean {
    return Boolean(this.env.ANTHROPIC_API_KEY?.trim());
  }
}
