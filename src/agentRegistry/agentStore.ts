/**
 * Loads the agent on first use (never at activation): the bundled architect, or an agent file
 * of the workspace's `.claude/agents/` folder (Claude Code's convention) named by the
 * `lingualeap.agent` setting. Workspace files come from other people's repositories: each bad
 * one is reported precisely (a warning naming the file and what is wrong, and the log), and
 * the bundled agent keeps working. In an untrusted workspace no workspace file is read.
 */
import * as vscode from 'vscode';
import { MAX_AGENT_FILE_CHARS, parseAgentFile, type AgentDefinition, type AgentProblem } from '../core/agent/parse';
import { readConfig } from '../host/settings';

/** The agent shipped in `agents/`, byte for byte the user's file. */
const BUNDLED_AGENT_FILE = 'lingualeap-backend-architect.md';

/** Where Claude Code keeps a project's agents, relative to a workspace folder. */
export const WORKSPACE_AGENTS_DIR = '.claude/agents';

/** Larger files are not even read: the parser would refuse them anyway. */
const MAX_WORKSPACE_AGENT_BYTES = 1024 * 1024;

/** Thrown when the bundled agent cannot be read; its message names the file and problem. */
class AgentLoadError extends Error {}

/** How problems reach the user; replaced in tests. */
export type ProblemReporter = (message: string, file: vscode.Uri) => void;

function showWarning(message: string, file: vscode.Uri): void {
  void vscode.window.showWarningMessage(`LinguaLeap: ${message}`, 'Open File').then((choice) => {
    if (choice === 'Open File') {
      void vscode.window.showTextDocument(file);
    }
  });
}

export class AgentStore {
  private loading: Promise<AgentDefinition> | undefined;
  /** Problems already shown, so a bad file warns once per distinct problem, not per question. */
  private readonly reported = new Set<string>();
  private untrustedNoted = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly report: ProblemReporter = showWarning,
  ) {}

  /** The agent that answers now: the one `lingualeap.agent` names, else the bundled one. */
  async get(): Promise<AgentDefinition> {
    const wanted = readConfig().agent;
    const workspace = await this.workspaceAgents();
    if (wanted === '') {
      return this.bundled();
    }
    const chosen = workspace.find((agent) => agent.name === wanted);
    if (chosen) {
      return chosen;
    }
    const known = workspace.map((agent) => `"${agent.name}"`).join(', ');
    this.once(
      `agent:${wanted}`,
      `The "lingualeap.agent" setting names "${wanted}", but no valid agent file in ${WORKSPACE_AGENTS_DIR} has that name${known ? ` (found: ${known})` : ''}; the bundled architect answers.`,
      vscode.Uri.joinPath(this.extensionUri, 'agents', BUNDLED_AGENT_FILE),
    );
    return this.bundled();
  }

  /**
   * The valid agents in the workspace folders' `.claude/agents/*.md`, read fresh each time (a
   * few small files). Bad files are reported and skipped. None in an untrusted workspace.
   */
  async workspaceAgents(): Promise<AgentDefinition[]> {
    if (!vscode.workspace.isTrusted) {
      if (!this.untrustedNoted && (vscode.workspace.workspaceFolders?.length ?? 0) > 0) {
        this.untrustedNoted = true;
        this.log.info(`Restricted mode: agent files in ${WORKSPACE_AGENTS_DIR} are not loaded until the workspace is trusted.`);
      }
      return [];
    }
    const agents: AgentDefinition[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const dir = vscode.Uri.joinPath(folder.uri, ...WORKSPACE_AGENTS_DIR.split('/'));
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch {
        continue;
      }
      for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
        if (!name.toLowerCase().endsWith('.md') || (type & vscode.FileType.File) === 0) {
          continue;
        }
        const agent = await this.readWorkspaceAgent(vscode.Uri.joinPath(dir, name), vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, name), true));
        if (agent) {
          agents.push(agent);
        }
      }
    }
    return agents;
  }

  private async readWorkspaceAgent(uri: vscode.Uri, source: string): Promise<AgentDefinition | undefined> {
    let text: string;
    try {
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size > MAX_WORKSPACE_AGENT_BYTES) {
        this.problems([{ severity: 'error', message: `${source}: the file is ${Math.round(size / 1024)} KB; agent files may be at most ${MAX_AGENT_FILE_CHARS / 1024} KB.` }], uri);
        return undefined;
      }
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (err) {
      this.problems([{ severity: 'error', message: `${source}: could not be read (${err instanceof Error ? err.message : String(err)}).` }], uri);
      return undefined;
    }
    const { agent, problems } = parseAgentFile(text, source);
    this.problems(problems, uri);
    return agent;
  }

  /** Logs every problem; shows each distinct one once. */
  private problems(problems: readonly AgentProblem[], uri: vscode.Uri): void {
    for (const problem of problems) {
      this.log[problem.severity === 'error' ? 'error' : 'warn'](`${problem.message}${problem.field ? ` [field: ${problem.field}]` : ''}`);
      const key = `${uri.toString()}\n${problem.message}`;
      if (!this.reported.has(key)) {
        this.reported.add(key);
        const what = problem.severity === 'error' ? 'Agent file skipped' : 'Agent file';
        this.report(`${what}: ${problem.message}`, uri);
      }
    }
  }

  private once(key: string, message: string, uri: vscode.Uri): void {
    this.log.warn(message);
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.report(message, uri);
    }
  }

  private bundled(): Promise<AgentDefinition> {
    this.loading ??= this.loadBundled().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async loadBundled(): Promise<AgentDefinition> {
    const uri = vscode.Uri.joinPath(this.extensionUri, 'agents', BUNDLED_AGENT_FILE);
    const bytes = await vscode.workspace.fs.readFile(uri);
    const { agent, problems } = parseAgentFile(new TextDecoder('utf-8').decode(bytes), `agents/${BUNDLED_AGENT_FILE}`);
    for (const problem of problems) {
      this.log[problem.severity === 'error' ? 'error' : 'warn'](problem.message);
    }
    if (!agent) {
      throw new AgentLoadError(problems[0]?.message ?? `agents/${BUNDLED_AGENT_FILE} could not be read.`);
    }
    this.log.info(`Loaded agent "${agent.name}" from ${agent.source} (${agent.body.length} characters of system prompt).`);
    return agent;
  }
}
