/**
 * How an agent is named in the UI. Pure.
 */
import type { AgentDefinition } from './parse';

/**
 * "lingualeap-backend-architect" → "LinguaLeap Backend Architect": each word capitalized,
 * keeping a mixed-case spelling the agent itself uses (so brand names read right).
 */
export function agentDisplayName(agent: Pick<AgentDefinition, 'name' | 'description' | 'body'>): string {
  const text = `${agent.description}\n${agent.body}`;
  return agent.name
    .split(/[-_\s]+/)
    .filter((word) => word !== '')
    .map((word) => {
      const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const match of text.matchAll(new RegExp(`\\b${escaped}\\b`, 'gi'))) {
        if (/[A-Z]/.test(match[0].slice(1))) {
          return match[0];
        }
      }
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(' ');
}

/**
 * The first sentence of a description, for the agent picker: without the `<example>`
 * conversations and the `Examples:` label that many descriptions end with, without Markdown
 * bold, on one line, at most `maxLength` characters (cut at a word, with "…").
 */
export function firstSentence(description: string, maxLength = 160): string {
  let text = description.replace(/\\n/g, '\n');
  const example = text.search(/<example\b|^\s*examples?\s*:/im);
  if (example >= 0) {
    text = text.slice(0, example);
  }
  text = text
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*\bexamples?\s*:?\s*$/i, '')
    .trim();
  const sentenceEnd = /[.!?](?=\s|$)/g;
  for (let match = sentenceEnd.exec(text); match; match = sentenceEnd.exec(text)) {
    // "e.g." and "i.e." end abbreviations, not sentences.
    if (!/\b(e\.g|i\.e|etc|vs|cf|incl|approx)$/i.test(text.slice(0, match.index))) {
      text = text.slice(0, match.index + 1);
      break;
    }
  }
  if (text.length <= maxLength) {
    return text;
  }
  const cut = text.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
