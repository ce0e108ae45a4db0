/**
 * Loads the bundled agent file on first use (never at activation) and keeps it.
 */
import * as vscode from 'vscode';
import { parseAgentFile, type AgentDefinition } from '../agent/parse';

/** The agent shipped in `agents/`, byte for byte the user's file. */
export const BUNDLED_AGENT_FILE = 'lingualeap-backend-architect.md';

/** Thrown when the bundled agent cannot be read; its message names the file and problem. */
export class AgentLoadError extends Error {}

export class AgentStore {
  private loading: Promise<AgentDefinition> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get(): Promise<AgentDefinition> {
    this.loading ??= this.load().catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  private async load(): Promise<AgentDefinition> {
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
