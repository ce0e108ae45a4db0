/**
 * The usage view: posts `ready`, then draws each `usage` message: the month's spend, the
 * spend-per-day chart with a table as its text alternative, totals by model and by agent, the
 * cache savings. Text goes in through `textContent` only: agent and model names are data.
 */
import './usage.css';
import { formatCost } from '../shared/format';
import type { UsageHostMessage, UsageTotalView, UsageViewData, UsageViewMessage } from '../shared/usageView';
import { seriesClass, shortDay, SpendChart } from './chart';

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

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

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
  byId('by-model').replaceChildren(totalsTable(data.byModel, 'Model', data.daily.models));
  byId('by-agent').replaceChildren(totalsTable(data.byAgent, 'Agent'));
  byId('footnote').textContent = footnote(data);
  post({ type: 'rendered', days: data.daily.days.length, models: data.daily.models.length, tableRows, empty: false });
}

function renderMonth(data: UsageViewData): void {
  const month = byId('month');
  const parts: (Node | string)[] = [`${data.monthLabel}: `, el('strong', {}, formatCost(data.monthToDate))];
  if (data.budget === undefined) {
    parts.push(' billed to your Anthropic key');
  } else {
    const share = data.monthToDate / data.budget;
    parts.push(` of your ${formatCost(data.budget)} monthly budget (${Math.round(share * 100)}%)`);
    const bar = el('progress', { className: share >= 1 ? 'budget-bar over' : 'budget-bar', title: `${Math.round(share * 100)}% of the monthly budget` });
    bar.max = 1;
    bar.value = Math.min(1, share);
    parts.push(bar);
  }
  month.replaceChildren(...parts);
}

/** What the chart shows, in one or two sentences (the canvas's description). */
function chartSummary(daily: UsageViewData['daily']): string {
  if (daily.total === 0) {
    return 'No spend billed to your key in the last 30 days.';
  }
  const peak = daily.totals.reduce((best, value, i) => (value > daily.totals[best] ? i : best), 0);
  const active = daily.totals.filter((v) => v > 0).length;
  return `${formatCost(daily.total)} over the last 30 days on ${plural(active, 'day')}, ${plural(daily.models.length, 'model')}; the most on ${shortDay(daily.days[peak])} (${formatCost(daily.totals[peak])}).`;
}

/** The chart as a table: one row per day with spend, one column per model. Returns the row count. */
function renderDailyTable(daily: UsageViewData['daily']): number {
  const days = daily.days.map((day, d) => ({ day, d })).filter(({ d }) => daily.totals[d] > 0);
  const box = byId('daily-table');
  if (days.length === 0) {
    box.replaceChildren(el('p', {}, 'No spend in the last 30 days.'));
    return 0;
  }
  const head = el('tr', {}, el('th', {}, 'Day'), ...daily.models.map((m) => el('th', { className: 'name' }, m)), el('th', {}, 'Total'));
  const rows = days.reverse().map(({ day, d }) =>
    el('tr', {}, el('td', {}, shortDay(day)), ...daily.byModel.map((series) => el('td', {}, series[d] > 0 ? formatCost(series[d]) : '–')), el('td', {}, formatCost(daily.totals[d]))),
  );
  const table = el('table', {}, el('caption', { className: 'sr-only' }, 'Spend per day by model, newest first'), el('thead', {}, head), el('tbody', {}, ...rows));
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
    name.append(t.key, el('span', { className: 'detail' }, `${tokens(t.inputTokens)} in · ${tokens(cached)} cache · ${tokens(t.outputTokens)} out`));
    const notes = [t.unpriced > 0 ? `${t.unpriced} unpriced` : '', t.chat > 0 ? `${t.chat} via Chat` : ''].filter(Boolean).join(', ');
    return el(
      'tr',
      {},
      name,
      el('td', {}, t.requests.toLocaleString('en-US')),
      el('td', {}, t.cost > 0 || (t.unpriced === 0 && t.chat === 0) ? formatCost(t.cost) : '—', ...(notes ? [el('span', { className: 'detail' }, notes)] : [])),
    );
  });
  return el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, what), el('th', {}, 'Requests'), el('th', {}, 'Cost'))), el('tbody', {}, ...rows));
}

function savings(s: UsageViewData['savings']): HTMLElement {
  const p = el('p', { className: s.saved < 0 ? 'savings negative' : 'savings' });
  p.id = 'savings';
  if (s.cacheReadTokens + s.cacheWriteTokens === 0) {
    p.append('Nothing was read from or written to the prompt cache yet.');
    return p;
  }
  p.append(
    s.saved >= 0 ? 'Saved ' : 'Cost ',
    el('strong', {}, formatCost(Math.abs(s.saved))),
    s.saved >= 0 ? '' : ' more',
    el('span', { className: 'detail' }, `${formatCost(s.actual)} paid for ${tokens(s.cacheReadTokens)} tokens read and ${tokens(s.cacheWriteTokens)} written, ${formatCost(s.withoutCache)} as fresh input.`),
  );
  return p;
}

function footnote(data: UsageViewData): string {
  const since = data.since === undefined ? '' : ` since ${new Date(data.since).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })}`;
  const parts = [`${plural(data.requests, 'request')} recorded${since} (the newest 20,000 are kept).`];
  if (data.daily.unpriced > 0) {
    parts.push(`${plural(data.daily.unpriced, 'request')} of the last 30 days used a model without a known price and ${data.daily.unpriced === 1 ? 'is' : 'are'} not in the dollars.`);
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
