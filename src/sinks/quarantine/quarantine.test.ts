import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createQuarantine, QUARANTINE_ENTRIES_PER_OBJECT, QUARANTINE_RAW_LIMIT } from './quarantine.js';
import { quarantineFileName } from './file-name.js';
import type { QuarantineEntry } from './types.js';

const ref = { store: 'file:///logs', key: 'AWSLogs/1/redshift/x.gz', etag: '10-20', size: 10 };

async function all(q: ReturnType<typeof createQuarantine>): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for await (const e of q.list()) out.push(e);
  return out;
}

test('entries become visible at finish(), in order, with file, line and reason', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const q = createQuarantine(dir);
  const w = q.open(ref);
  w.add(7, 'connection log: field 2 (recordtime) "Wed, 3 Jux 2020" is not a date', 'authenticated |Wed, 3 Jux 2020|…');
  w.add(9, 'too few fields', 'x');
  assert.deepEqual(await all(q), [], 'nothing visible before finish');
  assert.equal(await w.finish(), 2);
  const got = await all(q);
  assert.deepEqual(got.map((e) => [e.key, e.line, e.reason.slice(0, 14)]), [
    [ref.key, 7, 'connection log'],
    [ref.key, 9, 'too few fields'],
  ]);
  assert.deepEqual(await readdir(dir), [quarantineFileName(ref)]);
});

test('a redo after a crash replaces the object file instead of duplicating it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const q = createQuarantine(dir);
  for (let run = 0; run < 3; run++) {
    const w = q.open(ref);
    w.add(3, 'bad', 'raw');
    await w.finish();
  }
  // An interrupted run leaves only a temp file, which list() ignores.
  const w = q.open(ref);
  w.add(3, 'bad', 'raw');
  assert.equal((await all(q)).length, 1);
  await w.abort();
  assert.deepEqual(await readdir(dir), [quarantineFileName(ref)]);
});

test('no malformed records: no file; huge records are cut', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const q = createQuarantine(dir);
  assert.equal(await q.open(ref).finish(), 0);
  assert.deepEqual(await all(q), []);
  const w = q.open({ ...ref, etag: 'other' });
  w.add(1, 'long', 'y'.repeat(QUARANTINE_RAW_LIMIT + 50));
  await w.finish();
  const [e] = await all(q);
  assert.ok(e.raw.length < QUARANTINE_RAW_LIMIT + 40);
  assert.match(e.raw, /truncated 50 chars/);
});

test('secrets never reach the quarantine, even if a decoder let one through', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const q = createQuarantine(dir);
  const w = q.open(ref);
  w.add(4, "bad record near PASSWORD 'Hunter2Hunter2'", "alter user bob password 'Hunter2Hunter2' valid until 'x");
  await w.finish();
  const [e] = await all(q);
  assert.doesNotMatch(JSON.stringify(e), /Hunter2/);
  assert.match(e.raw, /alter user bob password/);
});

test('an object that is garbage throughout is capped: the first entries, then one line with the rest counted', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const q = createQuarantine(dir);
  const w = q.open(ref);
  const n = QUARANTINE_ENTRIES_PER_OBJECT + 2500;
  for (let i = 1; i <= n; i++) w.add(i, 'not a record', `garbage ${i}`);
  assert.equal(await w.finish(), n);
  const got = await all(q);
  assert.equal(got.length, QUARANTINE_ENTRIES_PER_OBJECT + 1);
  assert.equal(got[QUARANTINE_ENTRIES_PER_OBJECT - 1].raw, `garbage ${QUARANTINE_ENTRIES_PER_OBJECT}`);
  assert.match(got[QUARANTINE_ENTRIES_PER_OBJECT].reason, /^2500 more malformed records up to line 12500 not listed/);
});

test('with a cipher, quarantine files hold no raw record in clear; list() decrypts; without the key, E_KEY', async (t) => {
  const { createRecordCipher } = await import('../../core/record-cipher.js');
  const { readFile } = await import('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-q-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cipher = createRecordCipher(Buffer.alloc(32, 9), 'quarantine');
  const w = createQuarantine(dir, cipher).open(ref);
  w.add(3, 'too few fields', "select * from t where note = 'QuarMarkerZ9'");
  assert.equal(await w.finish(), 1);
  for (const n of await readdir(dir)) assert.ok(!(await readFile(join(dir, n))).includes('QuarMarkerZ9'), `${n} holds the raw line in clear`);
  assert.deepEqual((await all(createQuarantine(dir, cipher))).map((e) => [e.line, e.raw]), [[3, "select * from t where note = 'QuarMarkerZ9'"]]);
  await assert.rejects(all(createQuarantine(dir)), (e: Error & { code?: string }) => e.code === 'E_KEY');
});
