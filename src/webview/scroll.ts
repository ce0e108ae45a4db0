/**
 * Keeps the newest text in view while the reader is at the bottom, and leaves the page alone
 * once they scroll up to read; scrolling back to the bottom resumes following.
 */

const BOTTOM_SLACK_PX = 24;

export class ScrollFollower {
  private following = true;
  private readonly scroller: HTMLElement;

  constructor() {
    this.scroller = (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
    window.addEventListener('scroll', () => (this.following = this.atBottom()), { passive: true });
    // Intent to read earlier text stops following at once, before the next frame scrolls back.
    window.addEventListener('wheel', (event) => event.deltaY < 0 && (this.following = false), { passive: true });
    window.addEventListener('keydown', (event) => {
      if (['ArrowUp', 'PageUp', 'Home'].includes(event.key) && !isEditable(event.target)) {
        this.following = false;
      }
    });
  }

  /** Whether content added now should pull the view down with it. */
  get isFollowing(): boolean {
    return this.following;
  }

  /** Call after adding content, with `isFollowing` read before the change. */
  keepUp(wasFollowing: boolean): void {
    if (wasFollowing) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
      this.following = true;
    }
  }

  /** A new question: show it and follow its answer. */
  jumpToBottom(): void {
    this.keepUp(true);
  }

  private atBottom(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK_PX;
  }
}

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}
