import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { hasErrorCode } from '../core/errors.js';
import { resolveHome } from '../core/home.js';
import { openLake } from '../sinks/lake/index.js';
import type { SourceObjectRef } from '../core/lake.js';
import { createMemoryStore } from '../stores/drivers/memory.js';
import type { ObjectStore } from '../core/object-store.js';
import { ingest } from './ingest.js';
import type { EvidenceSink } from '../core/evidence-sink.js';
import { FIXTURE_COUNTS, FIXTURE_DIR, FIXTURE_KEY_DIR } from '../../test/helpers/redshift-fixtures.js';

async function fixtureStore(): Promise<ObjectStore> {
  const store = createMemoryStore();
  for (const name of Object.keys(FIXTURE_COUNTS)) await store.put(`${FIXTURE_KEY_DIR}/${name}`, await readFile(join(FIXTURE_DIR, name)));
  await store.put('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2020/06/10/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20200610T160000Z.json.gz', Buffer.from('{}'));
  await store.put('random/file.csv', Buffer.from('a,b\n'));
  return store;
}

test('evidence: every object is kept byte for byte before its batch commits', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ingest-unit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const home = resolveHome(dir);
  const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  t.after(() => lake.close());
  const kept = new Map<string, string>();
  const evidence: EvidenceSink = {
    async keep(ref, _info, original) {
      const h = createHash('sha256');
      for await (const c of original) h.update(c as Buffer);
      // A commit that had already happened would make this ref ingested: keep() must come first.
      assert.equal(lake.isIngested(ref), false, `${ref.key} committed before its evidence was kept`);
      kept.set(ref.key, h.digest('hex'));
    },
  };
  const store = await fixtureStore();
  const s = await ingest({ store, lake, home, evidence, batch: { maxObjects: 2 } });
  assert.equal(s.objects.ingested, 6);
  assert.equal(s.objects.ignored, 1, 'the CloudTrail digest is recognised and ignored');
  assert.equal(s.objects.unknown, 1);
  assert.equal(s.unknownKeys[0].key, 'random/file.csv');
  assert.equal(kept.size, 6);
  for (const name of Object.keys(FIXTURE_COUNTS)) {
    const want = createHash('sha256').update(await readFile(join(FIXTURE_DIR, name))).digest('hex');
    assert.equal(kept.get(`${FIXTURE_KEY_DIR}/${name}`), want, name);
  }
});

test('a store that fails mid-object: nothing of it is committed, the others are, a re-run completes it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ingest-unit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const home = resolveHome(dir);
  const base = await fixtureStore();
  let failKey: string | undefined = `${FIXTURE_KEY_DIR}/${Object.keys(FIXTURE_COUNTS)[4]}`;
  const flaky: ObjectStore = {
    ...base,
    list: (p) => base.list(p),
    async get(key) {
      const s = await base.get(key);
      if (key !== failKey) return s;
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      const all = Buffer.concat(chunks);
      return Readable.from((async function* () {
        yield all.subarray(0, 2000);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      })());
    },
  };
  for (const workers of [0, 2]) {
    const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
    try {
      const run = await ingest({ store: flaky, lake, home, workers, batch: { maxObjects: 4 } });
      assert.equal(run.objects.failed, 1);
      assert.match(run.failedKeys[0].reason, /socket hang up/);
      const ingested = (await Promise.all([...Object.keys(FIXTURE_COUNTS)].map(async (n) => {
        const info = await base.head(`${FIXTURE_KEY_DIR}/${n}`);
        const ref: SourceObjectRef = { store: base.url, key: `${FIXTURE_KEY_DIR}/${n}`, etag: info?.etag ?? '', size: info?.size ?? 0 };
        return lake.isIngested(ref);
      }))).filter(Boolean).length;
      assert.equal(ingested, 5, 'every object but the failing one is committed');
    } finally {
      await lake.close();
    }
  }
  failKey = undefined;
  const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  t.after(() => lake.close());
  const s = await ingest({ store: flaky, lake, home });
  assert.equal(s.objects.ingested, 1);
  assert.equal(s.objects.skipped, 5);
  const r = await lake.query('select count(*), count(distinct event_id) from events');
  assert.equal(Number(r.rows[0][0]), 4396);
  assert.equal(Number(r.rows[0][1]), 4396);
});

test('a changed object (same key, new etag) is read again; its events are not doubled', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ingest-unit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const home = resolveHome(dir);
  const { gunzipSync, gzipSync } = await import('node:zlib');
  const name = Object.keys(FIXTURE_COUNTS)[0]; // connection log, 51 records
  const key = `${FIXTURE_KEY_DIR}/${name}`;
  const text = gunzipSync(await readFile(join(FIXTURE_DIR, name))).toString('utf8').split('\n');
  const store = createMemoryStore();
  await store.put(key, gzipSync(text.slice(0, 30).join('\n') + '\n'));
  let lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  const first = await ingest({ store, lake, home });
  await lake.close();
  assert.equal(first.objects.ingested, 1);
  const partial = first.events;
  assert.ok(partial > 10 && partial < 51, `partial file: ${partial} events`);

  // Redshift re-delivers the full object under the same key.
  await store.delete(key);
  await store.put(key, await readFile(join(FIXTURE_DIR, name)));
  lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  t.after(() => lake.close());
  const second = await ingest({ store, lake, home });
  assert.equal(second.objects.ingested, 1);
  assert.equal(second.events, 51);
  const r = await lake.query('select count(*), count(distinct event_id) from events');
  assert.equal(Number(r.rows[0][0]), 51);
  assert.equal(Number(r.rows[0][1]), 51);
});
