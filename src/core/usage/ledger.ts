/**
 * The usage ledger: one row per request to Claude (when, which agent and model, tokens by kind,
 * price), never code, questions or keys. Bounded; the oldest rows go first. Aggregations for
 * the usage view and the budget, and the CSV export. Pure: no `vscode`; days and months are
 * the local ones of the process's time zone.
 */
import { cacheWrite1hOf, costOf, costWithoutCacheOf, type PricedUsage } from '../llm/pricing';
import type { BilledTo, ReceiptRequest } from './receipt';
import type { UsageTotalView } from '../../shared/usageView';

/** One request to a model. */
export interface UsageRow {
  /** When the request ended, epoch milliseconds. */
  readonly at: number;
  /** The agent's name (its `name` field). */
  readonly agent: string;
  readonly model: string;
  /** Fresh input. */
  readonly inputTokens: number;
  /** Cache writes, both TTLs. */
  readonly cacheWriteTokens: number;
  readonly cacheReadTokens: number;
  readonly outputTokens: number;
  /** The part of `cacheWriteTokens` written at the 1-hour TTL, when known. */
  readonly cacheWrite1hTokens?: number;
  /** US dollars, web searches included; undefined: price unknown. */
  readonly cost?: number;
  readonly requestId?: string;
  /** The request stopped or failed; its tokens are what the API reported before. */
  readonly partial: boolean;
  /** `key`: the user's Anthropic key paid; `chat`: the Chat view's model answered (never counted as spend). */
  readonly billedTo: BilledTo;
}

/** The most rows a ledger keeps. */
export const MAX_ROWS = 20_000;

/** The ledger's rows of a turn: one per request, priced with the price table. */
export function usageRows(requests: readonly ReceiptRequest[], turn: { readonly at: number; readonly agent: string; readonly billedTo: BilledTo }): UsageRow[] {
  return requests.map((r) => {
    const long = cacheWrite1hOf(r.usage);
    const cost = turn.billedTo === 'key' ? costOf(r.model, r.usage, r.webSearches) : undefined;
    return {
      at: turn.at,
      agent: turn.agent,
      model: r.model,
      inputTokens: r.usage.inputTokens,
      cacheWriteTokens: r.usage.cacheWriteTokens,
      cacheReadTokens: r.usage.cacheReadTokens,
      outputTokens: r.usage.outputTokens,
      ...(long > 0 ? { cacheWrite1hTokens: long } : {}),
      ...(cost === undefined ? {} : { cost }),
      ...(r.requestId === undefined ? {} : { requestId: r.requestId }),
      partial: r.partial,
      billedTo: turn.billedTo,
    };
  });
}

/** Spend per local day, stacked by model: what the chart draws. */
export interface DailySpend {
  /** `YYYY-MM-DD`, local, oldest first, the last one today. */
  readonly days: readonly string[];
  /** Models with spend in the window, the most expensive first. */
  readonly models: readonly string[];
  /** `byModel[i][d]`: dollars of `models[i]` on `days[d]`. */
  readonly byModel: readonly (readonly number[])[];
  /** Dollars per day, all models. */
  readonly totals: readonly number[];
  readonly total: number;
  /** Requests in the window billed to the key whose price is unknown (not in the dollars). */
  readonly unpriced: number;
}

/** Tokens and dollars of one agent or one model: what the usage view draws, summed here. */
export type UsageTotal = UsageTotalView;

/** What the prompt cache saved over the requests billed to the key with a known price. */
export interface CacheSavings {
  /** `withoutCache - actual`; negative when cache writes cost more than reads saved. */
  readonly saved: number;
  /** Their tokens' price had every cached token been fresh input. */
  readonly withoutCache: number;
  /** Their tokens' actual price (web searches left out of both). */
  readonly actual: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
}

