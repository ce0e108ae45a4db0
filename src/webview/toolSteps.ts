/**
 * A tool step of an answer (Read, Grep, Bash, a web search…) as a compact one-line row between
 * the text: an icon, the title, its state; a disclosure that shows what the step returned and
 * the files or pages it touched. Steps in a row share one list (a group).
 *
 * Titles, details and link labels come from the model's tool calls: they are set as text,
 * never as HTML; the one formatting a title gets is `code` between backticks.
 */
import * as l10n from '@vscode/l10n';
import type { StepLink, ToolStepView } from '../shared/protocol';
import { h } from './dom';
import { wireDisclosure } from './disclosure';
import { icon, type IconName } from './icons';

const TOOL_ICONS: Readonly<Record<string, IconName>> = {
  Read: 'fileText',
  Glob: 'files',
  Grep: 'search',
  LS: 'folder',
  Bash: 'terminal',
  TodoWrite: 'checklist',
  WebSearch: 'globe',
  WebFetch: 'globe',
};

type StepState = 'running' | 'done' | 'error' | 'stopped';

/** What a screen reader hears before a step's title; a finished step says nothing extra. */
function stateLabel(state: StepState): string {
  switch (state) {
    case 'running':
      return l10n.t('Running: ');
    case 'error':
      return l10n.t('Failed: ');
    case 'stopped':
      return l10n.t('Stopped: ');
    case 'done':
      return '';
  }
}

/**
 * `text` with each `` `span` `` as a `<code>` element and everything else as text nodes. An
 * unmatched backtick, or an empty pair, stays as typed.
 */
export function textWithCode(text: string): Node[] {
  const parts = text.split('`');
  const nodes: Node[] = [];
  let plain = '';
  parts.forEach((part, index) => {
    const closed = index % 2 === 1 && index < parts.length - 1;
    if (closed && part !== '') {
      if (plain) {
        nodes.push(document.createTextNode(plain));
        plain = '';
      }
      nodes.push(h('code', {}, part));
    } else {
      plain += index % 2 === 1 ? `\`${part}${closed ? '`' : ''}` : part;
    }
  });
  if (plain) {
    nodes.push(document.createTextNode(plain));
  }
  return nodes;
}

/** One step's row, updated in place as the step goes from running to done or failed. */
export class StepView {
  readonly element: HTMLLIElement;
  /** The disclosure, while the step has something to show; `plainHeader` until then. */
  private readonly toggle: HTMLButtonElement;
  private readonly plainHeader: HTMLDivElement;
  private header: HTMLElement;
  private readonly panel: HTMLElement;
  private readonly detail: HTMLPreElement;
  private readonly linkList: HTMLUListElement;
  private readonly setExpanded: (expanded: boolean) => void;
  private state: StepState = 'running';
  private current: ToolStepView;

  /** `openLink` is called with the index of a link under the step when it is clicked. */
  constructor(
    step: ToolStepView,
    private readonly openLink: (index: number) => void,
  ) {
    this.current = step;
    this.detail = h('pre', { className: 'tool-step-detail', attrs: { tabindex: '0' } });
    this.linkList = h('ul', { className: 'tool-step-links' });
    this.panel = h('div', { className: 'tool-step-panel' }, this.detail, this.linkList);
    // The same button is kept across updates, so focus stays on it when the step finishes.
    this.toggle = h('button', { className: 'tool-step-header', attrs: { type: 'button' } });
    this.setExpanded = wireDisclosure(this.toggle, this.panel);
    // A row with nothing to expand (a running step) is not a control.
    this.plainHeader = h('div', { className: 'tool-step-header' });
    this.header = this.plainHeader;
    this.element = h('li', { className: 'tool-step' }, this.header, this.panel);
    this.update(step);
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** The same step, later: a new status, its result, its links. */
  update(step: ToolStepView): void {
    this.current = step;
    this.state = step.status === 'done' || step.status === 'error' ? step.status : 'running';
    this.show();
  }

  /** The turn ended while the step was running: it will not finish. */
  markStopped(): void {
    if (this.state === 'running') {
      this.state = 'stopped';
      this.show();
    }
  }

  private show(): void {
    const step = this.current;
    const links = step.links ?? [];
    const detail = step.detail ?? '';
    const expandable = detail !== '' || links.length > 0;
    this.element.className = `tool-step is-${this.state}`;
    this.element.dataset.stepId = step.stepId;
    this.element.dataset.tool = step.tool;

    const header = expandable ? this.toggle : this.plainHeader;
    if (header !== this.header) {
      this.header.replaceWith(header);
      this.header = header;
    }
    const title = typeof step.title === 'string' && step.title !== '' ? step.title : step.tool;
    const label = stateLabel(this.state);
    this.header.title = title;
    this.header.replaceChildren(
      expandable ? icon('chevronRight', 'disclosure-chevron') : h('span', { className: 'disclosure-chevron' }),
      this.stateIcon(),
      h(
        'span',
        { className: 'tool-step-title' },
        label && h('span', { className: 'sr-only' }, label),
        ...textWithCode(title),
      ),
    );
    if (this.state === 'stopped') {
      // The screen reader heard "Stopped:" before the title already.
      this.header.append(h('span', { className: 'tool-step-state', attrs: { 'aria-hidden': 'true' } }, l10n.t({ message: 'stopped', comment: ['A tool step that did not finish because the answer was stopped'] })));
    }
    if (!expandable) {
      this.setExpanded(false);
    }

    this.detail.textContent = detail;
    this.detail.hidden = detail === '';
    this.detail.setAttribute('aria-label', l10n.t('Result of {0}', step.tool));
    this.linkList.replaceChildren(...links.map((link, index) => this.link(link, index)));
    this.linkList.hidden = links.length === 0;
  }

  private stateIcon(): SVGSVGElement {
    switch (this.state) {
      case 'running':
        return icon('spinner', 'tool-step-icon tool-step-spinner');
      case 'error':
        return icon('error', 'tool-step-icon');
      default:
        return icon(TOOL_ICONS[this.current.tool] ?? 'tool', 'tool-step-icon');
    }
  }

  private link(link: StepLink, index: number): HTMLLIElement {
    const label = typeof link.label === 'string' ? link.label : '';
    // A link, not a button: it opens something. The host resolves the index to what it
    // recorded for the step, so `href` names nothing.
    const anchor = h(
      'a',
      { className: 'tool-step-link', attrs: { href: '#', title: l10n.t('Open {0}', label) } },
      icon(link.kind === 'url' ? 'globe' : 'file'),
      h('span', { className: 'tool-step-link-label' }, label),
    );
    anchor.addEventListener('click', (event) => {
      event.preventDefault();
      this.openLink(index);
    });
    return h('li', {}, anchor);
  }
}

/** A new, empty group of consecutive steps. */
export function stepGroup(): HTMLUListElement {
  return h('ul', { className: 'tool-steps', attrs: { 'aria-label': l10n.t('Steps') } });
}
