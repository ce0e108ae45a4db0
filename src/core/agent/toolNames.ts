/**
 * The tool names Claude Code knows, as an agent file's `tools` field may list them. The agent
 * parser and the editor's diagnostics use them for "did you mean"; `src/core/tools` decides
 * which of them this extension runs. Pure.
 */

/**
 * Claude Code's built-in tools, spelled as Claude Code spells them. The newer ones (`Agent`,
 * `LSP`, `Skill`, the agent-team `Task*`, `SendMessage`, `Team*`) are listed because public
 * agent files use them: they must not be reported as typos.
 */
export const CLAUDE_CODE_TOOLS: readonly string[] = [
  'Agent',
  'Bash',
  'BashOutput',
  'Edit',
  'ExitPlanMode',
  'Glob',
  'Grep',
  'KillShell',
  'LS',
  'LSP',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'Read',
  'SendMessage',
  'Skill',
  'SlashCommand',
  'Task',
  'TaskCreate',
  'TaskGet',
  'TaskList',
  'TaskUpdate',
  'TeamCreate',
  'TeamDelete',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'Write',
];

/**
 * The tools the architect runs here: Bash asks before each command; WebFetch and WebSearch are
 * Anthropic server tools. Any other tool an agent lists is ignored by this extension.
 * (`src/core/tools` names the same set.)
 */
export const TOOLS_RUN_HERE: readonly string[] = ['Read', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'WebFetch', 'WebSearch'];

/**
 * The Claude Code tool a misspelled name most likely meant: the same name in another case, else
 * the nearest one within two edits. Undefined for an exact name, an MCP tool (`mcp__…`) or
 * nothing close.
 */
export function suggestToolName(name: string): string | undefined {
  if (CLAUDE_CODE_TOOLS.includes(name) || name.startsWith('mcp__')) {
    return undefined;
  }
  const lower = name.toLowerCase();
  const sameCase = CLAUDE_CODE_TOOLS.find((tool) => tool.toLowerCase() === lower);
  if (sameCase) {
    return sameCase;
  }
  let best: { tool: string; distance: number } | undefined;
  for (const tool of CLAUDE_CODE_TOOLS) {
    const distance = editDistance(lower, tool.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) {
      best = { tool, distance };
    }
  }
  return best?.tool;
}

/** Levenshtein distance; names are short, so the quadratic table is fine. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
