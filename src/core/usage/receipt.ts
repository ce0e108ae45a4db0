/**
 * A turn's receipt: what the model saw in tokens, what it cost, what the prompt cache saved,
 * from the turn's request receipts (`runToolLoop`'s `requests`). Pure: no `vscode`.
 */
import * as l10n from '@vscode/l10n';
import { formatCost } from '../../shared/format';
import type { ReceiptView } from '../../shared/protocol';
import type { RequestReceipt } from '../llm/toolLoop';
import { cacheWrite1hOf, costOf, costWithoutCacheOf, WEB_SEARCH_DOLLARS, type PricedUsage } from '../llm/pricing';

/** A request as a receipt needs it: any `RequestReceipt`, or one whose usage knows its 1-hour writes. */
export type ReceiptRequest = Omit<RequestReceipt, 'usage' | 'stopReason'> & { readonly usage: PricedUsage };

/** Tokens of a turn, by how they are billed. */
interface ReceiptTokens {
  /** Input read fresh, at the input price. */
  readonly input: number;
  /** Written to the prompt cache, both TTLs (`cacheWrite1h` is part of it). */
  readonly cacheWrite: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
  readonly output: number;
  /** All four kinds: what the model saw and wrote. */
  readonly total: number;
}

/** One line of the receipt: a request of the turn. */
interface ReceiptLine {
  readonly requestId?: string;
  readonly model: string;
  readonly usage: PricedUsage;
  readonly webSearches: number;
  readonly webFetches: number;
  /** Undefined: the model's price is unknown. */
  readonly cost?: number;
  readonly partial: boolean;
  readonly outcome: RequestReceipt['outcome'];
  readonly durationMs: number;
}

/** A turn's tokens, price and cache savings, summed over every request (partial ones included). */
export interface Receipt {
  readonly lines: readonly ReceiptLine[];
  readonly tokens: ReceiptTokens;
  /** The models that answered, in order of first use (one, unless the caller mixed them). */
  readonly models: readonly string[];
  readonly webSearches: number;
  readonly webFetches: number;
  /** US dollars; undefined when a request's model has no price ("price unknown", never 0). */
  readonly cost?: number;
  /** The same requests' price had every cached token (read or written) been fresh input. */
  readonly costWithoutCache?: number;
  /**
   * `costWithoutCache - cost`: what the prompt cache saved. Negative when writing the cache
   * cost more than reading it saved (a first question: writes cost 1.25× or 2× input).
   */
  readonly savedByCache?: number;
  /** Requests that did not complete; their usage is what they reported before they stopped. */
  readonly partialRequests: number;
  /** The requests' durations added up (the time spent waiting for Claude). */
  readonly durationMs: number;
  readonly requestIds: readonly string[];
}

