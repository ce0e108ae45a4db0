/** Speaks short status changes through the panel's polite live region, never token by token. */

const MAX_CHARS = 600;

export class Announcer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly region: HTMLElement) {}

  announce(message: string): void {
    const text = message.replace(/\s+/g, ' ').trim();
    const clipped = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
    // Clearing first makes a repeated message count as a change.
    this.region.textContent = '';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.region.textContent = clipped), 100);
  }
}
