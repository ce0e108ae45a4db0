/**
 * The webview renders untrusted model output, so everything it posts is hostile until
 * `parseWebviewMessage` says otherwise: wrong shapes, wrong types, made-up ids and actions,
 * oversized payloads and prototype tricks are all refused, and what is accepted carries no
 * field the host did not ask for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGE_LIMITS, parseWebviewMessage } from '../../../src/shared/protocol';

test('non-objects and shapeless values are refused', () => {
  const values: unknown[] = [undefined, null, 0, 1, '', 'ready', true, [], [{ type: 'ready' }], () => 1, Symbol('x'), 10n];
  values.forEach((value, index) => assert.equal(parseWebviewMessage(value), undefined, `value #${index}`));
});

test('unknown, misspelt and non-string types are refused', () => {
  for (const type of ['Ready', 'READY', ' ready', 'ready ', 'runCommand', 'eval', 'executeCommand', '__proto__', 'constructor', 1, null, ['ready'], { toString: () => 'ready' }]) {
    assert.equal(parseWebviewMessage({ type }), undefined, JSON.stringify(type) ?? String(type));
  }
});

test('stop and action need a host-minted turn id', () => {
  for (const turnId of [undefined, '', 't0', 'T1', 't1 ', 't-1', 't1234567', 'x', '../t1', 't1\n', 1, ['t1'], { toString: () => 't1' }]) {
    assert.equal(parseWebviewMessage({ type: 'stop', turnId }), undefined, String(turnId));
    assert.equal(parseWebviewMessage({ type: 'action', turnId, action: 'retry' }), undefined, String(turnId));
  }
  assert.deepEqual(parseWebviewMessage({ type: 'stop', turnId: 't12' }), { type: 'stop', turnId: 't12' });
});

test('only the known turn actions pass; a command id never does', () => {
  for (const action of ['runCommand', 'workbench.action.terminal.new', 'command:workbench.action.openSettings', 'Retry', '', 'retry ', 'toString', '__proto__', 1, null]) {
    assert.equal(parseWebviewMessage({ type: 'action', turnId: 't1', action }), undefined, String(action));
  }
  for (const action of ['retry', 'setApiKey', 'openLog', 'openSettings']) {
    assert.deepEqual(parseWebviewMessage({ type: 'action', turnId: 't1', action }), { type: 'action', turnId: 't1', action });
  }
});

test('openLink: the href must be a bounded string (the host then opens http(s) only)', () => {
  const hrefs: unknown[] = [undefined, null, 1, ['https://x'], { href: 'https://x' }, 'h'.repeat(MESSAGE_LIMITS.href)];
  hrefs.forEach((href, index) => assert.equal(parseWebviewMessage({ type: 'openLink', href }), undefined, `href #${index}`));
  assert.deepEqual(parseWebviewMessage({ type: 'openLink', href: 'https://example.com' }), { type: 'openLink', href: 'https://example.com' });
});

test('accepted messages are rebuilt: extra fields (and prototype tricks) do not come along', () => {
  const hostile = JSON.parse('{"type":"stop","turnId":"t1","__proto__":{"polluted":true},"command":"workbench.action.quit","extra":1}');
  const parsed = parseWebviewMessage(hostile);
  assert.deepEqual(parsed, { type: 'stop', turnId: 't1' });
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'ready', payload: '<script>' }), { type: 'ready' });
});

test('a getter that throws or lies is never trusted twice', () => {
  let reads = 0;
  const sneaky = {
    type: 'stop',
    get turnId() {
      reads++;
      return reads === 1 ? 't1' : 'not-an-id';
    },
  };
  const parsed = parseWebviewMessage(sneaky);
  assert.ok(parsed === undefined || (parsed.type === 'stop' && parsed.turnId === 't1'), JSON.stringify(parsed));
});
