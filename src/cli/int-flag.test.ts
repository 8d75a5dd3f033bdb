import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intFlag } from './int-flag.js';

test('intFlag accepts plain decimal integers at or above the minimum', () => {
  assert.equal(intFlag('demo', '--days', '30'), 30);
  assert.equal(intFlag('demo', '--days', '0'), 0);
  assert.equal(intFlag('generate', '--seed', '-7', -Infinity), -7);
  assert.equal(intFlag('query', '--max-width', '4', 4), 4);
});

test('intFlag refuses anything else with E_USAGE naming the command and the flag', () => {
  assert.throws(() => intFlag('demo', '--days', 'x'), { code: 'E_USAGE', message: 'demo: --days "x" is not a whole number' });
  assert.throws(() => intFlag('demo', '--days', '-1'), { code: 'E_USAGE', message: 'demo: --days "-1" is not a whole number' });
  assert.throws(() => intFlag('verify', '--concurrency', '0', 1), { code: 'E_USAGE', message: 'verify: --concurrency "0" is not a positive integer' });
  assert.throws(() => intFlag('query', '--max-width', '3', 4), { code: 'E_USAGE', message: 'query: --max-width "3" is not an integer ≥ 4' });
  assert.throws(() => intFlag('generate', '--seed', '1.5', -Infinity), { code: 'E_USAGE', message: 'generate: --seed "1.5" is not an integer' });
  for (const v of ['1e3', '0x10', ' 3', '', '99999999999999999999']) assert.throws(() => intFlag('x', '--n', v), { code: 'E_USAGE' });
});
