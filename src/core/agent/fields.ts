/**
 * What each front-matter field means, in Claude Code and in this extension: the editor's hover
 * texts and completion details. Pure data. The texts are getters, so each is translated when it
 * is read (once the display language's bundle is loaded), never when this module loads.
 */
import * as l10n from '@vscode/l10n';
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
  get Read() {
    return l10n.t('reads a file of the workspace');
  },
  get Glob() {
    return l10n.t('finds workspace files by name pattern');
  },
  get Grep() {
    return l10n.t('searches the workspace files for text');
  },
  get LS() {
    return l10n.t('lists a workspace folder');
  },
  get Bash() {
    return l10n.t('runs a shell command, after you allow it');
  },
  get TodoWrite() {
    return l10n.t('keeps the plan of a long answer');
  },
  get WebFetch() {
    return l10n.t('reads a web page (an Anthropic server tool)');
  },
  get WebSearch() {
    return l10n.t('searches the web (an Anthropic server tool)');
  },
};

const otherTools = CLAUDE_CODE_TOOLS.filter((tool) => !TOOLS_RUN_HERE.includes(tool));

/** The five fields Claude Code defines, each with its hover text. */
export const FRONT_MATTER_FIELDS: Readonly<Record<AgentField, FrontMatterFieldInfo>> = {
  name: {
    key: 'name',
    required: true,
    get summary() {
      return l10n.t("required: the agent's identifier, lowercase letters and hyphens");
    },
    get hover() {
      return [
        l10n.t("**name** (required): the agent's identifier, in lowercase letters and hyphens (`code-reviewer`)."),
        '',
        l10n.t('In Claude Code you ask for an agent by this name ("use the code-reviewer agent"), and it must be unique among your agents.'),
        '',
        l10n.t(
          'In LinguaLeap: start a question in Chat with `@lingualeap name: …` to ask this agent, pick it in the agent picker, or make it the default with the `lingualeap.agent` setting. A project agent (`.claude/agents/`) hides a user agent (`~/.claude/agents/`) of the same name, and both hide the bundled architect.',
        ),
      ].join('\n');
    },
  },
  description: {
    key: 'description',
    required: true,
    get summary() {
      return l10n.t('required: when to use this agent');
    },
    get hover() {
      return [
        l10n.t('**description** (required): when to use this agent.'),
        '',
        l10n.t(
          'Claude Code reads it to decide when to hand a task to the agent, which is why many descriptions end with `<example>` conversations. A description over several lines is best written as a YAML block (`description: |-` and indented lines).',
        ),
        '',
        l10n.t('In LinguaLeap: its first sentence describes the agent in the agent picker.'),
      ].join('\n');
    },
  },
  tools: {
    key: 'tools',
    required: false,
    get summary() {
      return l10n.t('the tools the agent may use');
    },
    get hover() {
      return [
        l10n.t('**tools**: the tools the agent may use, as a comma list (`Read, Grep, Glob`) or a YAML list. Without it, a Claude Code agent may use every tool.'),
        '',
        l10n.t('In LinguaLeap the architect may use, of those listed:'),
        '',
        ...TOOLS_RUN_HERE.map((tool) => `- \`${tool}\`: ${TOOL_NOTES[tool]}`),
        '',
        l10n.t('Not available here (they are ignored): {0}, and MCP tools.', otherTools.map((tool) => `\`${tool}\``).join(', ')),
      ].join('\n');
    },
  },
  model: {
    key: 'model',
    required: false,
    get summary() {
      return l10n.t('sonnet, opus, haiku, inherit or a Claude model id');
    },
    get hover() {
      return [
        l10n.t('**model**: the Claude model the agent runs on.'),
        '',
        l10n.t({ message: '| value | in LinguaLeap |', comment: ['The header of a Markdown table: what "model:" may say, and the model it means here'] }),
        '| --- | --- |',
        `| \`sonnet\` | \`${MODEL_ALIASES.sonnet}\` |`,
        `| \`opus\` | \`${MODEL_ALIASES.opus}\` |`,
        `| \`haiku\` | \`${MODEL_ALIASES.haiku}\` |`,
        l10n.t("| `inherit` | the conversation's model in Claude Code; here `{0}` |", DEFAULT_MODEL),
        l10n.t('| `claude-…` | that model id, as written |'),
        '',
        l10n.t('Without it, Claude Code uses its default for agents; here `{0}`. The `lingualeap.model` setting overrides it.', DEFAULT_MODEL),
      ].join('\n');
    },
  },
  color: {
    key: 'color',
    required: false,
    get summary() {
      return l10n.t('one of {0}', AGENT_COLORS.join(', '));
    },
    get hover() {
      return [
        l10n.t("**color**: the agent's color in Claude Code's interface, one of {0}.", AGENT_COLORS.map((c) => `\`${c}\``).join(', ')),
        '',
        l10n.t('In LinguaLeap: the accent of its panel and of its status bar item.'),
      ].join('\n');
    },
  },
};
