import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from './prng.js';

const draw = (seed: number | string, n = 64): number[] => {
  const r = createRng(seed);
  return Array.from({ length: n }, () => r.next());
};

test('same seed → same sequence; nearby seeds → unrelated sequences', () => {
  assert.deepEqual(draw(42), draw(42));
  const a = draw(42);
  const b = draw(43);
  assert.equal(a.filter((x, i) => x === b[i]).length, 0);
});

test('values are in range and roughly uniform', () => {
  const r = createRng(1);
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    buckets[Math.floor(x * 10)]++;
  }
  for (const b of buckets) assert.ok(b > 9_500 && b < 10_500, `bucket ${b}`);
  for (let i = 0; i < 1000; i++) {
    const v = r.int(3, 5);
    assert.ok(v === 3 || v === 4 || v === 5);
  }
});

test('fork(label) depends on the seed and label, not on how much the parent has drawn', () => {
  const p1 = createRng(42);
  const p2 = createRng(42);
  for (let i = 0; i < 100; i++) p2.next();
  assert.deepEqual(Array.from({ length: 8 }, p1.fork('cluster-a').next), Array.from({ length: 8 }, p2.fork('cluster-a').next));
  assert.notDeepEqual(Array.from({ length: 8 }, p1.fork('cluster-a').next), Array.from({ length: 8 }, p1.fork('cluster-b').next));
});

test('uuid and chars have the expected shapes', () => {
  const r = createRng(5);
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(r.chars(16, 'AB'), /^[AB]{16}$/);
});
