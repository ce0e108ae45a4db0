/**
 * The architect's tools, shaped as Claude Code's: what a tool returns, and what the VS Code side
 * provides to run them (`ToolHost`). Pure: no `vscode` import.
 */

/** Claude Code's names for the tools this extension knows. */
export type ToolName = 'Read' | 'Glob' | 'Grep' | 'LS' | 'Bash' | 'TodoWrite' | 'WebFetch' | 'WebSearch';

/** Every tool this extension knows, in the order their definitions are sent (stable, so the prompt cache holds). */
export const TOOL_NAMES: readonly ToolName[] = ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'WebFetch', 'WebSearch'];

/** The tools run here, in the user's workspace; the others run on Anthropic's servers. */
export const CLIENT_TOOLS: readonly ToolName[] = ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite'];

/** A file a tool touched, for links, references and receipts. */
export interface ToolFileRef {
  /** Absolute file-system path, under the workspace folder as VS Code names it. */
  path: string;
  /** 1-based, inclusive. */
  startLine?: number;
  /** 1-based, inclusive. */
  endLine?: number;
  use: 'read' | 'listed' | 'searched' | 'matched';
}

/** One step of the plan TodoWrite keeps. */
export interface TodoItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  /** The present-continuous form shown while the step runs ("Reading the schema"). */
  activeForm?: string;
}

/** What running a tool gives back. */
export interface ToolOutcome {
  /** The `tool_result` text for the model: plain text, no terminal escapes. */
  content: string;
  /** The `tool_result`'s `is_error`. */
  isError: boolean;
  /** One line for the UI, e.g. "Read prisma/schema.prisma · 212 lines". */
  summary: string;
  /** Every file read, listed, searched or matched. */
  files: ToolFileRef[];
  /** TodoWrite only: the whole current plan. */
  todos?: TodoItem[];
  /** Bash only: the command's exit code, when it exited by itself. */
  exitCode?: number;
  /** True when the signal stopped the tool: not a failure to show, the user asked for it. */
  cancelled?: boolean;
}

/** A command Bash asks the user about. */
export interface BashRequest {
  command: string;
  /** Absolute path the command runs in. */
  cwd: string;
  /** The model's own words for what the command does. */
  description?: string;
}

/** The user's answer to the Bash consent dialog. */
export type BashConsent = 'allow' | 'allowConversation' | 'deny';

/** What the VS Code side provides. Everything the tools touch outside pure code goes through here or node:fs/child_process. */
export interface ToolHost {
  /** Workspace folders, absolute fs paths; [] = no workspace open. */
  readonly roots: readonly string[];
  /** `lingualeap.tools.exclude` globs (see `DEFAULT_EXCLUDE`), matched against root-relative paths. */
  readonly exclude: readonly string[];
  /** False in Restricted Mode: Bash is refused without asking. */
  readonly trusted: boolean;
  /** `lingualeap.tools.bash`. */
  readonly bash: 'ask' | 'never';
  /** VS Code's bundled rg; undefined -> Grep says it is unavailable. */
  readonly ripgrepPath?: string;
  /** VS Code's workspace file search (respects files.exclude and .gitignore). Absolute paths. */
  findFiles(pattern: string, base: string, maxResults: number, signal: AbortSignal): Promise<string[]>;
  /** The modal consent dialog (shows the exact command and cwd). */
  confirmBash(request: BashRequest): Promise<BashConsent>;
}

/** Per conversation: commands the user allowed "for this conversation" (exact command string). */
export interface ToolSession {
  readonly allowedCommands: Set<string>;
}

/** Files no tool reads, lists or searches unless the user changes `lingualeap.tools.exclude`: secrets and VCS internals. */
export const DEFAULT_EXCLUDE: readonly string[] = ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/.git/**', '**/secrets/**'];
