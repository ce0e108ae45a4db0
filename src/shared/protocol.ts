/**
 * Every message exchanged between the extension host and the architect webview.
 *
 * Both sides import these unions; `assertNever` in each `switch` makes a new message
 * type a compile error wherever it is not handled. The webview posts `ready` first and
 * the host queues everything until then.
 */
import * as l10n from '@vscode/l10n';

/**
 * An action a failed turn can offer; the host decides what each one does. `sendAnyway` and
 * `raiseBudget` answer a question the monthly budget refused.
 */
export type TurnAction = 'setApiKey' | 'retry' | 'openLog' | 'openSettings' | 'sendAnyway' | 'raiseBudget';

/**
 * Each action's button label, the same in the panel and in the Chat view. Getters: each label
 * is translated when read, once the display language's bundle is loaded on that side.
 */
export const TURN_ACTION_LABELS: Readonly<Record<TurnAction, string>> = {
  get setApiKey() {
    return l10n.t('Set API Key');
  },
  get retry() {
    return l10n.t('Retry');
  },
  get openLog() {
    return l10n.t('Open Log');
  },
  get openSettings() {
    return l10n.t('Open Settings');
  },
  get sendAnyway() {
    return l10n.t('Send Anyway');
  },
  get raiseBudget() {
    return l10n.t('Raise Budget');
  },
};

/** Shown under the text that arrived before a failure, in the panel and in the Chat view: in the display language. */
export function incompleteAnswerNote(): string {
  return l10n.t('Incomplete answer: it was cut off by the error below.');
}

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

/** What one reply or a whole conversation cost; `cost` is undefined when a model's price is unknown. */
export interface UsageSummary {
  readonly usage: TurnUsage;
  /** US dollars; undefined: "price unknown" (a model missing from the price table). */
  readonly cost?: number;
  /** For a total: some replies came from a model whose price is unknown, so `cost` is a lower bound. */
  readonly partial?: boolean;
}

/**
 * An answer's receipt as the panel shows it: one line, expanding to the tokens and prices by
 * kind and what went around them. Every string is made by the host (numbers formatted, paths
 * workspace-relative); the links open what the host recorded for the turn, by index.
 */
export interface ReceiptView {
  /** The collapsed line: "3 requests · 12,840 tokens · $0.0168 · saved $0.0207 by cache". */
  readonly summary: string;
  /** The agent's display name. */
  readonly agent: string;
  /** The models that answered. */
  readonly models: readonly string[];
  /** The code sent, `path:lines`; a click posts `openReceiptLink` with `kind: 'code'` and the index. */
  readonly code: readonly string[];
  /** The files the tools read, searched or listed; a click posts `kind: 'file'`. */
  readonly files: readonly string[];
  /** Fresh input, cache write(s), cache read, output (and web searches): tokens and price. */
  readonly rows: readonly { readonly label: string; readonly tokens: number; readonly price: string }[];
  readonly total: { readonly tokens: number; readonly price: string };
  /** What the prompt cache saved (or cost), or that the price is unknown, in a sentence. */
  readonly note?: string;
  /** "3 requests in 12.4 s (1 partial: …)". */
  readonly requests: string;
  readonly requestIds: readonly string[];
  /** What was left out to fit the budget, one phrase each. */
  readonly omitted: readonly string[];
  /** Whose bill: the user's key, or the Chat view's model. */
  readonly bill: string;
  /** Requests that stopped or failed after they were billed. */
  readonly partialRequests: number;
}

/** A file or a web page a tool step touched, shown as a link under the step. */
export interface StepLink {
  /** What the link reads: a workspace-relative path (with `:12-40` lines) or a URL. */
  readonly label: string;
  readonly kind: 'file' | 'url';
}

/**
 * One tool call of an answer (Read, Grep, Bash, a web search…), shown as a compact step between
 * the text: a one-line title that expands to the result.
 */
export interface ToolStepView {
  /** `s1`, `s2`, … in the order the model called them, unique within the turn. */
  readonly stepId: string;
  /** The tool's name as the agent file spells it (`Read`, `Bash`, `WebSearch`). */
  readonly tool: string;
  /** One line: "Read prisma/schema.prisma · 212 lines", "Bash `npx prisma migrate status` · exit 0". */
  readonly title: string;
  readonly status: 'running' | 'done' | 'error';
  /** Where the step sits in the answer: the length of the answer's text when the step started. */
  readonly at: number;
  /** What the step returned, as plain text (cut for display), shown when the step is expanded. */
  readonly detail?: string;
  /** Files and pages the step touched; a click posts `openStepLink` with the index. */
  readonly links?: readonly StepLink[];
}

/** One item of the agent's plan (its TodoWrite list). */
export interface TodoView {
  readonly content: string;
  readonly status: 'pending' | 'in_progress' | 'completed';
}