/** `YYYY-MM-DD` of the local day of `at`. */
export function localDay(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM` of the local calendar month of `at`: the budget's warned-month marker. */
export function monthKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const usageOf = (row: UsageRow): PricedUsage => row;
const isSpend = (row: UsageRow): row is UsageRow & { cost: number } => row.billedTo === 'key' && row.cost !== undefined;

/** An immutable, bounded list of usage rows, oldest first. */
export class UsageLedger {
  /** Oldest first; at most `max`. */
  readonly rows: readonly UsageRow[];

  constructor(
    rows: readonly UsageRow[] = [],
    readonly max = MAX_ROWS,
  ) {
    // Two answers that end together may record out of order: keep time order, stable.
    const sorted = isSorted(rows) ? rows : [...rows].sort((a, b) => a.at - b.at);
    this.rows = sorted.length > max ? sorted.slice(sorted.length - max) : sorted;
  }

  /** A ledger with `rows` added; the oldest beyond `max` dropped. */
  with(rows: readonly UsageRow[]): UsageLedger {
    return rows.length === 0 ? this : new UsageLedger([...this.rows, ...rows], this.max);
  }

  /** Dollars per local day for the `days` days ending today, stacked by model. */
  dailySpend(now: number, days = 30): DailySpend {
    const today = new Date(now);
    const dayStarts = Array.from({ length: days + 1 }, (_, i) =>
      new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1) + i).getTime(),
    );
    const start = dayStarts[0];
    const end = dayStarts[days];
    const perModel = new Map<string, number[]>();
    let unpriced = 0;
    for (const row of this.rows) {
      if (row.at < start || row.at >= end || row.billedTo !== 'key') {
        continue;
      }
      if (row.cost === undefined) {
        unpriced++;
        continue;
      }
      // Index by the day's start rather than by 24-hour steps: DST days are 23 or 25 hours.
      const index = upperBound(dayStarts, row.at) - 1;
      let series = perModel.get(row.model);
      if (!series) {
        series = new Array<number>(days).fill(0);
        perModel.set(row.model, series);
      }
      series[index] += row.cost;
    }
    const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
    const models = [...perModel.keys()].sort((a, b) => sum(perModel.get(b)!) - sum(perModel.get(a)!) || a.localeCompare(b));
    const byModel = models.map((m) => perModel.get(m)!);
    const totals = Array.from({ length: days }, (_, d) => sum(byModel.map((series) => series[d])));
    return { days: dayStarts.slice(0, days).map(localDay), models, byModel, totals, total: sum(totals), unpriced };
  }

  /** Tokens and dollars per agent or per model, the most expensive first. */
  totalsBy(key: 'agent' | 'model'): UsageTotal[] {
    const totals = new Map<string, { -readonly [K in keyof UsageTotal]: UsageTotal[K] }>();
    for (const row of this.rows) {
      const name = row[key];
      let t = totals.get(name);
      if (!t) {
        t = { key: name, requests: 0, inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, cost: 0, unpriced: 0, chat: 0 };
        totals.set(name, t);
      }
      t.requests++;
      t.inputTokens += row.inputTokens;
      t.cacheWriteTokens += row.cacheWriteTokens;
      t.cacheReadTokens += row.cacheReadTokens;
      t.outputTokens += row.outputTokens;
      if (row.billedTo === 'chat') {
        t.chat++;
      } else if (row.cost === undefined) {
        t.unpriced++;
      } else {
        t.cost += row.cost;
      }
    }
    return [...totals.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests || a.key.localeCompare(b.key));
  }

  /** What the prompt cache saved, over every row billed to the key whose model has a price. */
  cacheSavings(): CacheSavings {
    let withoutCache = 0;
    let actual = 0;
    let cacheReadTokens = 0;
    let cacheWriteTokens = 0;
    for (const row of this.rows) {
      const usage = usageOf(row);
      const paid = row.billedTo === 'key' ? costOf(row.model, usage) : undefined;
      const fresh = row.billedTo === 'key' ? costWithoutCacheOf(row.model, usage) : undefined;
      if (paid === undefined || fresh === undefined) {
        continue;
      }
      actual += paid;
      withoutCache += fresh;
      cacheReadTokens += row.cacheReadTokens;
      cacheWriteTokens += row.cacheWriteTokens;
    }
    return { saved: withoutCache - actual, withoutCache, actual, cacheReadTokens, cacheWriteTokens };
  }

  /** Dollars billed to the key in the local calendar month of `now` (price-unknown rows left out). */
  monthToDate(now: number): number {
    const d = new Date(now);
    const start = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    const end = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    return this.rows.filter((row) => isSpend(row) && row.at >= start && row.at < end).reduce((sum, row) => sum + (row.cost ?? 0), 0);
  }

  /**
   * One CSV row per request, RFC 4180 (CRLF, quoted when needed), with a header. A text cell
   * that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) starts with `'`.
   */
  toCsv(): string {
    const header = [
      'date',
      'agent',
      'model',
      'input_tokens',
      'cache_write_tokens',
      'cache_write_1h_tokens',
      'cache_read_tokens',
      'output_tokens',
      'price_usd',
      'request_id',
      'partial',
      'billed_to',
    ];
    const lines = this.rows.map((row) =>
      [
        new Date(row.at).toISOString(),
        csvText(row.agent),
        csvText(row.model),
        String(row.inputTokens),
        String(row.cacheWriteTokens),
        String(cacheWrite1hOf(row)),
        String(row.cacheReadTokens),
        String(row.outputTokens),
        row.cost === undefined ? '' : String(Number(row.cost.toFixed(8))),
        csvText(row.requestId ?? ''),
        row.partial ? 'true' : 'false',
        row.billedTo,
      ].join(','),
    );
    return [header.join(','), ...lines].map((line) => `${line}\r\n`).join('');
  }
}

