/**
 * The messages between the extension host and the usage view (`src/usageView`), and the data
 * the view draws. The host does every sum (`src/core/usage`); the view only draws. The view
 * posts `ready` first and the host sends nothing before it.
 */

/** Tokens and dollars of one agent or one model. */
export interface UsageTotalView {
  readonly key: string;
  readonly requests: number;
  readonly inputTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheReadTokens: number;
  readonly outputTokens: number;
  /** Dollars billed to the key with a known price. */
  readonly cost: number;
  /** Requests billed to the key whose price is unknown. */
  readonly unpriced: number;
  /** Requests the Chat view's model answered: tokens, no dollars. */
  readonly chat: number;
}

/** Everything the usage view shows. */
export interface UsageViewData {
  /** Requests recorded in all (0: the empty state). */
  readonly requests: number;
  /** Epoch ms of the oldest row kept, when there is one. */
  readonly since?: number;
  /** Dollars billed to the key this local calendar month. */
  readonly monthToDate: number;
  /** "December 2026". */
  readonly monthLabel: string;
  /** The monthly budget in dollars, when one is set. */
  readonly budget?: number;
  /** Spend per local day for the last 30 days, stacked by model. */
  readonly daily: {
    /** `YYYY-MM-DD`, oldest first, the last one today. */
    readonly days: readonly string[];
    readonly models: readonly string[];
    /** `byModel[i][d]`: dollars of `models[i]` on `days[d]`. */
    readonly byModel: readonly (readonly number[])[];
    readonly totals: readonly number[];
    readonly total: number;
    /** Requests of the 30 days whose price is unknown. */
    readonly unpriced: number;
  };
  readonly byAgent: readonly UsageTotalView[];
  readonly byModel: readonly UsageTotalView[];
  readonly savings: {
    readonly saved: number;
    readonly withoutCache: number;
    readonly actual: number;
    readonly cacheReadTokens: number;
    readonly cacheWriteTokens: number;
  };
}

/** Host → view. */
export type UsageHostMessage = { readonly type: 'usage'; readonly data: UsageViewData };

/** View → host. */
export type UsageViewMessage =
  | { readonly type: 'ready' }
  /** The Export CSV button. */
  | { readonly type: 'exportCsv' }
  /**
   * The view drew `data` (sent after each `usage` message): how many days and models the
   * chart has and how many rows its table alternative, so tests can tell it really drew.
   */
  | { readonly type: 'rendered'; readonly days: number; readonly models: number; readonly tableRows: number; readonly empty: boolean };

const small = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000;

/** The view's message, or undefined when it is not one the protocol knows. */
export function parseUsageViewMessage(value: unknown): UsageViewMessage | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'exportCsv':
      return { type: 'exportCsv' };
    case 'rendered':
      return small(m.days) && small(m.models) && small(m.tableRows) && typeof m.empty === 'boolean'
        ? { type: 'rendered', days: m.days, models: m.models, tableRows: m.tableRows, empty: m.empty }
        : undefined;
    default:
      return undefined;
  }
}
