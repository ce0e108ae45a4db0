import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_LIMITS, parseWebviewMessage } from '../../../src/shared/protocol';

void test('well-formed messages pass and come back with only their known fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'newConversation' }), { type: 'newConversation' });
  assert.deepEqual(parseWebviewMessage({ type: 'stop', turnId: 't3' }), { type: 'stop', turnId: 't3' });
  assert.deepEqual(parseWebviewMessage({ type: 'action', turnId: 't1', action: 'retry' }), { type: 'action', turnId: 't1', action: 'retry' });
  assert.deepEqual(parseWebviewMessage({ type: 'ask', question: 'And with Redis?', evil: true }), { type: 'ask', question: 'And with Redis?' });
  assert.deepEqual(parseWebviewMessage({ type: 'codeAction', turnId: 't2', action: 'apply', code: 'const x = 1;\n', language: 'ts' }), {
    type: 'codeAction',
    turnId: 't2',
    action: 'apply',
    code: 'const x = 1;\n',
    language: 'ts',
  });
});

void test('anything else is refused', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'unknown' },
    { type: 'stop' },
    { type: 'stop', turnId: 3 },
    { type: 'stop', turnId: 'x1' },
    { type: 'stop', turnId: 't0' },
    { type: 'stop', turnId: `t${'1'.repeat(20)}` },
    { type: 'action', turnId: 't1', action: 'deleteEverything' },
    { type: 'ask', question: '' },
    { type: 'ask', question: '   \n' },
    { type: 'ask', question: 42 },
    { type: 'ask', question: 'x'.repeat(MESSAGE_LIMITS.question + 1) },
    { type: 'codeAction', turnId: 't1', action: 'run', code: 'rm -rf /', language: 'sh' },
    { type: 'codeAction', turnId: 't1', action: 'insert', code: '', language: 'ts' },
    { type: 'codeAction', turnId: 't1', action: 'insert', code: 'x', language: 'ts"><script>' },
    { type: 'codeAction', turnId: 't1', action: 'insert', code: 'x', language: 'a'.repeat(33) },
    { type: 'codeAction', turnId: 't1', action: 'insert', code: 'x'.repeat(MESSAGE_LIMITS.code + 1), language: '' },
    { type: 'codeAction', turnId: 't1', action: 'insert', code: { toString: () => 'x' }, language: '' },
    { type: 'openLink', href: 'https://example.com/' + 'a'.repeat(MESSAGE_LIMITS.href) },
  ];
  for (const value of bad) {
    assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value)?.slice(0, 80));
  }
});
