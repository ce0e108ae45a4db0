/**
 * An answer's tool steps as the user sees them: a one-line title while a call runs and after,
 * the result to expand, the files and pages it touched, and what a click on one of them opens.
 * Pure: the panel and the Chat view turn these into their own UI.
 */
import * as l10n from '@vscode/l10n';
import type { ServerToolEvent } from '../llm/toolLoop';
import type { TodoItem, ToolFileRef, ToolOutcome } from '../tools';
import type { StepLink, TodoView, ToolStepView } from '../../shared/protocol';

/** What a step's link opens: a file at its lines, or a web page. Kept by the host, never sent to the webview. */
export type StepTarget =
  | { readonly kind: 'file'; readonly path: string; readonly startLine?: number; readonly endLine?: number }
  | { readonly kind: 'url'; readonly url: string };

/** How much of a result is kept to show when a step is expanded. */
const STEP_DETAIL_CHARS = 4000;
/** Links shown under one step. */
const MAX_LINKS = 50;

/** The steps of one answer, in the order the model made them. */
export class TurnSteps {
  private readonly views: ToolStepView[] = [];
  private readonly targets = new Map<string, StepTarget[]>();
  private readonly byCall = new Map<string, string>();

  /** `roots`: the workspace folders, so paths read relative to them. */
  constructor(private readonly roots: readonly string[]) {}

  /** A client tool call starts at `at` characters into the answer. */
  started(callId: string, tool: string, input: unknown, at: number): ToolStepView {
    const stepId = `s${this.views.length + 1}`;
    this.byCall.set(callId, stepId);
    return this.put({ stepId, tool, title: describeCall(tool, input), status: 'running', at });
  }

  /** The call ended with `outcome`. */
  finished(callId: string, outcome: ToolOutcome): ToolStepView | undefined {
    const stepId = this.byCall.get(callId);
    const step = stepId && this.views.find((view) => view.stepId === stepId);
    if (!step) {
      return undefined;
    }
    const files = outcome.files.slice(0, MAX_LINKS);
    this.targets.set(step.stepId, files.map((file) => ({ kind: 'file', path: file.path, startLine: file.startLine, endLine: file.endLine })));
    return this.put({
      ...step,
      title: outcome.cancelled ? l10n.t('{0} · stopped', step.title) : outcome.summary,
      status: outcome.isError && !outcome.cancelled ? 'error' : 'done',
      detail: cut(outcome.content),
      links: files.map((file) => ({ kind: 'file', label: this.fileLabel(file) })),
    });
  }

  /** A web search or fetch Anthropic ran, at `at` characters into the answer. */
  server(event: ServerToolEvent, at: number): ToolStepView {
    const stepId = `s${this.views.length + 1}`;
    const results = event.results.slice(0, MAX_LINKS);
    this.targets.set(stepId, results.map((result) => ({ kind: 'url', url: result.url })));
    return this.put({
      stepId,
      tool: event.kind === 'search' ? 'WebSearch' : 'WebFetch',
      title: serverTitle(event),
      status: event.error ? 'error' : 'done',
      at,
      detail: results.map((result) => (result.title ? `${result.title}\n  ${result.url}` : result.url)).join('\n') || undefined,
      links: results.map((result): StepLink => ({ kind: 'url', label: result.title ? `${result.title} — ${result.url}` : result.url })),
    });
  }

  /** What link `index` of step `stepId` opens. */
  target(stepId: string, index: number): StepTarget | undefined {
    return this.targets.get(stepId)?.[index];
  }

  /** Every step as it stands. */
  all(): ToolStepView[] {
    return [...this.views];
  }

  /** Every target, by step, for storage with the conversation. */
  allTargets(): Record<string, StepTarget[]> {
    return Object.fromEntries(this.targets);
  }

