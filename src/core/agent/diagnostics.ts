/**
 * Diagnostics for an agent file open in the editor: every check of `analyze.ts`, plus the ones
 * that need to know the other agents. Positions are 0-based like `vscode.Range`; each
 * diagnostic carries its quick fixes as plain text edits. Pure.
 */
import * as l10n from '@vscode/l10n';
import { analyzeAgentText, fieldValueRange, type AgentDiagnostic } from './analyze';
import { SCOPE_LABELS, sameAgentName, winsOver, type AgentScope } from './catalog';

export type { AgentDiagnostic, AgentEdit, AgentSeverity } from './analyze';
export type { AgentRange } from './frontMatter';

/** Another agent the user has, to find duplicate names. */
export interface OtherAgent {
  readonly name: string;
  readonly scope: AgentScope;
  readonly path: string;
}

/**
 * The problems of an agent file's text. `fileName` suggests a name for a file that lacks one;
 * `otherAgents` (this file may be among them, by path) and `scope` (default `project`) find
 * the names it shares.
 */
export function diagnoseAgentText(
  text: string,
  options: { readonly fileName: string; readonly otherAgents?: readonly OtherAgent[]; readonly scope?: AgentScope },
): AgentDiagnostic[] {
  const analysis = analyzeAgentText(text, options.fileName);
  const result = [...analysis.diagnostics];
  const name = analysis.fields?.name;
  if (name !== undefined && options.otherAgents) {
    const self = { scope: options.scope ?? 'project', path: options.fileName };
    const range = fieldValueRange(analysis, 'name');
    for (const other of options.otherAgents) {
      if (other.path === self.path || !sameAgentName(other.name, name)) {
        continue;
      }
      result.push(
        winsOver(other, self)
          ? {
              severity: 'warning',
              code: 'duplicate-name',
              field: 'name',
              message: l10n.t(
                '{0} ({1}) is also named "{2}" and answers instead of this one: {3}',
                other.path,
                SCOPE_LABELS[other.scope],
                other.name,
                precedence(self.scope, other.scope),
              ),
              range,
              fixes: [],
            }
          : {
              severity: 'info',
              code: 'duplicate-name',
              field: 'name',
              message: l10n.t(
                'this agent answers instead of {0} ({1}), which is also named "{2}": {3}',
                other.path,
                SCOPE_LABELS[other.scope],
                other.name,
                precedence(self.scope, other.scope),
              ),
              range,
              fixes: [],
            },
      );
    }
  }
  return result;
}

function precedence(a: AgentScope, b: AgentScope): string {
  return a === b
    ? l10n.t('of two files in one place, the path that sorts first is used.')
    : l10n.t('project agents win over user agents, and both over the bundled one.');
}
