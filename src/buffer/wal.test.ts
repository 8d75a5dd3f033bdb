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

test('with a cipher, segments hold no record data in clear; reopening decrypts, a torn tail is still cut, no key = E_KEY', async () => {
  const { createRecordCipher } = await import('../core/record-cipher.js');
  const { readFileSync } = await import('node:fs');
  const dir = tmp();
  try {
    const cipher = createRecordCipher(Buffer.alloc(32, 3), 'buffer');
    const w = openWal<{ sql: string }>(dir, { cipher });
    w.append([{ sql: "select 'WalMarkerA1'" }, { sql: "select 'WalMarkerA2'" }]);
    w.sync();
    w.close();
    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    assert.ok(!readFileSync(seg).includes('WalMarker'), 'plaintext in the segment');
    // kill -9 mid-append: half a record at the end
    const fd = openSync(seg, 'a');
    writeSync(fd, Buffer.from('0000004f 12345678 {"s":3,"x":"AQ'));
    closeSync(fd);
    const r = openWal<{ sql: string }>(dir, { cipher });
    assert.deepEqual(r.pending().map((e) => e.data.sql), ["select 'WalMarkerA1'", "select 'WalMarkerA2'"]);
    assert.match(r.recovered ?? '', /torn/);
    r.close();
    assert.throws(() => openWal(dir), (e: Error & { code?: string }) => e.code === 'E_KEY');
    assert.throws(() => openWal(dir, { cipher: createRecordCipher(Buffer.alloc(32, 4), 'buffer') }), (e: Error & { code?: string }) => e.code === 'E_INTEGRITY');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
