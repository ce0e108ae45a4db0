import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCost } from '../../../src/shared/format';

void test('formatCost: four decimals under a cent, two above, "price unknown" without a price', () => {
  assert.equal(formatCost(0.043185), '$0.04');
  assert.equal(formatCost(0.0042), '$0.0042');
  assert.equal(formatCost(1.25), '$1.25');
  assert.equal(formatCost(0), '$0.00');
  assert.equal(formatCost(undefined), 'price unknown');
});
