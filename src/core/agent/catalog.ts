/**
 * Every agent the user has, from three places, and which one answers to a name: a project's
 * `.claude/agents/`, the user's `~/.claude/agents/`, and the bundled architect. As in Claude
 * Code, a project agent shadows a user agent of the same name and both shadow the bundled one.
 * Pure: the VS Code side finds and reads the files.
 */
import * as l10n from '@vscode/l10n';
import type { AgentDefinition, AgentParseResult, AgentProblem } from './parse';

/** Where an agent file lives. */
export type AgentScope = 'project' | 'user' | 'bundled';

/** Precedence: a lower rank wins. */
const RANK: Readonly<Record<AgentScope, number>> = { project: 0, user: 1, bundled: 2 };

/** Words for a scope, in messages: getters, so each is translated when read, once the display language is known. */
export const SCOPE_LABELS: Readonly<Record<AgentScope, string>> = {
  get project() {
    return l10n.t('project agent');
  },
  get user() {
    return l10n.t('user agent');
  },
  get bundled() {
    return l10n.t('bundled agent');
  },
};

/**
 * Whether the agent at `a` wins over the one at `b` of the same name: the better scope, then
 * (two files of one scope, a mistake) the path that sorts first, so the choice is stable.
 */
export function winsOver(a: { scope: AgentScope; path: string }, b: { scope: AgentScope; path: string }): boolean {
  return RANK[a.scope] !== RANK[b.scope] ? RANK[a.scope] < RANK[b.scope] : a.path < b.path;
}

/** Names compare without case: `@lingualeap Reviewer:` finds `reviewer`. */
export function sameAgentName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** An agent file as found on disk and parsed. */
export interface AgentCatalogInput {
  readonly scope: AgentScope;
  readonly path: string;
  readonly result: AgentParseResult;
}

/** One agent file in the catalog. */
export interface AgentCatalogEntry {
  readonly scope: AgentScope;
  readonly path: string;
  /** Undefined when the file could not be parsed (see `problems`). */
  readonly agent?: AgentDefinition;
  readonly problems: readonly AgentProblem[];
  /**
   * Whether the agent may answer: it parsed, and it is not a project agent of an untrusted
   * workspace. A usable agent may still be shadowed.
   */
  readonly usable: boolean;
  /** Why it is not usable, as a sentence; undefined when usable. */
  readonly unusableReason?: string;
  /** The usable agent of the same name that answers instead of this one. */
  readonly shadowedBy?: { readonly scope: AgentScope; readonly path: string };
}

/** What `defaultAgent` chose, and a sentence for the user when it is not what they asked for. */
interface DefaultAgentChoice {
  readonly entry?: AgentCatalogEntry;
  readonly message?: string;
}

/** Every agent, and lookups by name. */
export interface AgentCatalog {
  /** By name (unparsed files last, by path), the winning scope first within a name. */
  readonly entries: readonly AgentCatalogEntry[];
  /** The usable, unshadowed agent of that name (any case), if any. */
  resolve(name: string): AgentCatalogEntry | undefined;
  /**
   * The agent that answers when none is asked for: the one the `lingualeap.agent` setting names,
   * else the bundled architect (or whatever shadows it). When the setting names no usable agent,
   * `message` says so and the bundled one answers.
   */
  defaultAgent(settingName: string | undefined): DefaultAgentChoice;
}

/**
 * Builds the catalog. `trusted`: whether the workspace is trusted; project agents of an
 * untrusted workspace are listed but unusable, and so shadow nothing.
 */
export function buildAgentCatalog(inputs: readonly AgentCatalogInput[], options: { readonly trusted: boolean }): AgentCatalog {
  const base = inputs.map((input) => {
    const { agent, problems } = input.result;
    let unusableReason: string | undefined;
    if (!agent) {
      unusableReason = l10n.t('{0} has errors: {1}', input.path, problems.find((p) => p.severity === 'error')?.message ?? l10n.t('it could not be read'));
    } else if (input.scope === 'project' && !options.trusted) {
      unusableReason = l10n.t('{0} is a project agent and this workspace is not trusted (Restricted Mode).', input.path);
    }
    return { scope: input.scope, path: input.path, agent, problems, usable: unusableReason === undefined, unusableReason };
  });

  const entries: AgentCatalogEntry[] = base.map((entry) => {
    if (!entry.usable || !entry.agent) {
      return entry;
    }
    const name = entry.agent.name;
    const winner = base
      .filter((other) => other.usable && other.agent && other !== entry && sameAgentName(other.agent.name, name))
      .reduce<(typeof base)[number] | undefined>((best, other) => (!best || winsOver(other, best) ? other : best), undefined);
    return winner && winsOver(winner, entry) ? { ...entry, shadowedBy: { scope: winner.scope, path: winner.path } } : entry;
  });
  entries.sort((a, b) => {
    if (!a.agent || !b.agent) {
      return a.agent ? -1 : b.agent ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    }
    const byName = a.agent.name.toLowerCase().localeCompare(b.agent.name.toLowerCase());
    return byName !== 0 ? byName : winsOver(a, b) ? -1 : 1;
  });

  const resolve = (name: string): AgentCatalogEntry | undefined =>
    entries.find((entry) => entry.usable && !entry.shadowedBy && entry.agent && sameAgentName(entry.agent.name, name));

  const defaultAgent = (settingName: string | undefined): DefaultAgentChoice => {
    const bundled = entries.find((entry) => entry.scope === 'bundled' && entry.agent);
    const fallback = bundled?.agent ? (resolve(bundled.agent.name) ?? bundled) : undefined;
    const wanted = settingName?.trim() ?? '';
    if (wanted === '') {
      return { entry: fallback, message: fallback ? undefined : l10n.t('The bundled architect could not be read.') };
    }
    const chosen = resolve(wanted);
    if (chosen) {
      return { entry: chosen };
    }
    const named = entries.filter((entry) => entry.agent && sameAgentName(entry.agent.name, wanted));
    const reason = named.find((entry) => entry.unusableReason)?.unusableReason;
    const known = entries
      .filter((entry) => entry.usable && !entry.shadowedBy && entry.agent)
      .map((entry) => `"${entry.agent?.name}"`)
      .join(', ');
    return {
      entry: fallback,
      message: reason
        ? l10n.t('The "lingualeap.agent" setting names "{0}", but no usable agent has that name ({1}); the bundled architect answers.', wanted, reason.replace(/\.$/, ''))
        : l10n.t(
            'The "lingualeap.agent" setting names "{0}", but no usable agent has that name (found: {1}); the bundled architect answers.',
            wanted,
            known || l10n.t({ message: 'none', comment: ['No agent was found: "(found: none)"'] }),
          ),
    };
  };

  return { entries, resolve, defaultAgent };
}
