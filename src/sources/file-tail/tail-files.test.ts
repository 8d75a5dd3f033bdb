import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { repoRoot } from '../../../test/helpers/repo-root.js';
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

// issue 10 item 2: the last record of a file was never delivered (stderr framing waits for the byte after it;
// an unterminated last line waits for its newline). Built from the real fixtures.
const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures', name));
const lastLine = (b: Buffer) => b.toString('utf8').trimEnd().split('\n').pop();

test('stderr: the last record of the real PostgreSQL log is delivered on drain, once; a next record confirms it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    const f = join(dir, 'postgresql.log');
    const body = fixture('pgaudit/postgresql.stderr.log');
    writeFileSync(f, body);
    const t = createTailer({ path: f, framing: 'stderr' });
    const a = t.poll();
    const all = [...a, ...t.poll(undefined, true)];
    assert.equal(all.length, a.length + 1, 'drain delivers exactly the one pending record');
    assert.equal(all.at(-1)!.bytes.toString('utf8').trimEnd(), lastLine(body));
    assert.deepEqual(t.poll(undefined, true), [], 'a second drain delivers nothing');
    // the server writes on: the next record proves the flushed one was whole; nothing is delivered twice
    appendFileSync(f, '2026-11-22 23:11:52.000 UTC [15724] LOG:  next\n2026-11-22 23:11:52.001 UTC [15724] LOG:  after\n');
    const t2 = createTailer({ path: f, framing: 'stderr', positions: t.positions() });
    assert.deepEqual(lines(t2.poll()), ['2026-11-22 23:11:52.000 UTC [15724] LOG:  next']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stderr: a quiet current file delivers its last record after one quiet poll; a late TAB continuation re-delivers it whole under the same offset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    const f = join(dir, 'postgresql.log');
    writeFileSync(f, 'r1\nr2\n');
    const t = createTailer({ path: f, framing: 'stderr' });
    assert.deepEqual(lines(t.poll()), ['r1']);
    const r2 = t.poll();
    assert.deepEqual(lines(r2), ['r2'], 'quiet for one poll: delivered');
    assert.deepEqual(t.poll(), []);
    appendFileSync(f, '\tmore\nr3\n');
    const again = t.poll();
    assert.deepEqual(lines(again), ['r2\n\tmore']);
    assert.equal(again[0].start, r2[0].start);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('time-named stderr files (postgresql-%Y-%m-%d_%H.log): every rotated file delivers its last record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    const t = createTailer({ path: join(dir, 'postgresql-*.log'), framing: 'stderr' });
    const got: string[] = [];
    for (const h of ['00', '01', '02']) {
      const f = join(dir, `postgresql-2026-11-23_${h}.log`);
      writeFileSync(f, `${h}-a\n${h}-b\n`);
      utimesSync(f, new Date(), new Date(Date.UTC(2026, 10, 23, Number(h)))); // mtime order = rotation order
      got.push(...lines(t.poll()), ...lines(t.poll()));
    }
    assert.deepEqual(got, ['00-a', '00-b', '01-a', '01-b', '02-a', '02-b']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a final line without a newline (real jsonlog and server_audit files) is delivered on drain; exactly once when the writer completes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  try {
    for (const [name, framing] of [['pgaudit/postgresql.json', 'csv'], ['server-audit/server_audit.log.1', 'line']] as const) {
      const f = join(dir, basename(name));
      const body = fixture(name);
      writeFileSync(f, body.subarray(0, body.length - 1)); // as downloaded: no final newline
      const t = createTailer({ path: f, framing: framing === 'csv' ? 'line' : framing });
      const a = t.poll();
      assert.equal(a.length, body.toString().split('\n').length - 2, `${name}: complete lines only`);
      const b = t.poll(undefined, true);
      assert.deepEqual(lines(b), [lastLine(body)], `${name}: the unterminated last line on drain`);
      appendFileSync(f, '\n'); // the writer completes the line: nothing new to deliver
      assert.deepEqual(t.poll(undefined, true), []);
      assert.deepEqual(t.poll(undefined, true), []);
    }
    const f = join(dir, 'partial', 'server_audit.log');
    mkdirSync(join(dir, 'partial'));
    writeFileSync(f, 'x1\npart');
    const t = createTailer({ path: f, framing: 'line' });
    assert.deepEqual(lines(t.poll(undefined, true)), ['x1', 'part']);
    appendFileSync(f, 'ial\nx3\n'); // a genuinely partial line: the completed record, same offset (same id)
    const r = createTailer({ path: f, framing: 'line', positions: t.positions() }).poll();
    assert.deepEqual(lines(r), ['partial', 'x3']);
    assert.equal(r[0].start, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
