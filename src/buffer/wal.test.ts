import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWal } from './wal.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wal-'));

test('append, ack, reopen: only unacknowledged entries come back, in order', () => {
  const dir = tmp();
  try {
    const w = openWal<{ n: number }>(dir);
    w.append([{ n: 1 }, { n: 2 }, { n: 3 }]);
    w.sync();
    w.ack(2);
    w.close();
    const r = openWal<{ n: number }>(dir);
    assert.deepEqual(r.pending().map((e) => [e.seq, e.data.n]), [[3, 3]]);
    assert.equal(r.lastSeq(), 3);
    r.append([{ n: 4 }]);
    assert.deepEqual(r.pending().map((e) => e.seq), [3, 4]);
    assert.equal(r.recovered, null);
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn tail (crash mid-append) is cut at the last good record; a flipped byte is caught by the CRC', () => {
  const dir = tmp();
  try {
    const w = openWal<string>(dir);
    w.append(['a', 'b', 'c']);
    w.close();
    const seg = join(dir, readdirSync(dir).find((n) => n.endsWith('.wal'))!);
    const size = statSync(seg).size;
    truncateSync(seg, size - 3); // torn last record
    let r = openWal<string>(dir);
    assert.deepEqual(r.pending().map((e) => e.data), ['a', 'b']);
    assert.match(r.recovered ?? '', /torn record/);
    r.append(['c2']);
    r.close();
    // corrupt the payload of the last record without changing its length
    const h = openSync(seg, 'r+');
    writeSync(h, Buffer.from('x'), 0, 1, statSync(seg).size - 3);
    closeSync(h);
    r = openWal<string>(dir);
    assert.deepEqual(r.pending().map((e) => e.data), ['a', 'b']);
    assert.match(r.recovered ?? '', /checksum mismatch/);
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('acknowledged segments are deleted; intent survives a reopen until acknowledged', () => {
  const dir = tmp();
  try {
    const w = openWal<string>(dir, { segmentBytes: 100 });
    for (let i = 0; i < 10; i++) w.append([`record-${i}-${'x'.repeat(40)}`]);
    const before = readdirSync(dir).filter((n) => n.endsWith('.wal')).length;
    assert.ok(before >= 5);
    w.setIntent({ from: 1, to: 8 });
    w.close();
    const r = openWal<string>(dir, { segmentBytes: 100 });
    assert.deepEqual(r.intent(), { from: 1, to: 8 });
    r.ack(8);
    assert.equal(r.intent(), undefined);
    assert.ok(readdirSync(dir).filter((n) => n.endsWith('.wal')).length < before);
    assert.deepEqual(r.pending().map((e) => e.seq), [9, 10]);
    r.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
