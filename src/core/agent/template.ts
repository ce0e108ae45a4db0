/**
 * The text of a new agent file, for the "new agent" command. Pure.
 */
import { agentDisplayName, firstSentence } from './display';
import { AGENT_NAME_PATTERN, slugify } from './analyze';
import { yamlField } from './yamlText';

/** What the user chose for a new agent. */
export interface NewAgentOptions {
  /** Made into Claude Code's form (`Code Reviewer` → `code-reviewer`) when it is not already. */
  readonly name: string;
  /** When to use the agent; a placeholder sentence when empty. */
  readonly description: string;
  readonly tools?: readonly string[];
  readonly model?: string;
  readonly color?: string;
}

/**
 * A complete agent file: front matter written so strict YAML reads it (any description is
 * quoted or folded as needed) and a starter system prompt. With valid tools, model and color
 * it parses with no problems at all.
 */
export function newAgentTemplate(options: NewAgentOptions): string {
  const name = AGENT_NAME_PATTERN.test(options.name.trim()) ? options.name.trim() : slugify(options.name);
  const description = options.description.trim() || `Use this agent when you need the ${name.replace(/-/g, ' ')}.`;
  const lines = ['---', `name: ${name}`, yamlField('description', description)];
  const tools = (options.tools ?? []).map((tool) => tool.trim()).filter((tool) => tool !== '');
  if (tools.length > 0) {
    lines.push(yamlField('tools', tools.join(', ')));
  }
  if (options.model?.trim()) {
    lines.push(yamlField('model', options.model.trim()));
  }
  if (options.color?.trim()) {
    lines.push(yamlField('color', options.color.trim()));
  }
  const title = agentDisplayName({ name, description, body: '' });
  lines.push(
    '---',
    '',
    `You are the ${title}. ${firstSentence(description, 400)}`,
    '',
    '## How you work',
    '',
    '- Read the code and files you are asked about before you answer.',
    '- Say what you found, what you recommend and why, with the files and lines it concerns.',
    '- Ask when a request is ambiguous instead of guessing.',
    '',
  );
  return lines.join('\n');
}