/** Adds up a turn's requests. Accepts `RequestReceipt`s as `runToolLoop` returns them. */
export function receiptOf(requests: readonly ReceiptRequest[]): Receipt {
  const lines: ReceiptLine[] = requests.map((r) => ({
    ...(r.requestId === undefined ? {} : { requestId: r.requestId }),
    model: r.model,
    usage: r.usage,
    webSearches: r.webSearches,
    webFetches: r.webFetches,
    cost: costOf(r.model, r.usage, r.webSearches),
    partial: r.partial,
    outcome: r.outcome,
    durationMs: r.durationMs,
  }));
  const sum = (pick: (line: ReceiptLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const tokens = {
    input: sum((l) => l.usage.inputTokens),
    cacheWrite: sum((l) => l.usage.cacheWriteTokens),
    cacheWrite1h: sum((l) => cacheWrite1hOf(l.usage)),
    cacheRead: sum((l) => l.usage.cacheReadTokens),
    output: sum((l) => l.usage.outputTokens),
  };
  const priced = lines.every((l) => l.cost !== undefined);
  const cost = priced ? sum((l) => l.cost ?? 0) : undefined;
  const costWithoutCache = priced ? sum((l) => costWithoutCacheOf(l.model, l.usage, l.webSearches) ?? 0) : undefined;
  return {
    lines,
    tokens: { ...tokens, total: tokens.input + tokens.cacheWrite + tokens.cacheRead + tokens.output },
    models: [...new Set(lines.map((l) => l.model))],
    webSearches: sum((l) => l.webSearches),
    webFetches: sum((l) => l.webFetches),
    cost,
    costWithoutCache,
    savedByCache: cost === undefined || costWithoutCache === undefined ? undefined : costWithoutCache - cost,
    partialRequests: lines.filter((l) => l.partial).length,
    durationMs: sum((l) => l.durationMs),
    requestIds: lines.flatMap((l) => (l.requestId === undefined ? [] : [l.requestId])),
  };
}

/** Whose bill a turn was on. */
export type BilledTo = 'key' | 'chat';

/** What a receipt's Markdown says besides the numbers. Nothing here is code or a question. */
export interface ReceiptContext {
  /** The agent's display name. */
  readonly agent: string;
  /** The model asked for (the receipt's own models are the ones that answered). */
  readonly model: string;
  /** The code sent, one `path:lines` each (`src/app.ts:12-40`). */
  readonly code: readonly string[];
  /** Files the tools read, listed or searched, workspace-relative. */
  readonly files: readonly string[];
  /** The turn's wall-clock time, tools included; default: the requests' durations added up. */
  readonly durationMs?: number;
  /** What was left out to fit the token budget, one phrase each ("2 oldest questions and answers"). */
  readonly omitted: readonly string[];
  /**
   * `key`: the user's Anthropic key paid; `chat`: the model selected in the Chat view answered,
   * not billed to the key.
   */
  readonly billedTo: BilledTo;
}

/** Token counts for people: `12,345`. */
function formatTokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** Seconds for people: `850 ms`, `12.4 s`, `2 min 5 s`. */
function formatDuration(ms: number): string {
  if (ms < 1000) {
    return l10n.t('{0} ms', Math.round(ms));
  }
  if (ms < 60_000) {
    return l10n.t('{0} s', (ms / 1000).toFixed(1));
  }
  const seconds = Math.round(ms / 1000);
  return l10n.t('{0} min {1} s', Math.floor(seconds / 60), seconds % 60);
}

/** "1 token", "2,310 tokens". */
function tokenCount(count: number): string {
  return count === 1 ? l10n.t('1 token') : l10n.t('{0} tokens', formatTokens(count));
}

/** "1 request", "3 requests". */
function requestCount(count: number): string {
  return count === 1 ? l10n.t('1 request') : l10n.t('{0} requests', formatTokens(count));
}

/** "1 web search", "2 web searches". */
function webSearchCount(count: number): string {
  return count === 1 ? l10n.t('1 web search') : l10n.t('{0} web searches', formatTokens(count));
}

/** What the cache did, in words: "saved $0.0087 by cache", or "cache writes added $0.0012". */
function cacheWords(saved: number | undefined): string | undefined {
  if (saved === undefined || Math.abs(saved) < 5e-7) {
    return undefined;
  }
  return saved > 0 ? l10n.t('saved {0} by cache', formatCost(saved)) : l10n.t('cache writes added {0}', formatCost(-saved));
}

/** One line: "2,310 tokens · $0.0123 · saved $0.0087 by cache · 3 requests (1 partial)". */
export function receiptSummary(receipt: Receipt, billedTo: BilledTo = 'key'): string {
  const count = receipt.lines.length;
  const parts = [
    tokenCount(receipt.tokens.total),
    billedTo === 'chat' ? l10n.t('not billed to your Anthropic key') : formatCost(receipt.cost),
    ...(billedTo === 'chat' ? [] : [cacheWords(receipt.savedByCache)].filter((w): w is string => w !== undefined)),
    receipt.partialRequests > 0
      ? l10n.t({ message: '{0} ({1} partial)', args: [requestCount(count), receipt.partialRequests], comment: ['{0} is a number of requests, such as "3 requests"'] })
      : requestCount(count),
  ];
  if (receipt.webSearches > 0) {
    parts.splice(parts.length - 1, 0, webSearchCount(receipt.webSearches));
  }
  return parts.join(' · ');
}

/** A Markdown table cell: no line breaks, no column separators. */
function cell(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
}

/** Inline code that stays inline code whatever backticks the text holds. */
function code(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * The receipt as Markdown, for the log and Export to Markdown: a table of tokens and prices
 * by kind, what the cache saved, then the context (code sent, files touched, what was left out,
 * time, request ids, whose bill).
 */
export function receiptMarkdown(receipt: Receipt, context: ReceiptContext): string {
  const chat = context.billedTo === 'chat';
  const { rows, total } = receiptRows(receipt, context.billedTo);
  const table = [
    `| | ${l10n.t({ message: 'tokens', comment: ['A column heading of the receipt table'] })} | ${l10n.t({ message: 'price', comment: ['A column heading of the receipt table'] })} |`,
    '| --- | ---: | ---: |',
    ...rows.map((row) => `| ${row.label} | ${formatTokens(row.tokens)} | ${row.price} |`),
    `| **${l10n.t('Total')}** | **${formatTokens(total.tokens)}** | **${total.price}** |`,
  ];

  const models = receipt.models.length > 0 ? receipt.models : [context.model];
  const heading = `**${l10n.t({ message: 'Receipt', comment: ['The heading of what an answer cost'] })}** · ${cell(context.agent)} · ${models.map(code).join(', ')}`;
  const note = receiptNote(receipt, context, code);
  const list = (label: string, items: readonly string[], format: (item: string) => string = code) =>
    items.length > 0 ? [`- ${label}: ${items.map(format).join(', ')}`] : [];
  const details = [
    ...list(l10n.t('Code sent'), context.code),
    ...list(l10n.t('Files the tools touched'), context.files),
    ...list(l10n.t('Left out to fit the budget'), context.omitted, cell),
    ...(receipt.webFetches > 0 ? [`- ${l10n.t('Web pages fetched: {0}', formatTokens(receipt.webFetches))}`] : []),
    `- ${requestsLine(receipt, context)}${receipt.requestIds.length > 0 ? `: ${receipt.requestIds.map(code).join(', ')}` : ''}`,
    `- ${billSentence(chat)}`,
  ];
  return [heading, '', ...table, '', ...(note ? [note, ''] : []), ...details, ''].join('\n');
}

/**
 * The receipt as the panel shows it (`ReceiptView`): the same rows, note and lines as
 * `receiptMarkdown`, as plain strings, and the one-line summary it collapses to.
 */
export function receiptView(receipt: Receipt, context: ReceiptContext): ReceiptView {
  const { rows, total } = receiptRows(receipt, context.billedTo);
  const note = receiptNote(receipt, context, (text) => text);
  return {
    summary: receiptSummary(receipt, context.billedTo),
    agent: context.agent,
    models: receipt.models.length > 0 ? receipt.models : [context.model],
    code: context.code,
    files: context.files,
    rows,
    total,
    ...(note ? { note } : {}),
    requests: requestsLine(receipt, context),
    requestIds: receipt.requestIds,
    omitted: context.omitted,
    bill: billSentence(context.billedTo === 'chat'),
    partialRequests: receipt.partialRequests,
  };
}

/** Whose bill, in a sentence. */
function billSentence(chat: boolean): string {
  return chat ? l10n.t('Answered by the model selected in the Chat view: not billed to your Anthropic key.') : l10n.t('Billed to your Anthropic API key.');
}

/** "3 requests in 12.4 s (1 partial: …)". */
function requestsLine(receipt: Receipt, context: ReceiptContext): string {
  const requests = requestCount(receipt.lines.length);
  const duration = formatDuration(context.durationMs ?? receipt.durationMs);
  return receipt.partialRequests > 0
    ? l10n.t(
        '{0} in {1} ({2} partial: stopped or failed before the end; input as the API reported it, output as far as it streamed)',
        requests,
        duration,
        receipt.partialRequests,
      )
    : l10n.t({ message: '{0} in {1}', args: [requests, duration], comment: ['"3 requests in 12.4 s"'] });
}

/** The price unknown, or what the prompt cache saved (or cost): one sentence, or none. */
function receiptNote(receipt: Receipt, context: ReceiptContext, format: (model: string) => string): string | undefined {
  if (context.billedTo === 'chat') {
    return undefined;
  }
  const models = receipt.models.length > 0 ? receipt.models : [context.model];
  if (receipt.cost === undefined) {
    const unknown = models.filter((m) => receipt.lines.some((l) => l.model === m && l.cost === undefined));
    const names = unknown.map(format).join(', ');
    return unknown.length === 1 ? l10n.t('Price unknown: {0} is not in the price table.', names) : l10n.t('Price unknown: {0} are not in the price table.', names);
  }
  if (receipt.savedByCache !== undefined && receipt.costWithoutCache !== undefined && receipt.tokens.cacheRead + receipt.tokens.cacheWrite > 0) {
    return receipt.savedByCache >= 0
      ? l10n.t('The prompt cache saved {0} ({1} without it).', formatCost(receipt.savedByCache), formatCost(receipt.costWithoutCache))
      : l10n.t('Writing the prompt cache cost {0} more than fresh input would have; later questions read it back at a tenth of the price.', formatCost(-receipt.savedByCache));
  }
  return undefined;
}

/** The receipt's table: tokens and price by kind, and the total. Prices are '—' for the Chat view's model. */
function receiptRows(receipt: Receipt, billedTo: BilledTo): { rows: ReceiptView['rows']; total: ReceiptView['total'] } {
  const chat = billedTo === 'chat';
  const priceOfKind = (kind: TokenKind) => {
    if (chat) {
      return '—';
    }
    const total = receipt.lines.reduce<number | undefined>((sum, line) => {
      const part = partCost(line, kind);
      return sum === undefined || part === undefined ? undefined : sum + part;
    }, 0);
    return formatCost(total);
  };
  const write1h = receipt.tokens.cacheWrite1h;
  const rows = [
    { label: l10n.t('Fresh input'), tokens: receipt.tokens.input, price: priceOfKind('input') },
    { label: write1h > 0 ? l10n.t('Cache write (5 minutes)') : l10n.t('Cache write'), tokens: receipt.tokens.cacheWrite - write1h, price: priceOfKind('write5m') },
    ...(write1h > 0 ? [{ label: l10n.t('Cache write (1 hour)'), tokens: write1h, price: priceOfKind('write1h') }] : []),
    { label: l10n.t('Cache read'), tokens: receipt.tokens.cacheRead, price: priceOfKind('read') },
    { label: l10n.t({ message: 'Output', comment: ['Output tokens: a row of the receipt table'] }), tokens: receipt.tokens.output, price: priceOfKind('output') },
    ...(receipt.webSearches > 0 ? [{ label: l10n.t('Web searches'), tokens: receipt.webSearches, price: chat ? '—' : formatCost(receipt.webSearches * WEB_SEARCH_DOLLARS) }] : []),
  ];
  return { rows, total: { tokens: receipt.tokens.total, price: chat ? '—' : formatCost(receipt.cost) } };
}

type TokenKind = 'input' | 'write5m' | 'write1h' | 'read' | 'output';

/** One kind of token of one line, in dollars; undefined when the model's price is unknown. */
function partCost(line: ReceiptLine, kind: TokenKind): number | undefined {
  const u = line.usage;
  const none = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const long = cacheWrite1hOf(u);
  const only: Record<TokenKind, PricedUsage> = {
    input: { ...none, inputTokens: u.inputTokens },
    write5m: { ...none, cacheWriteTokens: u.cacheWriteTokens - long },
    write1h: { ...none, cacheWriteTokens: long, cacheWrite1hTokens: long },
    read: { ...none, cacheReadTokens: u.cacheReadTokens },
    output: { ...none, outputTokens: u.outputTokens },
  };
  return costOf(line.model, only[kind]);
}