/** A finished turn as stored, sent whole when a conversation is shown again (reload, history). */
export interface TurnSnapshot {
  readonly turnId: string;
  readonly question: string;
  readonly reference?: CodeReference;
  readonly answer: string;
  readonly status: 'completed' | 'cancelled' | 'failed';
  readonly summary?: UsageSummary;
  readonly stopReason?: string | null;
  /** For a failed turn: the one-sentence message and its actions. */
  readonly message?: string;
  readonly actions?: readonly TurnAction[];
  /** What was left out of the question's request to fit the model's context window. */
  readonly notice?: string;
  /** The tool steps of the answer, in order; each sits at its `at` offset in `answer`. */
  readonly steps?: readonly ToolStepView[];
  /** The agent's plan as it last stood. */
  readonly todos?: readonly TodoView[];
  /** Lines for the answer's details: tools the agent file names that are not available here. */
  readonly details?: readonly string[];
  /** What the answer was billed, whatever its status (a stopped one too). */
  readonly receipt?: ReceiptView;
  /** A cancelled turn that was never sent (the price confirmation was declined). */
  readonly notSent?: boolean;
}

/** Messages the host posts to the webview. */
export type HostMessage =
  /** Sets the panel's heading (the agent's display name and model). */
  | {
      readonly type: 'init';
      readonly agentName: string;
      readonly model: string;
      /** The agent's `color` (Claude Code's palette), the panel's accent; see `agentColorVariable`. */
      readonly color?: string;
    }
  /**
   * Shows a conversation from scratch: empty for a new one, its finished turns for one restored
   * after a reload or reopened from the history. The webview keeps `conversationId` in its state.
   */
  | {
      readonly type: 'conversation';
      readonly conversationId: string;
      readonly turns: readonly TurnSnapshot[];
      readonly total?: UsageSummary;
    }
  /** A new question was asked; an empty answer area is shown for it. */
  | {
      readonly type: 'turnStarted';
      readonly turnId: string;
      readonly question: string;
      readonly reference?: CodeReference;
    }
  /**
   * Part of the conversation or of the code was left out of this question's request to fit the
   * model's context window: `text` says what, in a sentence or two, shown with the question.
   * `reference` is the code actually sent, when that changed (cut further, or an earlier
   * question's code that now goes with this one).
   */
  | { readonly type: 'turnNotice'; readonly turnId: string; readonly text: string; readonly reference?: CodeReference }
  /** A tool step started (`status: running`) or ended: add it, or replace the one with its `stepId`. */
  | { readonly type: 'toolStep'; readonly turnId: string; readonly step: ToolStepView }
  /** The agent's plan changed (TodoWrite): the whole list as it stands. */
  | { readonly type: 'todos'; readonly turnId: string; readonly todos: readonly TodoView[] }
  /** Lines for the answer's details, e.g. tools the agent names that are not available here. */
  | { readonly type: 'turnDetails'; readonly turnId: string; readonly lines: readonly string[] }
  /** A piece of the streamed answer, in arrival order. */
  | { readonly type: 'delta'; readonly turnId: string; readonly text: string }
  /** The answer finished normally. */
  | {
      readonly type: 'turnCompleted';
      readonly turnId: string;
      readonly usage?: TurnUsage;
      readonly stopReason?: string | null;
      /** The reply's tokens and price, and the conversation's total so far. */
      readonly summary?: UsageSummary;
      readonly total?: UsageSummary;
      readonly receipt?: ReceiptView;
    }
  /**
   * The user stopped the answer; whatever arrived stays, with no error shown. `receipt`: what
   * was billed until then (partial); `total` the conversation's, with it.
   */
  | { readonly type: 'turnCancelled'; readonly turnId: string; readonly receipt?: ReceiptView; readonly total?: UsageSummary; readonly notSent?: boolean }
  /** The answer failed; `message` is one sentence, the partial text stays. */
  | {
      readonly type: 'turnFailed';
      readonly turnId: string;
      readonly message: string;
      readonly actions: readonly TurnAction[];
      readonly receipt?: ReceiptView;
      readonly total?: UsageSummary;
    }
  /**
   * What the follow-up box's question would send and cost (the answer to `estimate`), shown
   * under the box; `seq` is the request's, so a late answer to older text is dropped.
   */
  | { readonly type: 'estimate'; readonly seq: number; readonly line: string; readonly detail: string }
  /** The result of a code block action, for the live region (e.g. "Inserted into lessons.ts."). */
  | { readonly type: 'notice'; readonly text: string };

/** What a code block's buttons ask the host to do with its code. */
export type CodeAction = 'insert' | 'apply' | 'open';

