/**
 * What the architect panel keeps with the webview's `setState`. VS Code hands it back to the
 * host's serializer after a window reload, which reopens the conversation it names; the webview
 * reads the scroll position back. One type for both sides.
 */
export interface PanelViewState {
  /** The conversation shown, reopened from the workspace's history after a reload. */
  readonly conversationId?: string;
  readonly scrollTop?: number;
  /** Whether the reader was at the bottom (then a restore scrolls to the bottom). */
  readonly atBottom?: boolean;
}

/** Reads a saved state that may come from an older version or be damaged: only well-typed fields survive. */
export function parsePanelViewState(value: unknown): PanelViewState {
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  const v = value as Record<string, unknown>;
  return {
    conversationId: typeof v.conversationId === 'string' ? v.conversationId : undefined,
    scrollTop: typeof v.scrollTop === 'number' && Number.isFinite(v.scrollTop) ? v.scrollTop : undefined,
    atBottom: typeof v.atBottom === 'boolean' ? v.atBottom : undefined,
  };
}
