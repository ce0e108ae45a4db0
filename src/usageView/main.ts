/**
 * The usage view: posts `ready`, then draws each `usage` message: the month's spend, the
 * spend-per-day chart with a table as its text alternative, totals by model and by agent, the
 * cache savings. Text goes in through `textContent` only: agent and model names are data.
 */
import './usage.css';
import * as l10n from '@vscode/l10n';
import { formatCost } from '../shared/format';
import { L10N_ELEMENT_ID, useL10nBlock } from '../shared/l10nBlock';
import type { UsageHostMessage, UsageTotalView, UsageViewData, UsageViewMessage } from '../shared/usageView';
import { seriesClass, shortDay, SpendChart } from './chart';

// First: every string below is translated when it is made.
useL10nBlock(document.getElementById(L10N_ELEMENT_ID)?.textContent);

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const post = (message: UsageViewMessage) => api.postMessage(message);

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`The usage view's HTML has no #${id}.`);
  }
  return element as T;
}

/** `el('td', { className: 'x' }, 'text', child)`: an element with text and children. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Pick<HTMLElement, 'className' | 'title'>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  Object.assign(element, props);
  element.append(...children);
  return element;
}

/** Tokens, short: 950, 12.3k, 4.5M. */
function tokens(count: number): string {
  if (count < 1000) {
    return String(count);
  }
  if (count < 1_000_000) {
    return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  }
  return `${(count / 1_000_000).toFixed(count < 10_000_000 ? 2 : 1)}M`;
}

// Counts: each variant is a whole string for the translator.
const count = (n: number) => n.toLocaleString('en-US');
const days = (n: number) => (n === 1 ? l10n.t('1 day') : l10n.t('{0} days', count(n)));
const models = (n: number) => (n === 1 ? l10n.t('1 model') : l10n.t('{0} models', count(n)));
const requests = (n: number) => (n === 1 ? l10n.t('1 request') : l10n.t('{0} requests', count(n)));

/** Stands for an element in a translated sentence (see `withNode`); never typed by anyone. */
const NODE_MARK = '\u0000';

/** A translated sentence made with `NODE_MARK` as one of its values, with `node` in its place. */
function withNode(text: string, node: Node): (Node | string)[] {
  const at = text.indexOf(NODE_MARK);
  return at < 0 ? [text, node] : [text.slice(0, at), node, text.slice(at + NODE_MARK.length)];
}

const chart = new SpendChart(byId<HTMLCanvasElement>('chart'));
const exportButton = byId<HTMLButtonElement>('export');
exportButton.addEventListener('click', () => post({ type: 'exportCsv' }));

function render(data: UsageViewData): void {
  byId('loading').hidden = true;
  const empty = data.requests === 0;
  byId('empty').hidden = !empty;
  byId('content').hidden = empty;
  exportButton.disabled = empty;
  renderMonth(data);
  if (empty) {
    post({ type: 'rendered', days: 0, models: 0, tableRows: 0, empty: true });
    return;
  }
  chart.draw(data.daily);
  byId('chart-summary').textContent = chartSummary(data.daily);
  const tableRows = renderDailyTable(data.daily);
  byId('savings').replaceWith(savings(data.savings));
  byId('by-model').replaceChildren(totalsTable(data.byModel, l10n.t('Model'), data.daily.models));
  byId('by-agent').replaceChildren(totalsTable(data.byAgent, l10n.t('Agent')));
  byId('footnote').textContent = footnote(data);
  post({ type: 'rendered', days: data.daily.days.length, models: data.daily.models.length, tableRows, empty: false });
}

function renderMonth(data: UsageViewData): void {
  const month = byId('month');
  const spent = el('strong', {}, formatCost(data.monthToDate));
  if (data.budget === undefined) {
    month.replaceChildren(...withNode(l10n.t('{0}: {1} billed to your Anthropic key', data.monthLabel, NODE_MARK), spent));
  } else {
    const share = data.monthToDate / data.budget;
    const percent = Math.round(share * 100);
    const parts = withNode(l10n.t('{0}: {1} of your {2} monthly budget ({3}%)', data.monthLabel, NODE_MARK, formatCost(data.budget), percent), spent);
    const bar = el('progress', { className: share >= 1 ? 'budget-bar over' : 'budget-bar', title: l10n.t('{0}% of the monthly budget', percent) });
    bar.max = 1;
    bar.value = Math.min(1, share);
    parts.push(bar);
    month.replaceChildren(...parts);
  }
}

/** What the chart shows, in one or two sentences (the canvas's description). */
function chartSummary(daily: UsageViewData['daily']): string {
  if (daily.total === 0) {
    return l10n.t('No spend billed to your key in the last 30 days.');
  }
  const peak = daily.totals.reduce((best, value, i) => (value > daily.totals[best] ? i : best), 0);
  const active = daily.totals.filter((v) => v > 0).length;
  return l10n.t(
    '{0} over the last 30 days on {1}, {2}; the most on {3} ({4}).',
    formatCost(daily.total),
    days(active),
    models(daily.models.length),
    shortDay(daily.days[peak]),
    formatCost(daily.totals[peak]),
  );
}

