/**
 * What each front-matter field means, in Claude Code and in this extension: the editor's hover
 * texts and completion details. Pure data.
 */
import { AGENT_COLORS } from './analyze';
import type { AgentField } from './frontMatter';
import { DEFAULT_MODEL, MODEL_ALIASES } from './models';
import { CLAUDE_CODE_TOOLS, TOOLS_RUN_HERE } from './toolNames';

/** One front-matter field, documented. */
export interface FrontMatterFieldInfo {
  readonly key: AgentField;
  readonly required: boolean;
  /** One line, for a completion's detail. */
  readonly summary: string;
  /** Markdown, for the hover over the key. */
  readonly hover: string;
}

/** What each tool does here, for hovers and completion details. */
export const TOOL_NOTES: Readonly<Record<string, string>> = {
  Read: 'reads a file of the workspace',
  Glob: 'finds workspace files by name pattern',
  Grep: 'searches the workspace files for text',
  LS: 'lists a workspace folder',
  Bash: 'runs a shell command, after you allow it',
  TodoWrite: 'keeps the plan of a long answer',
  WebFetch: 'reads a web page (an Anthropic server tool)',
  WebSearch: 'searches the web (an Anthropic server tool)',
};

const otherTools = CLAUDE_CODE_TOOLS.filter((tool) => !TOOLS_RUN_HERE.includes(tool));

/** The five fields Claude Code defines, each with its hover text. */
export const FRONT_MATTER_FIELDS: Readonly<Record<AgentField, FrontMatterFieldInfo>> = {
  name: {
    key: 'name',
    required: true,
    summary: 'required: the agent\'s identifier, lowercase letters and hyphens',
    hover: [
      '**name** (required): the agent\'s identifier, in lowercase letters and hyphens (`code-reviewer`).',
      '',
      'In Claude Code you ask for an agent by this name ("use the code-reviewer agent"), and it must be unique among your agents.',
      '',
      'In LinguaLeap: start a question in Chat with `@lingualeap name: …` to ask this agent, pick it in the agent picker, or make it the default with the `lingualeap.agent` setting. ' +
        'A project agent (`.claude/agents/`) hides a user agent (`~/.claude/agents/`) of the same name, and both hide the bundled architect.',
    ].join('\n'),
  },
  description: {
    key: 'description',
    required: true,
    summary: 'required: when to use this agent',
    hover: [
      '**description** (required): when to use this agent.',
      '',
      'Claude Code reads it to decide when to hand a task to the agent, which is why many descriptions end with `<example>` conversations. ' +
        'A description over several lines is best written as a YAML block (`description: |-` and indented lines).',
      '',
      'In LinguaLeap: its first sentence describes the agent in the agent picker.',
    ].join('\n'),
  },
  tools: {
    key: 'tools',
    required: false,
    summary: 'the tools the agent may use',
    hover: [
      '**tools**: the tools the agent may use, as a comma list (`Read, Grep, Glob`) or a YAML list. Without it, a Claude Code agent may use every tool.',
      '',
      'In LinguaLeap the architect may use, of those listed:',
      '',
      ...TOOLS_RUN_HERE.map((tool) => `- \`${tool}\`: ${TOOL_NOTES[tool]}`),
      '',
      `Not available here (they are ignored): ${otherTools.map((tool) => `\`${tool}\``).join(', ')}, and MCP tools.`,
    ].join('\n'),
  },
  model: {
    key: 'model',
    required: false,
    summary: 'sonnet, opus, haiku, inherit or a Claude model id',
    hover: [
      '**model**: the Claude model the agent runs on.',
      '',
      '| value | in LinguaLeap |',
      '| --- | --- |',
      `| \`sonnet\` | \`${MODEL_ALIASES.sonnet}\` |`,
      `| \`opus\` | \`${MODEL_ALIASES.opus}\` |`,
      `| \`haiku\` | \`${MODEL_ALIASES.haiku}\` |`,
      `| \`inherit\` | the conversation's model in Claude Code; here \`${DEFAULT_MODEL}\` |`,
      '| `claude-…` | that model id, as written |',
      '',
      `Without it, Claude Code uses its default for agents; here \`${DEFAULT_MODEL}\`. The \`lingualeap.model\` setting overrides it.`,
    ].join('\n'),
  },
  color: {
    key: 'color',
    required: false,
    summary: `one of ${AGENT_COLORS.join(', ')}`,
    hover: [
      `**color**: the agent's color in Claude Code's interface, one of ${AGENT_COLORS.map((c) => `\`${c}\``).join(', ')}.`,
      '',
      'In LinguaLeap: the accent of its panel and of its status bar item.',
    ].join('\n'),
  },
};