  /** Steps and targets stored with a conversation, to open links after a reload. */
  static restore(roots: readonly string[], views: readonly ToolStepView[] = [], targets: Readonly<Record<string, readonly StepTarget[]>> = {}): TurnSteps {
    const steps = new TurnSteps(roots);
    steps.views.push(...views);
    for (const [stepId, list] of Object.entries(targets)) {
      steps.targets.set(stepId, [...list]);
    }
    return steps;
  }

  private put(view: ToolStepView): ToolStepView {
    const index = this.views.findIndex((candidate) => candidate.stepId === view.stepId);
    if (index >= 0) {
      this.views[index] = view;
    } else {
      this.views.push(view);
    }
    return view;
  }

  private fileLabel(file: ToolFileRef): string {
    const lines = file.startLine === undefined ? '' : file.endLine !== undefined && file.endLine !== file.startLine ? `:${file.startLine}-${file.endLine}` : `:${file.startLine}`;
    return `${relativeTo(this.roots, file.path)}${lines}`;
  }
}

/** The plan as the webview and the Chat view show it. */
export function todoViews(todos: readonly TodoItem[]): TodoView[] {
  return todos.map((todo) => ({ content: todo.status === 'in_progress' && todo.activeForm ? todo.activeForm : todo.content, status: todo.status }));
}

/** A web search's or fetch's title: what was searched for or fetched, and how it went. */
function serverTitle(event: ServerToolEvent): string {
  if (event.kind === 'search') {
    const query = event.query ?? '';
    if (event.error) {
      return l10n.t('WebSearch “{0}” · failed ({1})', query, event.error);
    }
    const count = event.results.length;
    return count === 1 ? l10n.t('WebSearch “{0}” · 1 result', query) : l10n.t('WebSearch “{0}” · {1} results', query, count);
  }
  const url = event.url ?? '';
  return event.error ? l10n.t('WebFetch {0} · failed ({1})', url, event.error) : `WebFetch ${url}`;
}

/** A running call in one line: the tool and what it was asked, from the input Claude sent. */
export function describeCall(tool: string, input: unknown): string {
  const field = (name: string): string | undefined => {
    const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? oneLine(value) : undefined;
  };
  switch (tool) {
    case 'Read': {
      const path = field('file_path');
      return path ? l10n.t({ message: 'Read {0}', args: [path], comment: ['{0} is a file path. "Read" is the name of the tool.'] }) : 'Read';
    }
    case 'Glob': {
      const pattern = field('pattern') ?? '';
      const path = field('path');
      return path ? l10n.t('Glob `{0}` in {1}', pattern, path) : `Glob \`${pattern}\``;
    }
    case 'Grep': {
      const pattern = field('pattern') ?? '';
      const path = field('path');
      return path ? l10n.t('Grep `{0}` in {1}', pattern, path) : `Grep \`${pattern}\``;
    }
    case 'LS':
      return `LS ${field('path') ?? '.'}`;
    case 'Bash':
      return `Bash \`${field('command') ?? ''}\``;
    case 'TodoWrite':
      return l10n.t('Update the plan');
    default:
      return tool;
  }
}

function oneLine(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function cut(text: string): string | undefined {
  if (text === '') {
    return undefined;
  }
  return text.length > STEP_DETAIL_CHARS ? `${text.slice(0, STEP_DETAIL_CHARS)}\n${l10n.t('… {0} more characters', text.length - STEP_DETAIL_CHARS)}` : text;
}

/** `path` relative to the workspace folder holding it (with forward slashes), else as it is. */
function relativeTo(roots: readonly string[], path: string): string {
  for (const root of roots) {
    if (path === root || path === root.replace(/[\\/]+$/, '')) {
      // The workspace folder itself (a Grep or LS of everything): its name.
      return root.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path;
    }
    const prefix = root.endsWith('/') || root.endsWith('\\') ? root : `${root}${root.includes('\\') && !root.includes('/') ? '\\' : '/'}`;
    if (path.startsWith(prefix)) {
      return path.slice(prefix.length).replace(/\\/g, '/');
    }
  }
  return path;
}
