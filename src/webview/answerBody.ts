/**
 * An answer's text with its tool steps in place: Markdown segments and groups of step rows, in
 * the order they happened.
 *
 * While the answer streams, a new step finishes the text so far as Markdown (its segment
 * freezes, and ends as one render of its text) and sits after it; later text starts a new
 * segment after the step. Steps with nothing but whitespace between them share one group. Each
 * segment is its own `StreamingMarkdown`, so the streaming renderer's guarantee holds for each.
 *
 * A turn without steps has exactly one segment, as before steps existed.
 */
import type { ToolStepView } from '../shared/protocol';
import { h } from './dom';
import { StreamingMarkdown } from './streamingMarkdown';
import { stepGroup, StepView } from './toolSteps';

export class AnswerBody {
  readonly element: HTMLElement;
  /** Every segment, in order (blank ones included: their text still counts for offsets). */
  private readonly segments: StreamingMarkdown[] = [];
  /** The segment receiving text; none right after a step (the next text starts one). */
  private current: StreamingMarkdown | undefined;
  /** The group the next step joins, while no text has come between. */
  private group: HTMLUListElement | undefined;
  private readonly steps = new Map<string, StepView>();
  /** Segments with rendering work left (the one receiving text, finished ones catching up). */
  private readonly rendering = new Set<StreamingMarkdown>();
  private received = 0;
  private finished = false;

  /**
   * `decorate` adds controls to each rendered fragment (code block actions); `requestFrame`
   * asks for another `render()`; `openLink` is a click on a step's link.
   */
  constructor(
    private readonly decorate: (fragment: DocumentFragment) => void,
    private readonly requestFrame: () => void,
    private readonly openLink: (stepId: string, index: number) => void,
  ) {
    this.element = h('div', { className: 'answer-body' });
    this.current = this.startSegment();
  }

  /** Whether any segment has non-whitespace text. */
  get hasText(): boolean {
    return this.segments.some((segment) => segment.hasText);
  }

  /** How many characters of answer text arrived: where a step starting now sits (its `at`). */
  get length(): number {
    return this.received;
  }

  /** Whether a step is still running. */
  get hasRunningStep(): boolean {
    return Array.from(this.steps.values()).some((step) => step.isRunning);
  }

  /** The answer's text for an announcement: the segments, without code block toolbars or steps. */
  get text(): string {
    return this.segments
      .map((segment) => {
        const copy = segment.element.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.code-header').forEach((header) => header.remove());
        return copy.textContent ?? '';
      })
      .join('\n');
  }

  append(text: string): void {
    if (this.finished || text.length === 0) {
      return;
    }
    this.current ??= this.startSegment();
    this.current.append(text);
    this.received += text.length;
    this.rendering.add(this.current);
  }

  /** Adds a step after the text so far, or updates the step with its `stepId` in place. */
  showStep(step: ToolStepView): void {
    const known = this.steps.get(step.stepId);
    if (known) {
      known.update(step);
      return;
    }
    if (this.finished) {
      return;
    }
    const segment = this.current;
    if (segment) {
      segment.finish();
      // Whatever `finish()` left for later frames is rendered with the others.
      this.rendering.add(segment);
      if (segment.hasText) {
        this.group = undefined;
      } else {
        // Only whitespace since the last step (or before the first): the steps stay together.
        segment.element.remove();
      }
      this.current = undefined;
    }
    if (!this.group) {
      this.group = stepGroup();
      this.element.append(this.group);
    }
    const view = new StepView(step, (index) => this.openLink(step.stepId, index));
    this.steps.set(step.stepId, view);
    this.group.append(view.element);
  }

  /**
   * Brings the segments up to date within this frame's budget; `now` is the frame's time.
   * Returns whether another frame is needed.
   */
  render(now?: number): boolean {
    let more = false;
    for (const segment of Array.from(this.rendering)) {
      if (segment.render(now)) {
        more = true;
      } else {
        this.rendering.delete(segment);
      }
    }
    return more;
  }

  /** Renders the rest and freezes everything; a step still running will not finish. */
  finish(): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    if (this.current) {
      this.current.finish();
      this.rendering.add(this.current);
      // A turn without steps keeps its one segment, empty or not.
      if (!this.current.hasText && this.steps.size > 0) {
        this.current.element.remove();
      }
    }
    for (const step of this.steps.values()) {
      step.markStopped();
    }
  }

  private startSegment(): StreamingMarkdown {
    const segment = new StreamingMarkdown(this.decorate, this.requestFrame);
    this.segments.push(segment);
    this.element.append(segment.element);
    return segment;
  }
}
