/**
 * The receipt's and the estimate's messages from the webview are hostile until parsed: a receipt
 * link names a host-minted turn, a kind and a bounded index (never a path); an estimate request
 * carries a bounded question and an integer sequence; the budget's two actions are known actions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_LIMITS, parseWebviewMessage, TURN_ACTION_LABELS } from '../../../src/shared/protocol';

void test('openReceiptLink: a turn id, code or file, an index; nothing else comes along', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'openReceiptLink', turnId: 't3', kind: 'file', index: 2, path: '/etc/passwd' }), {
    type: 'openReceiptLink',
    turnId: 't3',
    kind: 'file',
    index: 2,
  });
  assert.deepEqual(parseWebviewMessage({ type: 'openReceiptLink', turnId: 't1', kind: 'code', index: 0 }), { type: 'openReceiptLink', turnId: 't1', kind: 'code', index: 0 });
  const refused: unknown[] = [
    { type: 'openReceiptLink', turnId: 'x1', kind: 'file', index: 0 },
    { type: 'openReceiptLink', turnId: 't1', kind: 'url', index: 0 },
    { type: 'openReceiptLink', turnId: 't1', kind: 'file', index: -1 },
    { type: 'openReceiptLink', turnId: 't1', kind: 'file', index: 1.5 },
    { type: 'openReceiptLink', turnId: 't1', kind: 'file', index: 1000 },
    { type: 'openReceiptLink', turnId: 't1', kind: 'file', index: '0' },
    { type: 'openReceiptLink', turnId: 't1', kind: 'file' },
  ];
  refused.forEach((message, k) => assert.equal(parseWebviewMessage(message), undefined, `#${k}`));
});

void test('estimate: an integer sequence and a bounded question (empty allowed: the box was cleared)', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'estimate', seq: 7, question: 'And paged?', extra: 1 }), { type: 'estimate', seq: 7, question: 'And paged?' });
  assert.deepEqual(parseWebviewMessage({ type: 'estimate', seq: 0, question: '' }), { type: 'estimate', seq: 0, question: '' });
  const refused: unknown[] = [
    { type: 'estimate', seq: 1.5, question: 'x' },
    { type: 'estimate', seq: '1', question: 'x' },
    { type: 'estimate', seq: 1 },
    { type: 'estimate', seq: 1, question: 'x'.repeat(MESSAGE_LIMITS.question + 1) },
  ];
  refused.forEach((message, k) => assert.equal(parseWebviewMessage(message), undefined, `#${k}`));
});

void test('Send Anyway and Raise Budget are turn actions with their labels', () => {
  for (const action of ['sendAnyway', 'raiseBudget'] as const) {
    assert.deepEqual(parseWebviewMessage({ type: 'action', turnId: 't2', action }), { type: 'action', turnId: 't2', action });
  }
  assert.equal(TURN_ACTION_LABELS.sendAnyway, 'Send Anyway');
  assert.equal(TURN_ACTION_LABELS.raiseBudget, 'Raise Budget');
});
