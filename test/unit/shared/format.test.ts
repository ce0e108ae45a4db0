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

void test('formatCost: a cost too small for four decimals is not shown as free', () => {
  assert.equal(formatCost(0.00004), '<$0.0001');
  assert.equal(formatCost(0.000001), '<$0.0001');
  // From half a ten-thousandth up, four decimals round to a non-zero figure.
  assert.equal(formatCost(0.00005), '$0.0001');
  assert.equal(formatCost(0.00012), '$0.0001');
});
