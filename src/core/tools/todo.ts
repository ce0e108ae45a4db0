/**
 * TodoWrite: the model's plan, replaced whole on every call. Nothing is stored here: the outcome
 * carries the plan for the UI to show.
 */
import * as l10n from '@vscode/l10n';
import { BadInput, InputReader, describe } from './input';
import { plainText, plural } from './text';
import { type TodoItem, type ToolOutcome } from './types';

/** Steps a plan may have. */
const TODO_MAX_ITEMS = 100;
const STATUSES: readonly TodoItem['status'][] = ['pending', 'in_progress', 'completed'];

/** Runs TodoWrite. Bad input throws `BadInput` (runTool's to report). */
export function runTodoWrite(input: unknown): ToolOutcome {
  const list = new InputReader('TodoWrite', input).requiredArray('todos', 'the whole list of steps, each with content and status');
  if (list.length > TODO_MAX_ITEMS) {
    throw new BadInput(`The "todos" field of TodoWrite has ${list.length} steps; at most ${TODO_MAX_ITEMS} are kept.`);
  }
  const todos = list.map((item, index) => readItem(item, index));
  const done = todos.filter((todo) => todo.status === 'completed').length;
  const active = todos.find((todo) => todo.status === 'in_progress');
  const progress = `${done} of ${plural(todos.length, 'step')} done`;
  return {
    content:
      todos.length === 0
        ? 'The plan is cleared.'
        : `The plan is updated: ${progress}${active ? `, now: ${active.content}` : ''}. Keep it current as you work: mark each step in_progress when you start it and completed when it is done.`,
    isError: false,
    summary: todoSummary(done, todos.length),
    files: [],
    todos,
  };
}

/** The step's title: "TodoWrite · 2 of 5 steps done". The model's text says the same in English. */
function todoSummary(done: number, total: number): string {
  if (total === 0) {
    return l10n.t('TodoWrite · plan cleared');
  }
  return total === 1 ? l10n.t('TodoWrite · {0} of 1 step done', done) : l10n.t('TodoWrite · {0} of {1} steps done', done, total.toLocaleString('en-US'));
}

function readItem(item: unknown, index: number): TodoItem {
  const field = `todos[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new BadInput(`${field} of TodoWrite must be an object with content and status, not ${describe(item)}.`);
  }
  const { content, status, activeForm } = item as Record<string, unknown>;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new BadInput(`${field}.content of TodoWrite must be the step's text, not ${describe(content)}.`);
  }
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
    throw new BadInput(`${field}.status of TodoWrite must be one of ${STATUSES.join(', ')}, not ${describe(status)}.`);
  }
  if (activeForm !== undefined && activeForm !== null && typeof activeForm !== 'string') {
    throw new BadInput(`${field}.activeForm of TodoWrite must be a string, not ${describe(activeForm)}.`);
  }
  const todo: TodoItem = { content: plainText(content.trim()), status: status as TodoItem['status'] };
  if (typeof activeForm === 'string' && activeForm.trim() !== '') {
    todo.activeForm = plainText(activeForm.trim());
  }
  return todo;
}
