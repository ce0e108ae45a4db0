/**
 * Every agent the user has, found as Claude Code finds them: the project's
 * `.claude/agents/**\/*.md` in each workspace folder, the user's `~/.claude/agents/**\/*.md`, and
 * the bundled architect. A project agent shadows a user agent of the same name, and both shadow
 * the bundled one (`core/agent/catalog.ts`). Files are read on first use, never at activation;
 * the folders are watched from activation (`watch.ts`): an added, edited or deleted agent counts
 * from the next question.
 *
 * Problems are logged, file by file. A notification is shown only for the agent that was asked
 * for and cannot answer, so a folder of imperfect files never means a storm of pop-ups; the
 * agent-file editor shows every problem in the Problems view.
 */
import * as vscode from 'vscode';
import { buildAgentCatalog, type AgentCatalog, type AgentCatalogEntry, type AgentScope } from '../core/agent/catalog';
import { MAX_AGENT_FILE_CHARS, parseAgentFile, type AgentDefinition, type AgentParseResult } from '../core/agent/parse';
import type { AgentDirectory, AgentFileEntry } from '../host/agents';
import { readConfig } from '../host/settings';
import { userAgentsFolder } from './userFolder';
import { PROJECT_AGENTS_DIR } from './watch';

/** The agent shipped in `agents/`, byte for byte the user's file. */
const BUNDLED_AGENT_FILE = 'lingualeap-backend-architect.md';


/** Larger files are not even read: the parser would refuse them anyway. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Sub-folders deeper than this are not searched (agents are kept one or two levels down). */
const MAX_DEPTH = 4;
/** More files than this in one folder tree are not read. */
const MAX_FILES = 500;

/** How a problem with an agent that was asked for reaches the user; replaced in tests. */
export type ProblemReporter = (message: string, file: vscode.Uri) => void;

function showWarning(message: string, file: vscode.Uri): void {
  const openFile = vscode.l10n.t('Open File');
  void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: {0}', message), openFile).then((choice) => {
    if (choice === openFile) {
      void vscode.window.showTextDocument(file);
    }
  });
}

/** An agent file read from disk, kept until it changes. */
interface ReadFile {
  readonly uri: vscode.Uri;
  readonly scope: AgentScope;
  /** How messages name the file: `.claude/agents/x.md`, `~/.claude/agents/x.md`, `agents/x.md`. */
  readonly source: string;
  readonly mtime: number;
  readonly size: number;
  readonly result: AgentParseResult;
}