/** A text cell: formula-safe, then quoted when it holds a quote, a comma or a line break. */
function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function isSorted(rows: readonly UsageRow[]): boolean {
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].at < rows[i - 1].at) {
      return false;
    }
  }
  return true;
}

/** The first index whose value is greater than `value` (`values` ascending). */
function upperBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// ---------- storage ----------

/**
 * A row as stored: a tuple, so 20,000 rows stay near 2 MB of JSON.
 * `[at, agent, model, input, cacheWrite, cacheRead, output, cost | null, requestId | null,
 * partial 0/1, billedTo 'key'/'chat', cacheWrite1h]`.
 */
export type StoredRow = readonly [number, string, string, number, number, number, number, number | null, string | null, 0 | 1, BilledTo, number];

/** The rows as stored. */
export function encodeRows(rows: readonly UsageRow[]): StoredRow[] {
  return rows.map((r) => [
    r.at,
    r.agent,
    r.model,
    r.inputTokens,
    r.cacheWriteTokens,
    r.cacheReadTokens,
    r.outputTokens,
    r.cost ?? null,
    r.requestId ?? null,
    r.partial ? 1 : 0,
    r.billedTo,
    cacheWrite1hOf(r),
  ]);
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Rows read back from storage. Never throws: anything that is not a well-formed stored row
 * (another version, a hand edit, a corrupt value) is left out and counted in `dropped`.
 */
export function decodeRows(value: unknown): { rows: UsageRow[]; dropped: number } {
  if (!Array.isArray(value)) {
    return { rows: [], dropped: value === undefined || value === null ? 0 : 1 };
  }
  const rows: UsageRow[] = [];
  for (const item of value as unknown[]) {
    if (!Array.isArray(item) || item.length < 11) {
      continue;
    }
    const [at, agent, model, input, write, read, output, cost, requestId, partial, billedTo, write1h] = item as unknown[];
    if (
      !count(at) ||
      typeof agent !== 'string' ||
      typeof model !== 'string' ||
      !count(input) ||
      !count(write) ||
      !count(read) ||
      !count(output) ||
      !(cost === null || (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)) ||
      !(requestId === null || typeof requestId === 'string') ||
      (partial !== 0 && partial !== 1) ||
      (billedTo !== 'key' && billedTo !== 'chat')
    ) {
      continue;
    }
    const long = count(write1h) ? Math.min(write1h, write) : 0;
    rows.push({
      at,
      agent,
      model,
      inputTokens: input,
      cacheWriteTokens: write,
      cacheReadTokens: read,
      outputTokens: output,
      ...(long > 0 ? { cacheWrite1hTokens: long } : {}),
      ...(cost === null ? {} : { cost }),
      ...(requestId === null ? {} : { requestId }),
      partial: partial === 1,
      billedTo,
    });
  }
  return { rows, dropped: value.length - rows.length };
}
