/**
 * "Preview system prompt": a read-only document beside the agent file holding exactly the text
 * sent as the API's `system` parameter for that agent: `parseAgentFile(text, source).agent.body`
 * of the file as saved (what the agent registry reads and `buildArchitectRequest` sends
 * verbatim). It follows the file: saved, edited on disk, or changed in the agents folders.
 */
import * as vscode from 'vscode';
import { SYSTEM_PROMPT_SCHEME } from '../contributes/ids';
import type { AgentDirectory, AgentFileActions } from '../host/agents';
import { agentFileLabel, scopeOf } from './documents';
import { loadAgentCore } from './lazyCore';

/** A preview's uri: its path is the tab's title, its query the agent file's uri (found by that, never by the title). */
function previewUri(file: vscode.Uri, name: string): vscode.Uri {
  const title = vscode.l10n.t({
    message: 'system prompt · {0}',
    args: [name],
    comment: ["Tab title of the read-only preview of an agent's system prompt; {0} is the agent's name. It is a path: no slash."],
  });
  return vscode.Uri.from({ scheme: SYSTEM_PROMPT_SCHEME, path: `/${title}`, query: file.toString() });
}

function fileOf(preview: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(preview.query, true);
}

export class SystemPromptPreviews implements vscode.TextDocumentContentProvider, AgentFileActions, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** A watcher per agent file shown, by the file's uri. */
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly directory: AgentDirectory,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(SYSTEM_PROMPT_SCHEME, this),
      vscode.workspace.onDidSaveTextDocument((document) => this.refresh(document.uri)),
      directory.onDidChange(() => this.refreshAll()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === SYSTEM_PROMPT_SCHEME) {
          this.unwatchUnlessShown(fileOf(document.uri));
        }
      }),
    ];
  }

  async previewSystemPrompt(file: vscode.Uri): Promise<void> {
    const read = await this.read(file);
    if (!read.ok) {
      void vscode.window.showWarningMessage(read.message);
      return;
    }
    const uri = previewUri(file, read.name);
    // Already open: make sure it shows the file as it is now.
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'markdown') {
      document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    }
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    // Changing the language closes and reopens the document, which let go of the watcher.
    this.watch(file);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = fileOf(uri);
    this.watch(file);
    const read = await this.read(file);
    // The preview stays open while the file is broken; it says so rather than show an old prompt.
    return read.ok ? read.body : `${read.message}\n`;
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) {
      watcher.dispose();
    }
    this.watchers.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  /** The agent a file defines as saved on disk, or one sentence saying why there is none. */
  private async read(file: vscode.Uri): Promise<{ ok: true; name: string; body: string } | { ok: false; message: string }> {
    const { userFolder } = this.directory;
    const source = agentFileLabel(file, scopeOf(file, userFolder), userFolder);
    let text: string;
    try {
      // Decoded as the agent registry decodes it (UTF-8, a byte-order mark dropped).
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
    } catch (err) {
      this.log.warn(`${source}: could not be read for the system prompt preview (${err instanceof Error ? err.message : String(err)}).`);
      return { ok: false, message: vscode.l10n.t('{0} could not be read, so there is no system prompt to show.', source) };
    }
    const { agent, problems } = (await loadAgentCore()).parseAgentFile(text, source);
    if (!agent) {
      const reason = problems.find((p) => p.severity === 'error')?.message ?? vscode.l10n.t('{0}: the file does not define an agent.', source);
      return { ok: false, message: vscode.l10n.t('No system prompt: {0}', reason) };
    }
    return { ok: true, name: agent.name, body: agent.body };
  }

  private refresh(file: vscode.Uri): void {
    const key = file.toString();
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === SYSTEM_PROMPT_SCHEME && document.uri.query === key) {
        this.changed.fire(document.uri);
      }
    }
  }

  private refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === SYSTEM_PROMPT_SCHEME) {
        this.changed.fire(document.uri);
      }
    }
  }

  /** Edits made outside the editor (another tool, `git checkout`) refresh the preview too. */
  private watch(file: vscode.Uri): void {
    const key = file.toString();
    if (this.watchers.has(key)) {
      return;
    }
    const slash = file.path.lastIndexOf('/');
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(file.with({ path: file.path.slice(0, slash), query: '', fragment: '' }), file.path.slice(slash + 1)),
    );
    const refresh = (): void => this.refresh(file);
    this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(refresh), watcher.onDidCreate(refresh), watcher.onDidDelete(refresh)));
  }

  private unwatchUnlessShown(file: vscode.Uri): void {
    const key = file.toString();
    const shown = vscode.workspace.textDocuments.some((d) => !d.isClosed && d.uri.scheme === SYSTEM_PROMPT_SCHEME && d.uri.query === key);
    if (!shown) {
      this.watchers.get(key)?.dispose();
      this.watchers.delete(key);
    }
  }
}
