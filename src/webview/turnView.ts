/**
 * One question and its answer: the question, the code it was asked about, the answer as it
 * streams, and how it ended (completed, stopped by the user, or failed with actions).
 */
import type { CodeReference, TurnAction, TurnUsage, WebviewMessage } from '../protocol';
import { h } from './dom';
import { icon, type IconName } from './icons';
import { StreamingMarkdown } from './streamingMarkdown';

/** What a turn needs from the page around it. */
export interface TurnHost {
  post(message: WebviewMessage): void;
  /** Render this turn in the next animation frame (batched with others). */
  requestRender(turn: TurnView): void;
}

type TurnState = 'streaming' | 'stopping' | 'completed' | 'cancelled' | 'failed';

const ACTIONS: Record<TurnAction, { readonly label: string; readonly icon: IconName }> = {
  setApiKey: { label: 'Set API Key', icon: 'key' },
  retry: { label: 'Retry', icon: 'refresh' },
  openLog: { label: 'Open Log', icon: 'output' },
  openSettings: { label: 'Open Settings', icon: 'settings' },
};

const numbers = new Intl.NumberFormat('en-US');

export class TurnView {
  readonly element: HTMLElement;
  private state: TurnState = 'streaming';
  private readonly markdown = new StreamingMarkdown();
  private readonly answer: HTMLElement;
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
      { className: 'button button-secondary stop-button', attrs: { type: 'button', 'aria-label': 'Stop answering', title: 'Stop answering (Escape)' } },
      icon('stop'),
      h('span', {}, 'Stop'),
    );
    this.stopButton.addEventListener('click', () => this.requestStop());
    this.statusText = h('span', { className: 'status-text' }, 'Thinking…');
    this.status = h(
      'div',
      { className: 'turn-status' },
      h('span', { className: 'progress', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span')),
      this.statusText,
      this.stopButton,
    );
    this.author = h('span', { className: 'author' }, agentName);
    this.answer = h(
      'div',
      { className: 'answer', attrs: { 'aria-busy': 'true', tabindex: '-1' } },
      h('div', { className: 'answer-meta' }, h('span', { className: 'avatar' }, icon('sparkle')), this.author),
      this.markdown.element,
      this.status,
    );
    this.element = h(
      'article',
      { className: 'turn is-streaming' },
      h(
        'div',
        { className: 'question' },
        h('h2', { className: 'sr-only' }, `Question ${ordinal}`),
        h('div', { className: 'question-text' }, question),
        reference && referenceChip(reference),
      ),
      this.answer,
    );
  }

  get isStreaming(): boolean {
    return this.state === 'streaming' || this.state === 'stopping';
  }

  /** The answer's text for an announcement, without the code blocks' toolbars. */
  get answerText(): string {
    const copy = this.markdown.element.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.code-header').forEach((header) => header.remove());
    return copy.textContent ?? '';
  }

  setAgentName(name: string): void {
    this.author.textContent = name;
  }

  appendDelta(text: string): void {
    if (!this.isStreaming) {
      return;
    }
    this.markdown.append(text);
    this.host.requestRender(this);
  }

  /** Called once per animation frame while deltas arrive. */
  render(): void {
    this.markdown.render();
    if (this.state === 'streaming' && this.markdown.text.trim()) {
      this.statusText.textContent = 'Answering…';
    }
  }

  complete(usage: TurnUsage | undefined, stopReason: string | null | undefined): void {
    if (!this.finish('completed')) {
      return;
    }
    const notes: HTMLElement[] = [];
    if (!this.markdown.text.trim()) {
      notes.push(note('info', 'The answer was empty.'));
    }
    if (stopReason === 'max_tokens') {
      notes.push(note('warning', 'The answer reached its maximum length and may be cut off.'));
    } else if (stopReason === 'refusal') {
      notes.push(note('warning', 'Claude declined to answer this question.'));
    }
    const footer = usage ? h('div', { className: 'turn-footer' }, usageText(usage)) : undefined;
    this.replaceStatus(...notes, ...(footer ? [footer] : []));
  }

  cancel(): void {
    if (!this.finish('cancelled')) {
      return;
    }
    const text = this.markdown.text.trim() ? 'Stopped.' : 'Stopped before any answer arrived.';
    this.replaceStatus(note('stop', text, 'turn-note-stopped'));
  }

  fail(message: string, actions: readonly TurnAction[]): void {
    if (!this.finish('failed')) {
      return;
    }
    const parts: HTMLElement[] = [];
    if (this.markdown.text.trim()) {
      this.markdown.element.classList.add('is-incomplete');
      parts.push(note('warning', 'Incomplete answer: it was cut off by the error below.', 'turn-note-incomplete'));
    }
    const buttons = actions.map((action, index) => {
      const spec = ACTIONS[action];
      const button = h(
        'button',
        { className: `button ${index === 0 ? 'button-primary' : 'button-secondary'}`, attrs: { type: 'button' } },
        icon(spec.icon),
        h('span', {}, spec.label),
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
  }

  private requestStop(): void {
    if (this.state !== 'streaming') {
      return;
    }
    this.state = 'stopping';
    // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page.
    this.stopButton.setAttribute('aria-disabled', 'true');
    this.statusText.textContent = 'Stopping…';
    this.host.post({ type: 'stop', turnId: this.id });
  }

  /** Moves to a final state once; renders what arrived and freezes it. */
  private finish(state: 'completed' | 'cancelled' | 'failed'): boolean {
    if (!this.isStreaming) {
      return false;
    }
    this.state = state;
    this.markdown.finish();
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
  const what = reference.kind === 'selection' ? 'Selection' : 'File';
  const title = `${what} sent with the question: ${reference.path}${lines}${reference.truncated ? ' (cut to fit the size limit)' : ''}`;
  return h(
    'div',
    { className: 'code-ref', attrs: { title } },
    icon('file'),
    h('span', { className: 'sr-only' }, `${what} sent: `),
    h('span', { className: 'code-ref-path' }, reference.path, h('span', { className: 'code-ref-lines' }, lines)),
    reference.languageId && h('span', { className: 'code-ref-lang' }, reference.languageId),
    reference.truncated && h('span', { className: 'code-ref-cut' }, '(cut to fit)'),
  );
}

function note(iconName: IconName, text: string, className = ''): HTMLElement {
  return h('p', { className: `turn-note ${className}`.trim() }, icon(iconName), h('span', {}, text));
}

function usageText(usage: TurnUsage): string {
  const parts = [`${numbers.format(usage.inputTokens)} input`, `${numbers.format(usage.outputTokens)} output tokens`];
  if (usage.cacheReadTokens > 0) {
    parts.push(`${numbers.format(usage.cacheReadTokens)} read from cache`);
  }
  return parts.join(' · ');
}
