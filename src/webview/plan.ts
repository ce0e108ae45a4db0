/**
 * The agent's plan (its TodoWrite list) as a live checklist at the top of the answer: pending,
 * in progress (emphasised), completed (struck through). Each `todos` message is the whole list
 * as it stands; the checklist is updated in place.
 */
import * as l10n from '@vscode/l10n';
import type { TodoView } from '../shared/protocol';
import { h } from './dom';
import { icon, type IconName } from './icons';
import { textWithCode } from './toolSteps';

const ICONS: Readonly<Record<TodoView['status'], IconName>> = {
  pending: 'circle',
  in_progress: 'circleHalf',
  completed: 'circleCheck',
};

/** What a screen reader hears before an item. */
function statusLabel(status: TodoView['status']): string {
  switch (status) {
    case 'pending':
      return l10n.t('To do: ');
    case 'in_progress':
      return l10n.t('In progress: ');
    case 'completed':
      return l10n.t('Done: ');
  }
}

export class PlanView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly progress: HTMLElement;

  constructor() {
    this.list = h('ol', { className: 'plan-items' });
    this.progress = h('span', { className: 'plan-progress' });
    const heading = h('h3', { className: 'plan-heading' }, icon('checklist'), h('span', { className: 'plan-title' }, l10n.t('Plan')), this.progress);
    this.element = h('section', { className: 'plan', attrs: { 'aria-label': l10n.t('Plan') } }, heading, this.list);
  }

  update(todos: readonly TodoView[]): void {
    const items = todos.filter((todo) => typeof todo?.content === 'string' && todo.content.trim() !== '');
    const done = items.filter((todo) => todo.status === 'completed').length;
    this.progress.textContent = l10n.t('{0} of {1} done', done, items.length);
    this.list.replaceChildren(
      ...items.map((todo) => {
        const status = ICONS[todo.status] ? todo.status : 'pending';
        return h(
          'li',
          { className: `plan-item is-${status.replace('_', '-')}` },
          icon(ICONS[status], 'plan-icon'),
          h('span', { className: 'plan-text' }, h('span', { className: 'sr-only' }, statusLabel(status)), ...textWithCode(todo.content)),
        );
      }),
    );
    this.element.hidden = items.length === 0;
  }
}
