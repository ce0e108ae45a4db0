/**
 * The Problems view for open agent files: every check of the core, at its place, refreshed as
 * the user types (debounced), when a file opens, when the other agents change (duplicate
 * names), and cleared when the file closes.
 */
import * as vscode from 'vscode';
import type { AgentFileEntry, AgentDirectory } from '../host/agents';
import type { OtherAgent } from '../core/agent/diagnostics';
import { toDiagnostic } from './convert';
import { agentFileLabel, isAgentDocument, scopeOf } from './documents';
import { loadAgentCore, type AgentCore } from './lazyCore';

/** Typing pauses shorter than this are not worth a new check. */
const TYPING_DEBOUNCE_MS = 150;

export class AgentDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lingualeap-agents');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The directory's files, read once per change of the directory, and only once an agent file is open. */
  private others: Promise<readonly AgentFileEntry[]> | undefined;

  constructor(
    private readonly directory: AgentDirectory,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        // A change of the dirty state alone (a save) carries no text changes.
        if (event.contentChanges.length > 0) {
          this.schedule(event.document);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      directory.onDidChange(() => {
        this.others = undefined;
        for (const document of vscode.workspace.textDocuments) {
          this.check(document);
        }
      }),
    );
    // Agent files already open when the extension starts (a restored window). Only paths are
    // looked at here; nothing is read or parsed unless one matches.
    for (const document of vscode.workspace.textDocuments) {
      this.check(document);
    }
  }

  /** Checks a document now, when it is an agent file. */
  check(document: vscode.TextDocument): void {
    if (!isAgentDocument(document, this.directory.userFolder)) {
      return;
    }
    this.cancelTimer(document.uri);
    void this.update(document);
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isAgentDocument(document, this.directory.userFolder)) {
      return;
    }
    this.cancelTimer(document.uri);
    const key = document.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, TYPING_DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    this.cancelTimer(uri);
    this.collection.delete(uri);
  }

  private cancelTimer(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    try {
      const [core, files] = await Promise.all([loadAgentCore(), this.otherFiles()]);
      // A newer version is checked by its own run; a closed document keeps no problems.
      if (document.isClosed || document.version !== version) {
        return;
      }
      this.collection.set(document.uri, diagnose(core, document, files, this.directory.userFolder));
    } catch (err) {
      // The core never throws for bad input; this is a bug, logged rather than shown.
      this.log.error(`Agent file ${document.uri.toString(true)} could not be checked: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  private otherFiles(): Promise<readonly AgentFileEntry[]> {
    return (this.others ??= this.directory.files().then(undefined, (err: unknown) => {
      this.log.warn(`The other agent files could not be listed, so duplicate names are not checked: ${err instanceof Error ? err.message : String(err)}`);
      this.others = undefined;
      return [];
    }));
  }
}

/**
 * The diagnostics of one agent document. `files` are every agent the user has (this file
 * among them, left out here); a duplicate name points at the other file as related information.
 */
function diagnose(core: AgentCore, document: vscode.TextDocument, files: readonly AgentFileEntry[], userFolder: vscode.Uri): vscode.Diagnostic[] {
  const scope = scopeOf(document.uri, userFolder);
  const text = document.getText();
  const others = files
    .filter((file) => file.name !== undefined && file.uri.toString() !== document.uri.toString())
    .map((file) => ({ file, other: { name: file.name ?? '', scope: file.scope, path: agentFileLabel(file.uri, file.scope, userFolder) } satisfies OtherAgent }));
  const found = core.diagnoseAgentText(text, {
    fileName: agentFileLabel(document.uri, scope, userFolder),
    otherAgents: others.map((o) => o.other),
    scope,
  });
  const diagnostics = found.map(toDiagnostic);

  // The core reports one duplicate-name diagnostic per other file of the same name, in the
  // order given; a duplicate is only reported for a file that parses, so its name is known.
  const duplicates = diagnostics.filter((d) => d.code === 'duplicate-name');
  if (duplicates.length > 0) {
    const name = core.parseAgentFile(text, document.uri.path).agent?.name;
    const twins = name === undefined ? [] : others.filter((o) => core.sameAgentName(o.other.name, name));
    if (twins.length === duplicates.length) {
      duplicates.forEach((diagnostic, i) => {
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(new vscode.Location(twins[i].file.uri, new vscode.Position(0, 0)), vscode.l10n.t('{0} is also named "{1}"', twins[i].other.path, twins[i].other.name)),
        ];
      });
    }
  }
  return diagnostics;
}