export class AgentRegistry implements AgentDirectory, vscode.Disposable {
  readonly userFolder: vscode.Uri;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly cache = new Map<string, ReadFile>();
  private readonly logged = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** An agent file changed (its uri), or anything may have (undefined): from `watchAgentFiles`. */
    changes: vscode.Event<vscode.Uri | undefined>,
    private readonly report: ProblemReporter = showWarning,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.userFolder = userAgentsFolder(env);
    this.subscriptions = [
      // A changed file is read again at the next question, whatever its mtime says.
      changes((uri) => {
        if (uri) {
          this.cache.delete(uri.toString());
        } else {
          this.cache.clear();
        }
        this.changed.fire();
      }),
    ];
  }

  /** Every agent file, read as it is on disk now (unchanged files from the cache). */
  async files(): Promise<AgentFileEntry[]> {
    return (await this.readAll()).map((file) => ({ name: file.result.agent?.name, scope: file.scope, uri: file.uri }));
  }

  /** The catalog of every agent file: shadowing, usability in Restricted Mode, lookups by name. */
  async catalog(): Promise<AgentCatalog> {
    const files = await this.readAll();
    return buildAgentCatalog(
      files.map((file) => ({ scope: file.scope, path: file.source, result: file.result })),
      { trusted: vscode.workspace.isTrusted },
    );
  }

  /**
   * The agent that answers when none is named: `lingualeap.agent`, else the bundled architect.
   * When the setting names no usable agent, says why (once) and the bundled one answers.
   */
  async get(): Promise<AgentDefinition> {
    const catalog = await this.catalog();
    const choice = catalog.defaultAgent(readConfig().agent);
    if (choice.message) {
      this.warnOnce(`default:${choice.message}`, choice.message, this.bundledUri());
    }
    if (!choice.entry?.agent) {
      throw new Error(choice.message ?? vscode.l10n.t('{0} could not be read.', `agents/${BUNDLED_AGENT_FILE}`));
    }
    return choice.entry.agent;
  }

  /** The usable agent of that name (project over user over bundled), if any. */
  async find(name: string): Promise<AgentDefinition | undefined> {
    return (await this.catalog()).resolve(name)?.agent;
  }

  /** The agent a file defines, if it parses, with the reason when it cannot answer. */
  async agentIn(uri: vscode.Uri): Promise<{ agent?: AgentDefinition; problem?: string }> {
    const catalog = await this.catalog();
    const file = (await this.readAll()).find((candidate) => candidate.uri.toString() === uri.toString());
    const entry = file && catalog.entries.find((candidate) => candidate.path === file.source && candidate.scope === file.scope);
    if (!entry) {
      // Not in an agents folder we search (or not saved yet): read it on its own.
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      const { agent, problems } = parseAgentFile(text, vscode.workspace.asRelativePath(uri, true));
      return agent ? { agent } : { problem: problems.find((p) => p.severity === 'error')?.message ?? vscode.l10n.t('The file is not an agent file.') };
    }
    return entry.usable && entry.agent ? { agent: entry.agent } : { problem: entry.unusableReason };
  }

  /** Usable agents for a picker: the winners of each name first, shadowed ones marked. */
  async entries(): Promise<readonly AgentCatalogEntry[]> {
    return (await this.catalog()).entries;
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) {
      subscription.dispose();
    }
    this.changed.dispose();
  }

  private bundledUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'agents', BUNDLED_AGENT_FILE);
  }

  /**
   * Finds and reads every agent file; unchanged files (same mtime and size) are not read again.
   * Every question does this, so the folders are listed and the files checked concurrently: in a
   * remote window each call is a round trip to the workbench, and one after another they cost
   * the first answer 60-100 ms.
   */
  private async readAll(): Promise<ReadFile[]> {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const [project, user] = await Promise.all([
      Promise.all(
        (vscode.workspace.workspaceFolders ?? []).map((folder) => markdownFiles(vscode.Uri.joinPath(folder.uri, ...PROJECT_AGENTS_DIR.split('/')))),
      ),
      markdownFiles(this.userFolder),
    ]);
    const found: { uri: vscode.Uri; scope: AgentScope; source: string }[] = [
      ...project.flat().map((uri) => ({ uri, scope: 'project' as const, source: vscode.workspace.asRelativePath(uri, multiRoot) })),
      ...user.map((uri) => ({ uri, scope: 'user' as const, source: `~/.claude/agents/${uri.path.slice(this.userFolder.path.length + 1)}` })),
      { uri: this.bundledUri(), scope: 'bundled', source: `agents/${BUNDLED_AGENT_FILE}` },
    ];
    const files = await Promise.all(found.map((candidate) => this.read(candidate.uri, candidate.scope, candidate.source)));
    return files.filter((file): file is ReadFile => file !== undefined);
  }

  private async read(uri: vscode.Uri, scope: AgentScope, source: string): Promise<ReadFile | undefined> {
    const key = uri.toString();
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      this.cache.delete(key);
      return undefined;
    }
    const cached = this.cache.get(key);
    // mtime alone can miss an edit made within its resolution (a second on some file systems).
    if (cached && cached.mtime === stat.mtime && cached.size === stat.size && cached.scope === scope) {
      return cached;
    }
    let result: AgentParseResult;
    if (stat.size > MAX_FILE_BYTES) {
      result = {
        problems: [
          {
            severity: 'error',
            message: vscode.l10n.t('{0}: the file is {1} KB; agent files may be at most {2} KB.', source, Math.round(stat.size / 1024), MAX_AGENT_FILE_CHARS / 1024),
          },
        ],
      };
    } else {
      try {
        result = parseAgentFile(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)), source);
      } catch (err) {
        result = { problems: [{ severity: 'error', message: vscode.l10n.t('{0}: could not be read ({1}).', source, err instanceof Error ? err.message : String(err)) }] };
      }
    }
    const file: ReadFile = { uri, scope, source, mtime: stat.mtime, size: stat.size, result };
    this.cache.set(key, file);
    this.logProblems(file);
    return file;
  }

  /** Each problem of a file version once in the log; hints (unused keys and the like) only in the Problems view. */
  private logProblems(file: ReadFile): void {
    for (const problem of file.result.problems) {
      if (problem.severity === 'hint') {
        continue;
      }
      const line = `${problem.message}${problem.field ? ` [field: ${problem.field}]` : ''}`;
      const key = `${file.uri.toString()}\n${file.mtime}\n${line}`;
      if (this.logged.has(key)) {
        continue;
      }
      this.logged.add(key);
      if (problem.severity === 'error') {
        this.log.error(line);
      } else if (problem.severity === 'warning') {
        this.log.warn(line);
      } else {
        this.log.info(line);
      }
    }
    if (file.result.agent) {
      this.log.info(`Found ${file.scope} agent "${file.result.agent.name}" in ${file.source}.`);
    }
  }

  private warnOnce(key: string, message: string, uri: vscode.Uri): void {
    this.log.warn(message);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.report(message, uri);
    }
  }
}

/** The `.md` files under `dir`, sorted, at most `MAX_FILES`, `MAX_DEPTH` folders down. */
async function markdownFiles(dir: vscode.Uri, depth = 0): Promise<vscode.Uri[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return [];
  }
  // Sub-folders are listed at the same time; the order stays the sorted one.
  const listed = await Promise.all(
    entries
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([name, type]): Promise<vscode.Uri[]> => {
        const uri = vscode.Uri.joinPath(dir, name);
        if ((type & vscode.FileType.Directory) !== 0 && depth < MAX_DEPTH && !name.startsWith('.')) {
          return markdownFiles(uri, depth + 1);
        }
        return (type & vscode.FileType.File) !== 0 && name.toLowerCase().endsWith('.md') ? [uri] : [];
      }),
  );
  return listed.flat().slice(0, MAX_FILES);
}
