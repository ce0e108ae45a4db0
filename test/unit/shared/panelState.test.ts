import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePanelViewState } from '../../../src/shared/panelState';

void test('a saved panel state keeps only well-typed fields', () => {
  assert.deepEqual(parsePanelViewState({ conversationId: 'c1', scrollTop: 40, atBottom: true }), { conversationId: 'c1', scrollTop: 40, atBottom: true });
  assert.deepEqual(parsePanelViewState({ conversationId: 7, scrollTop: 'x', atBottom: 'yes', extra: 1 }), {
    conversationId: undefined,
    scrollTop: undefined,
    atBottom: undefined,
  });
  assert.deepEqual(parsePanelViewState({ scrollTop: Number.NaN }).scrollTop, undefined);
  for (const damaged of [undefined, null, 'c1', 3, []]) {
    assert.equal(parsePanelViewState(damaged).conversationId, undefined);
  }
});
