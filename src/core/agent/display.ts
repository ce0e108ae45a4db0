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
