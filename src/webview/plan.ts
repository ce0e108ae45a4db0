/**
 * The agent's plan (its TodoWrite list) as a live checklist at the top of the answer: pending,
 * in progress (emphasised), completed (struck through). Each `todos` message is the whole list
 * as it stands; the checklist is updated in place.
 */
import type { TodoView } from '../shared/protocol';
import { h } from './dom';
import { icon, type IconName } from './icons';
import { textWithCode } from './toolSteps';

const ITEM: Readonly<Record<TodoView['status'], { readonly icon: IconName; readonly label: string }>> = {
  pending: { icon: 'circle', label: 'To do: ' },
  in_progress: { icon: 'circleHalf', label: 'In progress: ' },
  completed: { icon: 'circleCheck', label: 'Done: ' },
};

export class PlanView {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly progress: HTMLElement;

  constructor() {
    this.list = h('ol', { className: 'plan-items' });
    this.progress = h('span', { className: 'plan-progress' });
    const heading = h('h3', { className: 'plan-heading' }, icon('checklist'), h('span', { className: 'plan-title' }, 'Plan'), this.progress);
    this.element = h('section', { className: 'plan', attrs: { 'aria-label': 'Plan' } }, heading, this.list);
  }

  update(todos: readonly TodoView[]): void {
    const items = todos.filter((todo) => typeof todo?.content === 'string' && todo.content.trim() !== '');
    const done = items.filter((todo) => todo.status === 'completed').length;
    this.progress.textContent = `${done} of ${items.length} done`;
    this.list.replaceChildren(
      ...items.map((todo) => {
        const status = ITEM[todo.status] ? todo.status : 'pending';
        return h(
          'li',
          { className: `plan-item is-${status.replace('_', '-')}` },
          icon(ITEM[status].icon, 'plan-icon'),
          h('span', { className: 'plan-text' }, h('span', { className: 'sr-only' }, ITEM[status].label), ...textWithCode(todo.content)),
        );
      }),
    );
    this.element.hidden = items.length === 0;
  }
}
