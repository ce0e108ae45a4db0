/**
 * Every message exchanged between the extension host and the architect webview.
 *
 * Both sides import these unions; `assertNever` in each `switch` makes a new message
 * type a compile error wherever it is not handled. The webview posts `ready` first and
 * the host queues everything until then.
 */

/** An action a failed turn can offer; the host decides what each one does. */
export type TurnAction = 'setApiKey' | 'retry' | 'openLog' | 'openSettings';

/** Where the code sent with a question came from, as shown above the answer. */
export interface CodeReference {
  /** Workspace-relative path (or the untitled document's name). */
  readonly path: string;
  readonly languageId: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  /** What kind of context this is: the selection, the whole (possibly cut) file. */
  readonly kind: 'selection' | 'file';
  /** True when the code was cut to fit the size limit. */
  readonly truncated: boolean;
}

/** Token usage reported by the API for one reply. */
export interface TurnUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

/** Messages the host posts to the webview. */
export type HostMessage =
  /** Sets the panel's heading (the agent's display name and model). */
  | { readonly type: 'init'; readonly agentName: string; readonly model: string }
  /** A new question was asked; an empty answer area is shown for it. */
  | {
      readonly type: 'turnStarted';
      readonly turnId: string;
      readonly question: string;
      readonly reference?: CodeReference;
    }
  /** A piece of the streamed answer, in arrival order. */
  | { readonly type: 'delta'; readonly turnId: string; readonly text: string }
  /** The answer finished normally. */
  | {
      readonly type: 'turnCompleted';
      readonly turnId: string;
      readonly usage?: TurnUsage;
      readonly stopReason?: string | null;
    }
  /** The user stopped the answer; whatever arrived stays, with no error shown. */
  | { readonly type: 'turnCancelled'; readonly turnId: string }
  /** The answer failed; `message` is one sentence, the partial text stays. */
  | {
      readonly type: 'turnFailed';
      readonly turnId: string;
      readonly message: string;
      readonly actions: readonly TurnAction[];
    };

/** Messages the webview posts to the host. */
export type WebviewMessage =
  /** The webview's script is running and listening; the host may post now. */
  | { readonly type: 'ready' }
  /** The Stop button: abort the HTTP request of this turn. */
  | { readonly type: 'stop'; readonly turnId: string }
  /** A button on a failed turn. */
  | { readonly type: 'action'; readonly turnId: string; readonly action: TurnAction }
  /** A link in the answer was clicked; the host opens http(s) targets only. */
  | { readonly type: 'openLink'; readonly href: string };

const TURN_ACTIONS: ReadonlySet<string> = new Set<TurnAction>(['setApiKey', 'retry', 'openLog', 'openSettings']);

/**
 * Validates a value received from the webview. The webview renders untrusted model output,
 * so nothing it posts is acted on before this check.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
      return typeof m.turnId === 'string' ? { type: 'stop', turnId: m.turnId } : undefined;
    case 'action':
      return typeof m.turnId === 'string' && typeof m.action === 'string' && TURN_ACTIONS.has(m.action)
        ? { type: 'action', turnId: m.turnId, action: m.action as TurnAction }
        : undefined;
    case 'openLink':
      return typeof m.href === 'string' && m.href.length < 8192 ? { type: 'openLink', href: m.href } : undefined;
    default:
      return undefined;
  }
}

/** Makes a forgotten case in a `switch` over a union a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
