/**
 * Choosing an agent: the quick pick behind "Ask Agent…" and the status bar, the status bar item
 * showing the default agent in its color, and "New Agent…", which writes a valid agent file into
 * the project's or the user's agents folder.
 */
import * as vscode from 'vscode';
import { SCOPE_LABELS, type AgentCatalogEntry } from '../core/agent/catalog';
import { agentDisplayName, firstSentence } from '../core/agent/display';
import { resolveModel } from '../core/agent/models';
import type { AgentDefinition } from '../core/agent/parse';
import { newAgentTemplate } from '../core/agent/template';
import type { AgentChooser } from '../host/agents';
import { readConfig } from '../host/settings';
import { agentThemeColor } from '../shared/agentColor';
import type { AgentRegistry } from './registry';
import { PROJECT_AGENTS_DIR } from './watch';
import type { AgentStatusItem } from './statusItem';

interface AgentPick extends vscode.QuickPickItem {
  readonly agent?: AgentDefinition;
  readonly unusable?: string;
}

/** The model an agent answers with, as the picker shows it. */
function modelOf(agent: AgentDefinition): string {
  return resolveModel(agent.model, readConfig().modelOverride).id;
}

/** Quick pick items: usable agents first (winner of each name), then shadowed and unusable ones, explained. */
function pickItems(entries: readonly AgentCatalogEntry[], current?: string): AgentPick[] {
  const usable = entries.filter((entry) => entry.usable && !entry.shadowedBy && entry.agent);
  const others = entries.filter((entry) => !(entry.usable && !entry.shadowedBy && entry.agent));
  const item = (entry: AgentCatalogEntry): AgentPick => {
    const agent = entry.agent;
    const name = agent?.name ?? entry.path;
    const scope = SCOPE_LABELS[entry.scope];
    if (!agent) {
      return { label: `$(warning) ${name}`, description: scope, detail: entry.unusableReason, unusable: entry.unusableReason };
    }
    const { shadowedBy } = entry;
    const shadow = shadowedBy ? ` · ${vscode.l10n.t('shadowed by the {0} in {1}', SCOPE_LABELS[shadowedBy.scope], shadowedBy.path)}` : '';
    return {
      label: `${agent.name === current ? '$(check) ' : ''}${agent.name}`,
      description: `${scope} · ${modelOf(agent)}${shadow}`,
      detail: firstSentence(agent.description),
      agent: entry.usable && !shadowedBy ? agent : undefined,
      unusable:
        entry.unusableReason ??
        (shadowedBy
          ? vscode.l10n.t('“{0}” here is shadowed by the {1} of the same name in {2}, which answers instead.', agent.name, SCOPE_LABELS[shadowedBy.scope], shadowedBy.path)
          : undefined),
    };
  };
  return [
    ...usable.map(item),
    ...(others.length > 0 ? [{ label: vscode.l10n.t({ message: 'Not available', comment: ['Separator in the agent quick pick, above the agents that cannot answer'] }), kind: vscode.QuickPickItemKind.Separator } as AgentPick, ...others.map(item)] : []),
  ];
}

/**
 * A quick pick of every agent: name, the first sentence of its description, its scope and its
 * model. Shadowed and broken files are listed after the usable ones, with why.
 */
async function pickAgent(registry: AgentRegistry, title: string, current?: string): Promise<AgentDefinition | undefined> {
  const items = pickItems(await registry.entries(), current);
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Which agent should answer?'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.unusable && !picked.agent) {
    void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: {0}', picked.unusable));
    return undefined;
  }
  return picked?.agent;
}

/**
 * Keeps the status bar item on the default agent: now, and whenever an agent file or the
 * `lingualeap.agent` / `lingualeap.model` setting changes.
 */
export function followDefaultAgent(status: AgentStatusItem, registry: AgentRegistry): vscode.Disposable {
  let refreshing: Promise<void> | undefined;
  let again = false;
  // A change that arrives while an update runs is not lost: one more update follows it.
  const refresh = () => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = update().finally(() => {
      refreshing = undefined;
      if (again) {
        again = false;
        refresh();
      }
    });
  };
  const update = async () => {
    let agent: AgentDefinition;
    try {
      agent = await registry.get();
    } catch (err) {
      status.showProblem(err instanceof Error ? err.message : String(err));
      return;
    }
    status.show(
      agentDisplayName(agent),
      agentThemeColor(agent.color),
      new vscode.MarkdownString(
        `**${agentDisplayName(agent)}** (${agent.name}) · ${modelOf(agent)}\n\n${firstSentence(agent.description)}\n\n${vscode.l10n.t('Click to choose the default agent.')}`,
      ),
    );
  };
  refresh();
  return vscode.Disposable.from(
    registry.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('lingualeap.agent') || event.affectsConfiguration('lingualeap.model')) {
        refresh();
      }
    }),
  );
}

