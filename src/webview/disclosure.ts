/**
 * The disclosure pattern the panel uses for tool steps and a turn's details: a button with
 * `aria-expanded` that shows and hides the panel it `aria-controls`.
 */
import * as l10n from '@vscode/l10n';
import { h } from './dom';
import { icon } from './icons';

let lastId = 0;

/**
 * An id unique in the page: turn and step ids are not (a host restarted without reloading the
 * webview starts again at `t1`, and the old turns stay as history).
 */
function uniqueId(prefix: string): string {
  return `${prefix}-${++lastId}`;
}

/** Points `button` at `panel` and makes a click toggle it; returns the setter. */
export function wireDisclosure(button: HTMLButtonElement, panel: HTMLElement, onChange?: (expanded: boolean) => void): (expanded: boolean) => void {
  panel.id ||= uniqueId('ll-disclosure');
  button.setAttribute('aria-controls', panel.id);
  const set = (expanded: boolean): void => {
    button.setAttribute('aria-expanded', String(expanded));
    panel.hidden = !expanded;
    onChange?.(expanded);
  };
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  set(false);
  return set;
}

/**
 * Lines about the answer that are not part of it ("Not available here: Edit, Write"), under the
 * answer in a collapsed "Details" disclosure. Lines are added, never replaced; a line already
 * shown is not shown twice (the host may send the whole list again).
 */
export class DetailsView {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly lines = new Set<string>();

  constructor() {
    this.list = h('ul', { className: 'turn-details-list' });
    this.count = h('span', { className: 'turn-details-count' });
    const panel = h('div', { className: 'turn-details-panel' }, this.list);
    const button = h(
      'button',
      { className: 'disclosure-button turn-details-button', attrs: { type: 'button' } },
      icon('chevronRight', 'disclosure-chevron'),
      h('span', {}, l10n.t('Details')),
      this.count,
    );
    wireDisclosure(button, panel);
    this.element = h('div', { className: 'turn-details', attrs: { hidden: '' } }, button, panel);
  }

  add(lines: readonly string[]): void {
    for (const line of lines) {
      const text = typeof line === 'string' ? line.trim() : '';
      if (text === '' || this.lines.has(text)) {
        continue;
      }
      this.lines.add(text);
      this.list.append(h('li', {}, text));
    }
    this.count.textContent = this.lines.size > 1 ? String(this.lines.size) : '';
    this.element.hidden = this.lines.size === 0;
  }
}