/** Messages the webview posts to the host. */
export type WebviewMessage =
  /** The webview's script is running and listening; the host may post now. */
  | { readonly type: 'ready' }
  /** The Stop button: abort the HTTP request of this turn. */
  | { readonly type: 'stop'; readonly turnId: string }
  /** A button on a failed turn. */
  | { readonly type: 'action'; readonly turnId: string; readonly action: TurnAction }
  /** A link in the answer was clicked; the host opens http(s) targets only. */
  | { readonly type: 'openLink'; readonly href: string }
  /**
   * A link under a tool step was clicked. The host opens what it recorded for that step
   * (a file at its lines, or a web page through VS Code's link confirmation), never a path or
   * URL the webview names.
   */
  | { readonly type: 'openStepLink'; readonly turnId: string; readonly stepId: string; readonly index: number }
  /**
   * A link of a turn's receipt was clicked: the code sent (`code`) or a file the tools touched
   * (`file`), by index. The host opens what it recorded for that turn, never a path the webview names.
   */
  | { readonly type: 'openReceiptLink'; readonly turnId: string; readonly kind: 'code' | 'file'; readonly index: number }
  /** The follow-up box's text changed: what would it send and cost? Answered with `estimate`. */
  | { readonly type: 'estimate'; readonly seq: number; readonly question: string }
  /** A follow-up question typed in the panel, asked in the same conversation. */
  | { readonly type: 'ask'; readonly question: string }
  /** The "New conversation" button. */
  | { readonly type: 'newConversation' }
  /**
   * A code block's Insert / Apply / Open button. The host checks that `code` really is part of
   * that turn's answer before acting on it.
   */
  | {
      readonly type: 'codeAction';
      readonly turnId: string;
      readonly action: CodeAction;
      readonly code: string;
      /** The block's language tag (`ts`, `python`), possibly empty. */
      readonly language: string;
    };

/** Limits on what the webview may post; anything larger is a bug or an attack. */
export const MESSAGE_LIMITS = {
  /** A follow-up question, in characters. */
  question: 20_000,
  /** One code block, in characters. */
  code: 1_000_000,
  href: 8192,
} as const;

/** Turn ids are minted by the host as `t1`, `t2`, …. */
const TURN_ID_RE = /^t[1-9]\d{0,5}$/;
/** Step ids are minted by the host as `s1`, `s2`, …. */
const STEP_ID_RE = /^s[1-9]\d{0,4}$/;
const LANGUAGE_RE = /^[\w+#.-]{0,32}$/;
const CODE_ACTIONS: ReadonlySet<string> = new Set<CodeAction>(['insert', 'apply', 'open']);

const TURN_ACTIONS: ReadonlySet<string> = new Set<TurnAction>(['setApiKey', 'retry', 'openLog', 'openSettings', 'sendAnyway', 'raiseBudget']);
const index = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) < 1000;

/**
 * Validates a value received from the webview. The webview renders untrusted model output,
 * so nothing it posts is acted on before this check.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const m = value as Record<string, unknown>;
  const turnId = typeof m.turnId === 'string' && TURN_ID_RE.test(m.turnId) ? m.turnId : undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'newConversation':
      return { type: 'newConversation' };
    case 'stop':
      return turnId ? { type: 'stop', turnId } : undefined;
    case 'action':
      return turnId && typeof m.action === 'string' && TURN_ACTIONS.has(m.action)
        ? { type: 'action', turnId, action: m.action as TurnAction }
        : undefined;
    case 'openLink':
      return typeof m.href === 'string' && m.href.length < MESSAGE_LIMITS.href ? { type: 'openLink', href: m.href } : undefined;
    case 'openStepLink':
      return turnId && typeof m.stepId === 'string' && STEP_ID_RE.test(m.stepId) && Number.isInteger(m.index) && (m.index as number) >= 0 && (m.index as number) < 1000
        ? { type: 'openStepLink', turnId, stepId: m.stepId, index: m.index as number }
        : undefined;
    case 'ask':
      return typeof m.question === 'string' && m.question.trim() !== '' && m.question.length <= MESSAGE_LIMITS.question
        ? { type: 'ask', question: m.question }
        : undefined;
    case 'openReceiptLink':
      return turnId && (m.kind === 'code' || m.kind === 'file') && index(m.index) ? { type: 'openReceiptLink', turnId, kind: m.kind, index: m.index } : undefined;
    case 'estimate':
      return Number.isSafeInteger(m.seq) && typeof m.question === 'string' && m.question.length <= MESSAGE_LIMITS.question
        ? { type: 'estimate', seq: m.seq as number, question: m.question }
        : undefined;
    case 'codeAction':
      return turnId &&
        typeof m.action === 'string' &&
        CODE_ACTIONS.has(m.action) &&
        typeof m.code === 'string' &&
        m.code.length > 0 &&
        m.code.length <= MESSAGE_LIMITS.code &&
        typeof m.language === 'string' &&
        LANGUAGE_RE.test(m.language)
        ? { type: 'codeAction', turnId, action: m.action as CodeAction, code: m.code, language: m.language }
        : undefined;
    default:
      return undefined;
  }
}

/** Makes a forgotten case in a `switch` over a union a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
