/**
 * An answer's receipt under it: one line ("Receipt · 3 requests · 12,840 tokens · $0.0168 ·
 * saved $0.0207 by cache"), a disclosure that expands to the agent and models, the tokens and
 * prices by kind, what the prompt cache saved, the code sent and the files the tools touched as
 * links, what was left out to fit, the time and request ids, and whose bill it was. Everything
 * shown is text the host made; a link posts its index, the host opens what it recorded.
 */
import * as l10n from '@vscode/l10n';
import type { ReceiptView } from '../shared/protocol';
import { wireDisclosure } from './disclosure';
import { h } from './dom';
import { icon } from './icons';

const numbers = new Intl.NumberFormat('en-US');

/** Renders `receipt`; `open(kind, index)` is called when one of its links is clicked. */
export function receiptElement(receipt: ReceiptView, open: (kind: 'code' | 'file', index: number) => void): HTMLElement {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const list = (values: readonly unknown[] | undefined) => (Array.isArray(values) ? values.map(text).filter((v) => v !== '') : []);

  const rows = (receipt.rows ?? []).map((row) =>
    h(
      'tr',
      {},
      h('th', { attrs: { scope: 'row' } }, text(row.label)),
      h('td', { className: 'receipt-tokens', attrs: { 'data-tokens': String(Number(row.tokens) || 0) } }, numbers.format(Number(row.tokens) || 0)),
      h('td', { className: 'receipt-price' }, text(row.price)),
    ),
  );
  const table = h(
    'table',
    { className: 'receipt-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { attrs: { scope: 'col' } }, h('span', { className: 'sr-only' }, l10n.t({ message: 'Kind', comment: ['Column of a table of tokens and prices: input, output, cache read…'] }))),
        h('th', { attrs: { scope: 'col' } }, l10n.t('Tokens')),
        h('th', { attrs: { scope: 'col' } }, l10n.t('Price')),
      ),
    ),
    h('tbody', {}, ...rows),
    h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('th', { attrs: { scope: 'row' } }, l10n.t('Total')),
        h('td', { className: 'receipt-tokens receipt-total-tokens', attrs: { 'data-tokens': String(Number(receipt.total?.tokens) || 0) } }, numbers.format(Number(receipt.total?.tokens) || 0)),
        h('td', { className: 'receipt-price receipt-total-price' }, text(receipt.total?.price)),
      ),
    ),
  );

  const links = (kind: 'code' | 'file', labels: readonly string[]) =>
    h(
      'ul',
      { className: 'receipt-links' },
      ...labels.map((label, index) => {
        const anchor = h(
          'a',
          { className: 'receipt-link', attrs: { href: '#', title: l10n.t('Open {0}', label), 'data-kind': kind } },
          icon('file'),
          h('span', { className: 'receipt-link-label' }, label),
        );
        anchor.addEventListener('click', (event) => {
          event.preventDefault();
          open(kind, index);
        });
        return h('li', {}, anchor);
      }),
    );
  const section = (label: string, className: string, content: HTMLElement) =>
    h('div', { className: `receipt-section ${className}` }, h('span', { className: 'receipt-label' }, label), content);

  const code = list(receipt.code);
  const files = list(receipt.files);
  const omitted = list(receipt.omitted);
  const ids = list(receipt.requestIds);
  const models = list(receipt.models);
  const panel = h(
    'div',
    { className: 'receipt-panel' },
    h('p', { className: 'receipt-who' }, text(receipt.agent), models.length > 0 && ` · ${models.join(', ')}`),
    table,
    typeof receipt.note === 'string' && h('p', { className: 'receipt-note' }, receipt.note),
    code.length > 0 && section(l10n.t('Code sent'), 'receipt-code', links('code', code)),
    files.length > 0 && section(l10n.t('Files the tools touched'), 'receipt-files', links('file', files)),
    omitted.length > 0 && section(l10n.t('Left out to fit the budget'), 'receipt-omitted', h('ul', { className: 'receipt-list' }, ...omitted.map((o) => h('li', {}, o)))),
    h('p', { className: 'receipt-requests' }, text(receipt.requests)),
    ids.length > 0 && h('p', { className: 'receipt-ids' }, l10n.t('Request ids: '), ...ids.flatMap((id, i) => [i > 0 ? ', ' : '', h('code', {}, id)])),
    h('p', { className: 'receipt-bill' }, text(receipt.bill)),
  );
  const button = h(
    'button',
    { className: 'disclosure-button receipt-button', attrs: { type: 'button' } },
    icon('chevronRight', 'disclosure-chevron'),
    icon('receipt', 'receipt-icon'),
    h('span', { className: 'receipt-summary' }, h('span', { className: 'receipt-title' }, l10n.t('Receipt')), ' · ', text(receipt.summary)),
  );
  wireDisclosure(button, panel);
  const element = h('div', { className: `receipt${Number(receipt.partialRequests) > 0 ? ' has-partial' : ''}` }, button, panel);
  return element;
}