/** The chart as a table: one row per day with spend, one column per model. Returns the row count. */
function renderDailyTable(daily: UsageViewData['daily']): number {
  const spent = daily.days.map((day, d) => ({ day, d })).filter(({ d }) => daily.totals[d] > 0);
  const box = byId('daily-table');
  if (spent.length === 0) {
    box.replaceChildren(el('p', {}, l10n.t('No spend in the last 30 days.')));
    return 0;
  }
  const head = el('tr', {}, el('th', {}, l10n.t('Day')), ...daily.models.map((m) => el('th', { className: 'name' }, m)), el('th', {}, l10n.t('Total')));
  const rows = spent.reverse().map(({ day, d }) =>
    el('tr', {}, el('td', {}, shortDay(day)), ...daily.byModel.map((series) => el('td', {}, series[d] > 0 ? formatCost(series[d]) : '–')), el('td', {}, formatCost(daily.totals[d]))),
  );
  const table = el('table', {}, el('caption', { className: 'sr-only' }, l10n.t('Spend per day by model, newest first')), el('thead', {}, head), el('tbody', {}, ...rows));
  box.replaceChildren(table);
  return rows.length;
}

function totalsTable(totals: readonly UsageTotalView[], what: string, models: readonly string[] = []): HTMLTableElement {
  const rows = totals.map((t) => {
    const colour = models.indexOf(t.key);
    const name = el('td', { className: 'name' });
    if (colour >= 0) {
      name.append(el('span', { className: `swatch ${seriesClass(colour)}` }));
    }
    const cached = t.cacheReadTokens + t.cacheWriteTokens;
    name.append(t.key, el('span', { className: 'detail' }, l10n.t('{0} in · {1} cache · {2} out', tokens(t.inputTokens), tokens(cached), tokens(t.outputTokens))));
    const notes = [t.unpriced > 0 ? l10n.t('{0} unpriced', t.unpriced) : '', t.chat > 0 ? l10n.t('{0} via Chat', t.chat) : ''].filter(Boolean).join(', ');
    return el(
      'tr',
      {},
      name,
      el('td', {}, t.requests.toLocaleString('en-US')),
      el('td', {}, t.cost > 0 || (t.unpriced === 0 && t.chat === 0) ? formatCost(t.cost) : '—', ...(notes ? [el('span', { className: 'detail' }, notes)] : [])),
    );
  });
  return el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, what), el('th', {}, l10n.t('Requests')), el('th', {}, l10n.t('Cost')))), el('tbody', {}, ...rows));
}

function savings(s: UsageViewData['savings']): HTMLElement {
  const p = el('p', { className: s.saved < 0 ? 'savings negative' : 'savings' });
  p.id = 'savings';
  if (s.cacheReadTokens + s.cacheWriteTokens === 0) {
    p.append(l10n.t('Nothing was read from or written to the prompt cache yet.'));
    return p;
  }
  const amount = el('strong', {}, formatCost(Math.abs(s.saved)));
  p.append(
    ...withNode(s.saved >= 0 ? l10n.t('Saved {0}', NODE_MARK) : l10n.t('Cost {0} more', NODE_MARK), amount),
    el(
      'span',
      { className: 'detail' },
      l10n.t(
        '{0} paid for {1} tokens read and {2} written, {3} as fresh input.',
        formatCost(s.actual),
        tokens(s.cacheReadTokens),
        tokens(s.cacheWriteTokens),
        formatCost(s.withoutCache),
      ),
    ),
  );
  return p;
}

function footnote(data: UsageViewData): string {
  const parts = [
    data.since === undefined
      ? l10n.t('{0} recorded (the newest 20,000 are kept).', requests(data.requests))
      : l10n.t(
          '{0} recorded since {1} (the newest 20,000 are kept).',
          requests(data.requests),
          new Date(data.since).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }),
        ),
  ];
  const unpriced = data.daily.unpriced;
  if (unpriced > 0) {
    parts.push(
      unpriced === 1
        ? l10n.t('1 request of the last 30 days used a model without a known price and is not in the dollars.')
        : l10n.t('{0} requests of the last 30 days used a model without a known price and are not in the dollars.', count(unpriced)),
    );
  }
  return parts.join(' ');
}

// A theme change swaps the body's class and the --vscode-* variables: redraw in the new colours.
new MutationObserver(() => chart.redraw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data as Partial<UsageHostMessage> | null;
  if (message?.type === 'usage' && typeof message.data === 'object' && message.data !== null) {
    render(message.data);
  }
});

post({ type: 'ready' });