/** Chooses the default agent and writes `lingualeap.agent` (workspace settings with a folder open, else user). */
async function chooseDefaultAgent(registry: AgentRegistry): Promise<string | undefined> {
  const current = readConfig().agent || (await registry.get().catch(() => undefined))?.name;
  const agent = await pickAgent(registry, vscode.l10n.t('LinguaLeap: Default Agent'), current);
  if (!agent) {
    return undefined;
  }
  const bundled = (await registry.entries()).find((entry) => entry.scope === 'bundled')?.agent?.name;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  // The architect is the default already: choosing it clears the setting instead of naming it.
  await vscode.workspace.getConfiguration('lingualeap').update('agent', agent.name === bundled ? undefined : agent.name, target);
  return agent.name;
}

interface ScopePick extends vscode.QuickPickItem {
  readonly folder: vscode.Uri;
}

/**
 * "New Agent…": where (a project folder's `.claude/agents`, or the user's), a name in Claude
 * Code's form, a description; writes a file that parses with no problem and opens it.
 */
async function newAgent(registry: AgentRegistry): Promise<vscode.Uri | undefined> {
  const scopes: ScopePick[] = [
    ...(vscode.workspace.workspaceFolders ?? []).map((folder) => ({
      label: `$(folder) ${vscode.l10n.t('Project: {0}', folder.name)}`,
      description: vscode.l10n.t('{0}/ — shared with everyone who opens this folder', PROJECT_AGENTS_DIR),
      folder: vscode.Uri.joinPath(folder.uri, ...PROJECT_AGENTS_DIR.split('/')),
    })),
    {
      label: `$(account) ${vscode.l10n.t({ message: 'User', comment: ['Where a new agent file goes: the user’s own agents folder, as opposed to the project’s'] })}`,
      description: vscode.l10n.t('~/.claude/agents/ — yours, in every project'),
      folder: registry.userFolder,
    },
  ];
  const scope = scopes.length === 1 ? scopes[0] : await vscode.window.showQuickPick(scopes, { title: vscode.l10n.t('LinguaLeap: New Agent (1/3)'), placeHolder: vscode.l10n.t('Where should the agent live?') });
  if (!scope) {
    return undefined;
  }
  const taken = new Set((await registry.files()).map((file) => file.name?.toLowerCase()).filter(Boolean));
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('LinguaLeap: New Agent (2/3)'),
    prompt: vscode.l10n.t('The agent’s name: lowercase letters, digits and hyphens, as Claude Code expects.'),
    placeHolder: vscode.l10n.t('e.g. prisma-expert'),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(trimmed)) {
        return vscode.l10n.t('Use lowercase letters, digits and single hyphens, e.g. prisma-expert.');
      }
      return taken.has(trimmed)
        ? { message: vscode.l10n.t('An agent named “{0}” exists; this one would shadow it or be shadowed.', trimmed), severity: vscode.InputBoxValidationSeverity.Warning }
        : undefined;
    },
  });
  if (!name) {
    return undefined;
  }
  const description = await vscode.window.showInputBox({
    title: vscode.l10n.t('LinguaLeap: New Agent (3/3)'),
    prompt: vscode.l10n.t('When should this agent be used? (Claude Code shows this to choose the agent.)'),
    placeHolder: vscode.l10n.t('e.g. Use for Prisma schema design, migrations and query performance.'),
    ignoreFocusOut: true,
  });
  if (description === undefined) {
    return undefined;
  }
  const file = vscode.Uri.joinPath(scope.folder, `${name.trim()}.md`);
  const exists = await vscode.workspace.fs.stat(file).then(
    () => true,
    () => false,
  );
  if (exists) {
    void vscode.window.showWarningMessage(vscode.l10n.t('LinguaLeap: {0} exists already; it was opened instead.', file.fsPath));
  } else {
    await vscode.workspace.fs.createDirectory(scope.folder);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(newAgentTemplate({ name: name.trim(), description, model: 'sonnet' })));
  }
  await vscode.window.showTextDocument(file);
  return file;
}

/** The commands' view of the registry. */
export function agentChooser(registry: AgentRegistry): AgentChooser {
  return {
    pick: async (title) => pickAgent(registry, title, (await registry.get().catch(() => undefined))?.name),
    find: (name) => registry.find(name),
    agentIn: (file) => registry.agentIn(file),
    chooseDefault: () => chooseDefaultAgent(registry),
    newAgent: () => newAgent(registry),
  };
}
