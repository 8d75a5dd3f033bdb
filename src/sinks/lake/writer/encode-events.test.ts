import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSpillWriter } from './csv-spill.js';
import { createEventEncoder } from './encode-events.js';
import { syntheticEvents } from '../../../../test/helpers/lake-test-events.js';

test('encoded chunks make the same spill files, rows, partitions and longest line as add() per event', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-encode-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // One source (so sid 0 both ways), several days, log types and accounts; some multi-line statements.
  const events = [...syntheticEvents(3000, { stepMs: 200_000, accounts: ['111122223333', '444455556666'] })].map((e, i) =>
    i % 97 === 0 ? { ...e, statement: `select 1\nfrom t -- ${i}`, raw: `x\x02y ${i}` } : e);
  const direct = createSpillWriter(join(dir, 'direct.csv'));
  for (const e of events) direct.add(e);
  const viaChunks = createSpillWriter(join(dir, 'chunks.csv'));
  // A tiny initial buffer also exercises the encoder's growth.
  const enc = createEventEncoder(0, 64);
  for (const [i, e] of events.entries()) {
    enc.add(e);
    if (i % 700 === 699) viaChunks.addEncoded(enc.take());
  }
  viaChunks.addEncoded(enc.take());
  assert.equal(enc.rows, 0);
  assert.equal(viaChunks.rows, events.length);
  assert.equal(viaChunks.bytes, direct.bytes);
  assert.equal(viaChunks.longestLine, direct.longestLine);
  assert.ok(direct.partitions > 4, `spread over partitions: ${direct.partitions}`);
  assert.equal(viaChunks.partitions, direct.partitions);
  direct.close();
  viaChunks.close();
  assert.ok((await readFile(direct.path)).equals(await readFile(viaChunks.path)), 'same CSV bytes');
  assert.equal(await readFile(viaChunks.sourcesPath, 'utf8'), await readFile(direct.sourcesPath, 'utf8'));
});

test('an encoder numbers sources from its base and repeats a source record in every chunk that uses it', () => {
  const [a, b] = [...syntheticEvents(2)];
  const enc = createEventEncoder(5 << 20);
  enc.add(a);
  enc.add({ ...b, sourceObject: 'other.gz' });
  const first = enc.take();
  assert.deepEqual(first.sources.map(([sid]) => sid), [5 << 20, (5 << 20) + 1]);
  enc.add(b);
  const second = enc.take();
  assert.deepEqual(second.sources.map(([sid]) => sid), [5 << 20]);
  assert.equal(second.rows, 1);
  assert.equal(new TextDecoder().decode(second.csv).split('\x1f')[2], String(5 << 20));
});
