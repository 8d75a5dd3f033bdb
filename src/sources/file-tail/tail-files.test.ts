import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTailer } from './tail-files.js';

const lines = (recs: { bytes: Buffer }[]) => recs.map((r) => r.bytes.toString('utf8').trimEnd());

test('rotation by rename: the rest of the old file is read under its new name, then the new file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    const f = join(dir, 'server_audit.log');
    writeFileSync(f, 'a1\na2\n');
    const t = createTailer({ path: f, framing: 'line' });
    assert.deepEqual(lines(t.poll()), ['a1', 'a2']);
    appendFileSync(f, 'a3\npart');
    assert.deepEqual(lines(t.poll()), ['a3']); // `part` has no newline yet: not a record
    renameSync(f, f + '.1');
    writeFileSync(f, 'b1\n');
    assert.deepEqual(lines(t.poll()), ['b1']); // still unterminated in the renamed file: wait for it
    appendFileSync(f + '.1', 'ial\n'); // the writer finishes the line after the rename
    const r = [...t.poll(), ...t.poll()];
    assert.deepEqual(lines(r), ['partial']);
    assert.equal(r[0].path, f + '.1');
    assert.equal(r[0].line, 4);
    // resuming from saved positions reads nothing twice
    const t2 = createTailer({ path: f, framing: 'line', positions: t.positions() });
    appendFileSync(f, 'b2\n');
    assert.deepEqual(lines(t2.poll()), ['b2']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('truncation in place: read again from 0 under a new generation (new ids); csv framing keeps quoted newlines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    const f = join(dir, 'postgresql.csv');
    writeFileSync(f, 'x,"multi\nline",1\ny,2\n');
    const t = createTailer({ path: f, framing: 'csv' });
    const a = t.poll();
    assert.deepEqual(lines(a), ['x,"multi\nline",1', 'y,2']);
    assert.equal(a[1].line, 3);
    writeFileSync(f, 'z\n'); // truncate + rewrite (copytruncate)
    const b = t.poll();
    assert.deepEqual(lines(b), ['z']);
    assert.equal(b[0].start, 0);
    assert.notEqual(b[0].fileId, a[0].fileId);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a * in the file name follows time-named files (postgresql-YYYY-MM-DD.csv)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    writeFileSync(join(dir, 'postgresql-2026-11-23.csv'), 'old\n');
    writeFileSync(join(dir, 'unrelated.txt'), 'no\n');
    const t = createTailer({ path: join(dir, 'postgresql-*.csv'), framing: 'csv' });
    assert.deepEqual(lines(t.poll()), ['old']);
    writeFileSync(join(dir, 'postgresql-2026-11-24.csv'), 'new\n');
    assert.deepEqual(lines(t.poll()), ['new']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
