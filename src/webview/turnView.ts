/**
 * One question and its answer: the question, the code it was asked about, the agent's plan, the
 * answer as it streams with its tool steps in place, how it ended (completed, stopped by the
 * user, or failed with actions), and the answer's details.
 */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../shared/format';
import {
  assertNever,
  incompleteAnswerNote,
  TURN_ACTION_LABELS,
  type CodeAction,
  type CodeReference,
  type ReceiptView,
  type TodoView,
  type ToolStepView,
  type TurnAction,
  type TurnSnapshot,
  type TurnUsage,
  type UsageSummary,
  type WebviewMessage,
} from '../shared/protocol';
import { AnswerBody } from './answerBody';
import { DetailsView } from './disclosure';
import { h } from './dom';
import { icon, type IconName } from './icons';
import { PlanView } from './plan';
import { receiptElement } from './receipt';

/** What a turn needs from the page around it. */
export interface TurnHost {
  post(message: WebviewMessage): void;
  /** Render this turn in the next animation frame (batched with others). */
  requestRender(turn: TurnView): void;
}

type TurnState = 'streaming' | 'stopping' | 'completed' | 'cancelled' | 'failed';

const ACTION_ICONS: Record<TurnAction, IconName> = {
  setApiKey: 'key',
  retry: 'refresh',
  openLog: 'output',
  openSettings: 'settings',
  sendAnyway: 'send',
  raiseBudget: 'settings',
};

const numbers = new Intl.NumberFormat('en-US');

export class TurnView {
  readonly element: HTMLElement;
  private state: TurnState = 'streaming';
  private readonly body = new AnswerBody(
    (fragment) => addCodeActions(fragment, (action, block) => this.codeAction(action, block)),
    // Rendering left after a segment ended (large answers are finished across frames).
    () => this.host.requestRender(this),
    (stepId, index) => this.host.post({ type: 'openStepLink', turnId: this.id, stepId, index }),
  );
  private readonly answer: HTMLElement;
  private readonly meta: HTMLElement;
  private plan: PlanView | undefined;
  private readonly details = new DetailsView();
  private receipt: HTMLElement | undefined;
  private readonly question: HTMLElement;
  private chip: HTMLElement | undefined;
  private readonly author: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly stopButton: HTMLButtonElement;

  constructor(
    readonly id: string,
    ordinal: number,
    question: string,
    reference: CodeReference | undefined,
    agentName: string,
    private readonly host: TurnHost,
  ) {
    this.stopButton = h(
      'button',
      {
        className: 'button button-secondary stop-button',
        attrs: { type: 'button', 'aria-label': l10n.t('Stop answering'), title: l10n.t('Stop answering (Escape)') },
      },
      icon('stop'),
      h('span', {}, l10n.t({ message: 'Stop', comment: ['Button that stops the answer while it streams'] })),
    );
    this.stopButton.addEventListener('click', () => this.requestStop());
    this.statusText = h('span', { className: 'status-text' }, l10n.t('Thinking…'));
    this.status = h(
      'div',
      { className: 'turn-status' },
      h('span', { className: 'progress', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span')),
      this.statusText,
      this.stopButton,
    );
    this.author = h('span', { className: 'author' }, agentName);
    this.meta = h('div', { className: 'answer-meta' }, h('span', { className: 'avatar' }, icon('sparkle')), this.author);
    this.answer = h(
      'div',
      { className: 'answer', attrs: { 'aria-busy': 'true', tabindex: '-1' } },
      this.meta,
      this.body.element,
      this.status,
      this.details.element,
    );
    this.chip = reference && referenceChip(reference);
    this.question = h(
      'div',
      { className: 'question' },
      h('h2', { className: 'sr-only' }, l10n.t('Question {0}', ordinal)),
      h('div', { className: 'question-text' }, question),
      this.chip,
    );
    this.element = h('article', { className: 'turn is-streaming' }, this.question, this.answer);
  }

  /**
   * Says what was left out of the question's request to fit the context window, under the
   * question; `reference` replaces the code chip when the code sent changed.
   */
  showNotice(text: string, reference?: CodeReference): void {
    if (reference) {
      const chip = referenceChip(reference);
      if (this.chip) {
        this.chip.replaceWith(chip);
      } else {
        this.question.append(chip);
      }
      this.chip = chip;
    }
    this.question.querySelector('.turn-note-budget')?.remove();
    this.question.append(note('warning', text, 'turn-note-budget'));
  }

  get isStreaming(): boolean {
    return this.state === 'streaming' || this.state === 'stopping';
  }

  /** The answer's text for an announcement, without the code blocks' toolbars or the steps. */
  get answerText(): string {
    return this.body.text;
  }

  setAgentName(name: string): void {
    this.author.textContent = name;
  }

  appendDelta(text: string): void {
    if (!this.isStreaming) {
      return;
    }
    this.body.append(text);
    this.host.requestRender(this);
  }

  /**
   * A tool step started or ended: the text so far is finished and the step shown after it, or
   * the step with the same id is updated in place.
   */
  showStep(step: ToolStepView): void {
    if (!this.isStreaming) {
      return;
    }
    this.body.showStep(step);
    this.showProgress();
  }

  /** The agent's plan as it now stands, at the top of the answer. */
  showTodos(todos: readonly TodoView[]): void {
    if (!this.plan) {
      this.plan = new PlanView();
      this.meta.after(this.plan.element);
    }
    this.plan.update(todos);
  }

  /** Lines for the answer's details (collapsed under the answer). */
  addDetails(lines: readonly string[]): void {
    this.details.add(lines);
  }

  /**
   * Shows a finished turn as stored: the answer split at each step's `at` offset with the steps
   * in place (collapsed), the plan, the details, and how it ended.
   */
  restore(snapshot: TurnSnapshot): void {
    if (snapshot.notice) {
      this.showNotice(snapshot.notice);
    }
    if (snapshot.todos && snapshot.todos.length > 0) {
      this.showTodos(snapshot.todos);
    }
    const answer = snapshot.answer;
    let offset = 0;
    for (const step of snapshot.steps ?? []) {
      // Offsets out of order or past the end (a bad record) put the step where the text is.
      const at = Math.min(Math.max(Number.isFinite(step.at) ? step.at : offset, offset), answer.length);
      this.appendDelta(answer.slice(offset, at));
      offset = at;
      this.showStep(step);
    }
    this.appendDelta(answer.slice(offset));
    this.addDetails(snapshot.details ?? []);
    switch (snapshot.status) {
      case 'completed':
        this.complete(snapshot.summary?.usage, snapshot.stopReason, snapshot.summary, snapshot.receipt);
        break;
      case 'cancelled':
        this.cancel(snapshot.receipt, snapshot.notSent);
        break;
      case 'failed':
        this.fail(snapshot.message ?? l10n.t('The answer failed.'), snapshot.actions ?? [], snapshot.receipt);
        break;
      default:
        assertNever(snapshot.status);
    }
  }

  /**
   * Called once per animation frame while deltas arrive (`now`: the frame's time). Returns
   * whether the answer needs another frame (its rendering is spread over frames).
   */
  render(now?: number): boolean {
    const more = this.body.render(now);
    this.showProgress();
    return more;
  }

  /** What the status row says while the answer streams (Stop's "Stopping…" stays). */
  private showProgress(): void {
    if (this.state !== 'streaming') {
      return;
    }
    const text = this.body.hasRunningStep ? l10n.t('Working…') : this.body.hasText ? l10n.t('Answering…') : l10n.t('Thinking…');
    if (this.statusText.textContent !== text) {
      this.statusText.textContent = text;
    }
  }

  /**
   * The answer's receipt under it (replacing one shown before): what it was billed, partial
   * requests included.
   */
  showReceipt(receipt: ReceiptView | undefined): void {
    if (!receipt) {
      return;
    }
    const element = receiptElement(receipt, (kind, index) => this.host.post({ type: 'openReceiptLink', turnId: this.id, kind, index }));
    if (this.receipt) {
      this.receipt.replaceWith(element);
    } else {
      this.details.element.before(element);
    }
    this.receipt = element;
  }

  complete(usage: TurnUsage | undefined, stopReason: string | null | undefined, summary?: UsageSummary, receipt?: ReceiptView): void {
    if (!this.finish('completed')) {
      return;
    }
    const notes: HTMLElement[] = [];
    if (!this.body.hasText) {
      notes.push(note('info', l10n.t('The answer was empty.')));
    }
    if (stopReason === 'max_tokens') {
      notes.push(note('warning', l10n.t('The answer reached its maximum length and may be cut off.')));
    } else if (stopReason === 'refusal') {
      notes.push(note('warning', l10n.t('Claude declined to answer this question.')));
    }
    // The receipt says it all; a turn stored before receipts keeps its one-line usage.
    const shown = receipt ? undefined : (summary ?? (usage ? { usage } : undefined));
    const footer = shown ? usageFooter(shown) : undefined;
    this.replaceStatus(...notes, ...(footer ? [footer] : []));
    this.showReceipt(receipt);
  }

  /** Stopped by the user (`notSent`: before it went out, at the price confirmation). */
  cancel(receipt?: ReceiptView, notSent?: boolean): void {
    if (!this.finish('cancelled')) {
      return;
    }
    const text = notSent ? l10n.t('Not sent.') : this.body.hasText ? l10n.t('Stopped.') : l10n.t('Stopped before any answer arrived.');
    this.replaceStatus(note('stop', text, 'turn-note-stopped'));
    this.showReceipt(receipt);
  }

  fail(message: string, actions: readonly TurnAction[], receipt?: ReceiptView): void {
    if (!this.finish('failed')) {
      return;
    }
    const parts: HTMLElement[] = [];
    if (this.body.hasText) {
      this.body.element.classList.add('is-incomplete');
      parts.push(note('warning', incompleteAnswerNote(), 'turn-note-incomplete'));
    }
    const buttons = actions.map((action, index) => {
      const button = h(
        'button',
        { className: `button ${index === 0 ? 'button-primary' : 'button-secondary'}`, attrs: { type: 'button' } },
        icon(ACTION_ICONS[action]),
        h('span', {}, TURN_ACTION_LABELS[action]),
      );
      button.addEventListener('click', () => this.host.post({ type: 'action', turnId: this.id, action }));
      return button;
    });
    parts.push(
      h(
        'div',
        { className: 'turn-error' },
        h('div', { className: 'turn-error-message' }, icon('error', 'error-icon'), h('p', {}, message)),
        buttons.length > 0 && h('div', { className: 'turn-error-actions' }, ...buttons),
      ),
    );
    this.replaceStatus(...parts);
    this.showReceipt(receipt);
  }

  /** A code block's Insert / Apply / Open: the host checks the code against this turn's answer. */
  private codeAction(action: CodeAction, block: HTMLElement): void {
    const code = block.querySelector('pre code')?.textContent ?? '';
    const language = block.querySelector('pre')?.getAttribute('data-lang') ?? '';
    if (code.trim() === '') {
      return;
    }
    this.host.post({ type: 'codeAction', turnId: this.id, action, code, language });
  }

  private requestStop(): void {
    if (this.state !== 'streaming') {
      return;
    }
    this.state = 'stopping';
    // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page.
    this.stopButton.setAttribute('aria-disabled', 'true');
    this.statusText.textContent = l10n.t('Stopping…');
    this.host.post({ type: 'stop', turnId: this.id });
  }

  /** Moves to a final state once; renders what arrived and freezes it. */
  private finish(state: 'completed' | 'cancelled' | 'failed'): boolean {
    if (!this.isStreaming) {
      return false;
    }
    this.state = state;
    this.body.finish();
    this.answer.removeAttribute('aria-busy');
    this.element.classList.remove('is-streaming');
    this.element.classList.add(`is-${state}`);
    return true;
  }

  /** Swaps the streaming status row for the final notes, keeping keyboard focus in the turn. */
  private replaceStatus(...nodes: HTMLElement[]): void {
    const hadFocus = this.status.contains(document.activeElement);
    this.status.replaceWith(...nodes);
    if (hadFocus) {
      const target = this.element.querySelector<HTMLElement>('.turn-error-actions button') ?? this.answer;
      target.focus();
    }
  }
}

function referenceChip(reference: CodeReference): HTMLElement {
  const lines =
    reference.startLine === reference.endLine ? `:${reference.startLine}` : `:${reference.startLine}–${reference.endLine}`;
  const where = `${reference.path}${lines}`;
  const selection = reference.kind === 'selection';
  const title = reference.truncated
    ? selection
      ? l10n.t('Selection sent with the question: {0} (cut to fit the size limit)', where)
      : l10n.t('File sent with the question: {0} (cut to fit the size limit)', where)
    : selection
      ? l10n.t('Selection sent with the question: {0}', where)
      : l10n.t('File sent with the question: {0}', where);
  return h(
    'div',
    { className: 'code-ref', attrs: { title } },
    icon('file'),
    h('span', { className: 'sr-only' }, selection ? l10n.t('Selection sent: ') : l10n.t('File sent: ')),
    h('span', { className: 'code-ref-path' }, reference.path, h('span', { className: 'code-ref-lines' }, lines)),
    reference.languageId && h('span', { className: 'code-ref-lang' }, reference.languageId),
    reference.truncated && h('span', { className: 'code-ref-cut' }, l10n.t('(cut to fit)')),
  );
}

function note(iconName: IconName, text: string, className = ''): HTMLElement {
  return h('p', { className: `turn-note ${className}`.trim() }, icon(iconName), h('span', {}, text));
}

/** A code block's actions, with their labels in the display language. */
function codeActions(): readonly { readonly action: CodeAction; readonly label: string; readonly title: string; readonly icon: IconName }[] {
  return [
    { action: 'insert', label: l10n.t('Insert at cursor'), title: l10n.t('Insert at the cursor of the editor the question came from'), icon: 'insert' },
    {
      action: 'apply',
      label: l10n.t('Apply as diff'),
      title: l10n.t('Show as a change to the selected code in a diff editor, to accept or discard'),
      icon: 'diff',
    },
    { action: 'open', label: l10n.t('Open in new editor'), title: l10n.t('Open in a new untitled editor'), icon: 'newFile' },
  ];
}

/** Adds Insert / Apply / Open buttons next to each code block's Copy button in `root`. */
function addCodeActions(root: DocumentFragment, run: (action: CodeAction, block: HTMLElement) => void): void {
  for (const header of Array.from(root.querySelectorAll<HTMLElement>('.code-header'))) {
    const block = header.closest<HTMLElement>('.code-block');
    if (!block || header.querySelector('.code-action')) {
      continue;
    }
    const buttons = codeActions().map((spec) => {
      const button = h(
        'button',
        { className: `icon-button code-action code-action-${spec.action}`, attrs: { type: 'button', 'aria-label': spec.label, title: spec.title } },
        icon(spec.icon),
      );
      button.addEventListener('click', () => run(spec.action, block));
      return button;
    });
    const copy = header.querySelector('.copy-button');
    const group = h('span', { className: 'code-actions' }, ...buttons);
    if (copy) {
      copy.before(group);
      group.append(copy);
    } else {
      header.append(group);
    }
  }
}

/** Tokens and price of one reply: what the API reported, nothing estimated. */
function usageFooter(summary: UsageSummary): HTMLElement {
  const { usage } = summary;
  const item = (value: number, text: string, key: string) =>
    h('span', { className: `usage-item usage-${key}`, attrs: { 'data-tokens': String(value) } }, text);
  const items = [
    item(usage.inputTokens, l10n.t('{0} input', numbers.format(usage.inputTokens)), 'input'),
    item(usage.outputTokens, l10n.t('{0} output', numbers.format(usage.outputTokens)), 'output'),
    item(usage.cacheReadTokens, l10n.t('{0} cache read', numbers.format(usage.cacheReadTokens)), 'cache-read'),
    item(usage.cacheWriteTokens, l10n.t('{0} cache write tokens', numbers.format(usage.cacheWriteTokens)), 'cache-write'),
  ];
  if ('cost' in summary) {
    items.push(h('span', { className: 'usage-item usage-cost' }, formatCost(summary.cost)));
  }
  const footer = h('div', { className: 'turn-footer turn-usage' });
  items.forEach((element, index) => footer.append(...(index > 0 ? [' · ', element] : [element])));
  return footer;
}

/** The conversation's total for the header: tokens in and out, and the price. */
export function totalText(total: UsageSummary): string {
  const u = total.usage;
  const tokens = numbers.format(u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens);
  const cost = total.partial ? l10n.t('at least {0}', formatCost(total.cost)) : formatCost(total.cost);
  return l10n.t('{0} tokens · {1}', tokens, cost);
}
