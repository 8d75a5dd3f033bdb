import assert from 'node:assert/strict';
import { readFile, readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { hasErrorCode } from '../../core/errors.js';
import type { AuditEvent } from '../../core/event.js';
import { MANIFEST_NAME } from './manifest.js';
import { openLake } from './open-lake.js';
import { syntheticEvents } from '../../../test/helpers/lake-test-events.js';
import type { SourceObjectRef } from '../../core/lake.js';

const ref = (key: string, etag = 'e1'): SourceObjectRef => ({ store: 'file:///logs', key, etag, size: 1 });

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-lake-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function addAll(batch: { add(e: AuditEvent): void | Promise<void> }, events: Iterable<AuditEvent>): Promise<void> {
  for (const e of events) await batch.add(e);
}

const count = async (lake: { query(sql: string): Promise<{ rows: unknown[][] }> }, sql = 'select count(*) from events') => Number((await lake.query(sql)).rows[0][0]);

test('an empty lake has every view, with 0 rows', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    for (const v of ['events', 'connections', 'user_changes', 'activity', 'api_calls']) assert.equal(await count(lake, `select count(*) from ${v}`), 0, v);
    const cols = (await lake.query('select * from events')).columns;
    assert.deepEqual(cols.slice(0, 4), ['event_id', 'time', 'log_type', 'source_format']);
    assert.ok(cols.includes('user') && cols.includes('date'));
  } finally {
    await lake.close();
  }
}));

test('events become visible only at commit; abort leaves nothing; sources are recorded', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const b = lake.beginBatch();
    await addAll(b, syntheticEvents(500, { seed: 1 }));
    assert.equal(await count(lake), 0, 'nothing visible before commit');
    const stats = await b.commit([ref('a.gz')]);
    assert.equal(stats.events, 500);
    assert.ok(stats.files >= 1 && stats.bytes > 0);
    assert.equal(await count(lake), 500);
    assert.ok(lake.isIngested(ref('a.gz')));
    assert.ok(!lake.isIngested(ref('a.gz', 'e2')), 'a new etag is a new version');

    const aborted = lake.beginBatch();
    await addAll(aborted, syntheticEvents(300, { seed: 2 }));
    await aborted.abort();
    assert.equal(await count(lake), 500);
    assert.ok(!lake.isIngested(ref('b.gz')));
    const tmpLeft = await readdir(join(dir, 'lake', '_tmp')).then((l) => l.filter((n) => n.startsWith('batch-')));
    assert.deepEqual(tmpLeft, [], 'abort removes its temp files');
    await assert.rejects(async () => aborted.commit([ref('b.gz')]), (e) => hasErrorCode(e, 'E_USAGE'));
  } finally {
    await lake.close();
  }
}));

test('re-committing an ingested source is refused and adds nothing', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const b1 = lake.beginBatch();
    await addAll(b1, syntheticEvents(200, { seed: 3 }));
    await b1.commit([ref('a.gz')]);
    const b2 = lake.beginBatch();
    await addAll(b2, syntheticEvents(200, { seed: 3 }));
    await assert.rejects(b2.commit([ref('a.gz')]), (e) => hasErrorCode(e, 'E_EXISTS') && /a\.gz/.test((e as Error).message));
    assert.equal(await count(lake), 200);
    assert.equal(lake.manifest().files.reduce((n, f) => n + f.rows, 0), 200);
    // Another process (a second Lake on the same root) sees the same sources.
    const other = await openLake({ root: join(dir, 'lake') });
    try {
      assert.ok(other.isIngested(ref('a.gz')));
    } finally {
      await other.close();
    }
  } finally {
    await lake.close();
  }
}));

test('every field round-trips exactly, including delimiters, quotes, newlines and \\N', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  const tricky = ['', '\\N', 'a\x1fb', 'q\x02q', 'two\nlines\r\nthree', '"quoted", with comma\ttab', "it's", 'ünïcødé ✓ 🚀', '  padded  '];
  const base = [...syntheticEvents(tricky.length, { seed: 4 })];
  const events: AuditEvent[] = base.map((e, i) => ({
    ...e, logType: 'activity', user: tricky[i], statement: tricky[(i + 1) % tricky.length], raw: tricky[(i + 2) % tricky.length],
    database: i % 2 ? null : tricky[i], success: [true, false, null][i % 3], details: { s: tricky[i], n: 9007199254740993n.toString(), nested: { a: [1, 2] } },
    errorCode: i === 0 ? '28000' : null, remotePort: i === 1 ? '5439' : null, sourceLine: 1_000_000 + i,
  }));
  try {
    const b = lake.beginBatch();
    await addAll(b, events);
    await b.commit([ref('tricky.gz')]);
    const r = await lake.query('select event_id, time, "user", statement, raw, database, success, details, error_code, remote_port, source_line, source_object, account, region, service, cluster from events order by source_line');
    assert.equal(r.rows.length, events.length);
    r.rows.forEach((row, i) => {
      const e = events[i];
      assert.deepEqual(row, [e.eventId, new Date(e.time).toISOString(), e.user, e.statement, e.raw, e.database, e.success, JSON.stringify(e.details), e.errorCode, e.remotePort, e.sourceLine, e.sourceObject, e.account, e.region, e.service, e.cluster], `row ${i}`);
    });
  } finally {
    await lake.close();
  }
}));

test('layout is Hive-partitioned Parquet (zstd) that an outside reader sees whole', () => withDir(async (dir) => {
  const root = join(dir, 'lake');
  const lake = await openLake({ root });
  let files: string[] = [];
  try {
    const b = lake.beginBatch();
    // 3 days × 2 accounts × 3 log types.
    await addAll(b, syntheticEvents(3000, { seed: 5, accounts: ['111122223333', '444455556666'], logTypes: ['activity', 'connection', 'api'], stepMs: 170_000 }));
    await b.commit([ref('a.gz')]);
    files = lake.manifest().files.map((f) => f.path);
    for (const f of lake.manifest().files) assert.match(f.path, /^log_type=(activity|connection|api)\/account=\d{12}\/region=us-east-1\/date=\d{4}-\d{2}-\d{2}\/[^/]+\.parquet$/);
  } finally {
    await lake.close();
  }
  const duck = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const c = await duck.connect();
  try {
    const glob = `'${root}/**/*.parquet'`;
    const r = await c.runAndReadAll(`select count(*), count(distinct (log_type, account, region, date)), count(distinct event_id), min(account) from read_parquet(${glob}, hive_partitioning=true, hive_types_autocast=false)`);
    const [n, parts, ids, acct] = r.getRowsJS()[0];
    assert.equal(Number(n), 3000);
    assert.ok(Number(parts) >= 12, `partitions ${parts}`);
    assert.equal(Number(ids), 3000);
    assert.equal(acct, '111122223333');
    const codecs = await c.runAndReadAll(`select distinct compression from parquet_metadata(${glob})`);
    assert.deepEqual(codecs.getRowsJS().map((x) => x[0]), ['ZSTD']);
    const one = `'${join(root, files[0])}'`;
    const schema = await c.runAndReadAll(`select name, type, converted_type, logical_type is not null from parquet_schema(${one}) where name in ('time', 'success', 'source_line', 'user') order by name`);
    assert.deepEqual(schema.getRowsJS().map((x) => `${x[0]}:${x[1]}`), ['source_line:INT32', 'success:BOOLEAN', 'time:INT64', 'user:BYTE_ARRAY']);
  } finally {
    c.closeSync();
    duck.closeSync();
  }
}));

test('duplicates: api partitions and changed sources are de-duplicated at read, and compaction removes them on disk', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const api = [...syntheticEvents(400, { seed: 6, logTypes: ['api'] })];
    const act = [...syntheticEvents(600, { seed: 7, logTypes: ['activity'] })];
    const b1 = lake.beginBatch();
    await addAll(b1, [...api, ...act]);
    await b1.commit([ref('a.gz')]);
    // CloudTrail: the same 100 events delivered again in another file.
    const b2 = lake.beginBatch();
    await addAll(b2, api.slice(0, 100));
    await b2.commit([ref('b.gz')]);
    // A source object that changed (new etag) is read whole again.
    const b3 = lake.beginBatch();
    await addAll(b3, act);
    await b3.commit([ref('a-act.gz', 'v1')]);
    const b4 = lake.beginBatch();
    await addAll(b4, act);
    await b4.commit([ref('a-act.gz', 'v2')]);
    const onDisk = lake.manifest().files.reduce((n, f) => n + f.rows, 0);
    assert.equal(onDisk, 400 + 600 + 100 + 600 + 600);
    assert.ok(lake.manifest().overlapping.length > 0);
    assert.equal(await count(lake, 'select count(*) from api_calls'), 400);
    // b3 was a new key (clean) on top of b1's identical events: b1+b3 duplicates are only removed by compaction
    // or when the partition is marked; b4 (changed etag) marks it, so the view is exact again.
    assert.equal(await count(lake, 'select count(*) from activity'), 600);
    assert.equal(await count(lake), 1000);
    const before = lake.manifest().files.length;
    const r = await lake.compact();
    assert.equal(r.before, before);
    assert.ok(r.after < before, `${r.after} < ${before}`);
    assert.equal(lake.manifest().files.reduce((n, f) => n + f.rows, 0), 1000, 'duplicates gone from disk');
    assert.deepEqual(lake.manifest().overlapping, []);
    assert.equal(await count(lake), 1000);
    assert.equal(await count(lake, 'select count(distinct event_id) from events'), 1000);
    // Old files are deleted, only manifest-listed files remain.
    const listed = new Set(lake.manifest().files.map((f) => f.path));
    const onFs = (await readdir(join(dir, 'lake'), { recursive: true })).filter((p) => String(p).endsWith('.parquet'));
    assert.deepEqual(new Set(onFs.map(String)), listed);
  } finally {
    await lake.close();
  }
}));

test('maybeCompact merges only partitions with many small files', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    for (let i = 0; i < 5; i++) {
      const b = lake.beginBatch();
      await addAll(b, syntheticEvents(50, { seed: 10 + i, logTypes: ['activity'], source: `s${i}` }));
      await b.commit([ref(`s${i}.gz`)]);
    }
    assert.equal(lake.manifest().files.length, 5);
    assert.deepEqual(await lake.maybeCompact({ minSmallFiles: 8 }), { before: 5, after: 5 });
    assert.deepEqual(await lake.maybeCompact({ minSmallFiles: 4 }), { before: 5, after: 1 });
    assert.equal(await count(lake), 250);
  } finally {
    await lake.close();
  }
}));

test('garbage left by a crashed writer is deleted on open and never read', () => withDir(async (dir) => {
  const root = join(dir, 'lake');
  let lake = await openLake({ root });
  const b = lake.beginBatch();
  await addAll(b, syntheticEvents(100, { seed: 20 }));
  await b.commit([ref('a.gz')]);
  const live = lake.manifest().files[0].path;
  await lake.close();
  // An unpublished file in a partition directory (crash between rename and manifest swap).
  const orphan = live.replace(/[^/]+$/, 'orphan-0.parquet');
  await writeFile(join(root, orphan), await readFile(join(root, live)));
  lake = await openLake({ root });
  try {
    assert.equal(await count(lake), 100);
    await assert.rejects(readFile(join(root, orphan)), /ENOENT/);
  } finally {
    await lake.close();
  }
  assert.ok(JSON.parse(await readFile(join(root, MANIFEST_NAME), 'utf8')).generation >= 1);
}));

test('encrypted lake: files unreadable without the key, wrong key refused, right key reads', () => withDir(async (dir) => {
  const root = join(dir, 'lake');
  const key = Buffer.alloc(32, 0x5a);
  const secret = 'SELECT topsecret_marker_value FROM t';
  let lake = await openLake({ root, parquetKey: key });
  try {
    const b = lake.beginBatch();
    await addAll(b, [...syntheticEvents(300, { seed: 30, logTypes: ['activity'] })].map((e) => ({ ...e, statement: secret })));
    await b.commit([ref('a.gz')]);
    assert.equal(await count(lake, `select count(*) from activity where statement = '${secret}'`), 300);
    await lake.compact();
    assert.equal(await count(lake), 300);
  } finally {
    await lake.close();
  }
  const file = join(root, lake.manifest().files[0].path);
  assert.ok(!(await readFile(file)).includes('topsecret_marker_value'), 'plaintext not in the file');
  const duck = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const c = await duck.connect();
  try {
    await assert.rejects(c.run(`select count(*) from read_parquet('${file}')`), /encrypted/);
  } finally {
    c.closeSync();
    duck.closeSync();
  }
  await assert.rejects(openLake({ root, parquetKey: Buffer.alloc(32, 1) }), (e) => hasErrorCode(e, 'E_KEY'));
  await assert.rejects(openLake({ root }), (e) => hasErrorCode(e, 'E_KEY'));
  lake = await openLake({ root, parquetKey: key });
  try {
    assert.equal(await count(lake), 300);
  } finally {
    await lake.close();
  }
}));

test('partitions can be listed and dropped (retention)', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const b = lake.beginBatch();
    await addAll(b, syntheticEvents(1000, { seed: 40, logTypes: ['activity'], stepMs: 400_000 }));
    await b.commit([ref('a.gz')]);
    const parts = await lake.listPartitions!();
    assert.ok(parts.length >= 2);
    const first = parts[0];
    const inFirst = await count(lake, `select count(*) from events where date = DATE '${first.date}'`);
    const r = await lake.dropPartitions!([first]);
    assert.equal(r.files, first.files);
    assert.equal(await count(lake), 1000 - inFirst);
  } finally {
    await lake.close();
  }
}));

test('spills: a batch over the byte and partition limits writes one file per partition per spill, counts exact', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake'), tuning: { spillBytes: 300_000, spillPartitions: 4 } });
  try {
    const b = lake.beginBatch();
    // 4 partitions (2 accounts × 2 log types, one day): exactly the limit, so only the byte limit spills.
    await addAll(b, syntheticEvents(4000, { seed: 50, accounts: ['111122223333', '444455556666'], logTypes: ['activity', 'connection'], stepMs: 10 }));
    const s1 = await b.commit([ref('a.gz')]);
    const spills = Math.ceil(s1.bytes > 0 ? s1.files / 4 : 0);
    assert.equal(s1.events, 4000);
    assert.equal(s1.files % 4, 0, `${s1.files} files = 4 partitions × ${spills} spills`);
    assert.ok(spills >= 2 && spills <= 12, `spills ${spills}`);
    // 3 days × 4: the partition limit forces a spill per 4 new partitions, not per event.
    const b2 = lake.beginBatch();
    await addAll(b2, syntheticEvents(1200, { seed: 51, accounts: ['111122223333', '444455556666'], logTypes: ['activity', 'connection'], stepMs: 200_000 }));
    const s2 = await b2.commit([ref('b.gz')]);
    assert.equal(s2.events, 1200);
    assert.ok(s2.files <= 40, `files ${s2.files}`);
    assert.equal(await count(lake), 5200);
  } finally {
    await lake.close();
  }
}));

test('a 15 MB statement is stored whole', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const big = 'select ' + "'x',".repeat(3_750_000) + '1';
    const [e] = [...syntheticEvents(1, { seed: 60, logTypes: ['activity'] })];
    const b = lake.beginBatch();
    await b.add({ ...e, statement: big, raw: `prefix ${big}` });
    await b.add({ ...e, eventId: 'next', sourceLine: 2 });
    await b.commit([ref('big.gz')]);
    const r = await lake.query('select length(statement), length(raw) from events order by source_line');
    assert.deepEqual(r.rows.map((x) => x.map(Number)), [[big.length, big.length + 7], [e.statement!.length, e.raw.length]]);
  } finally {
    await lake.close();
  }
}));

test('two writers on one lake: concurrent commits both land (manifest merged under the lock)', () => withDir(async (dir) => {
  const root = join(dir, 'lake');
  const [a, b] = [await openLake({ root }), await openLake({ root })];
  try {
    const run = async (lake: typeof a, i: number) => {
      const batch = lake.beginBatch();
      await addAll(batch, syntheticEvents(300, { seed: 70 + i, source: `w${i}` }));
      return batch.commit([ref(`w${i}.gz`)]);
    };
    await Promise.all([run(a, 0), run(b, 1), run(a, 2), run(b, 3)]);
    const c = await openLake({ root });
    try {
      assert.equal(await count(c), 1200);
      for (let i = 0; i < 4; i++) assert.ok(c.isIngested(ref(`w${i}.gz`)), `w${i}`);
    } finally {
      await c.close();
    }
  } finally {
    await a.close();
    await b.close();
  }
}));

// issue 10 item 5: the same records under another name (second prefix, re-delivery) gave duplicate event_ids in
// every view but api_calls, and compact kept them.
test('the same events under another source, or twice in one batch, appear once in every view', () => withDir(async (dir) => {
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const evs = [...syntheticEvents(400, { seed: 9 })];
    for (const key of ['a/x.gz', 'b/x.gz']) {
      const b = lake.beginBatch();
      await addAll(b, evs);
      await b.commit([ref(key)]);
    }
    const b = lake.beginBatch();
    await addAll(b, [...syntheticEvents(50, { seed: 10 }), ...syntheticEvents(50, { seed: 10 })]);
    await b.commit([ref('c/y.gz')]);
    for (const v of ['events', 'connections', 'user_changes', 'activity']) {
      const [[rows, ids]] = (await lake.query(`select count(*), count(distinct event_id) from ${v}`)).rows;
      assert.equal(Number(rows), Number(ids), `${v}: ${rows} rows, ${ids} ids`);
    }
    assert.equal(await count(lake), 450);
    const r = await lake.compact();
    assert.ok(r.after <= r.before);
    assert.equal(await count(lake), 450);
    const m = JSON.parse(await readFile(join(dir, 'lake', MANIFEST_NAME), 'utf8')) as { files: { rows: number }[]; overlapping: string[] };
    assert.equal(m.files.reduce((n, f) => n + f.rows, 0), 450, 'compact removed the duplicate rows from the files');
    assert.deepEqual(m.overlapping, []);
  } finally {
    await lake.close();
  }
}));

test('compact removes duplicates already in a lake that no manifest flag points at', () => withDir(async (dir) => {
  const root = join(dir, 'lake');
  let lake = await openLake({ root });
  const b = lake.beginBatch();
  await addAll(b, syntheticEvents(300, { seed: 3, logTypes: ['connection'] }));
  await b.commit([ref('a.gz')]);
  await lake.close();
  // what an older version left: a second copy of every file, the partitions not marked overlapping
  const mPath = join(root, MANIFEST_NAME);
  const m = JSON.parse(await readFile(mPath, 'utf8')) as { generation: number; files: { path: string; rows: number; bytes: number }[]; overlapping: string[] };
  for (const f of [...m.files]) {
    const copy = f.path.replace(/\.parquet$/, '-copy.parquet');
    await writeFile(join(root, copy), await readFile(join(root, f.path)));
    m.files.push({ ...f, path: copy });
  }
  m.generation++;
  await writeFile(mPath, JSON.stringify(m));
  lake = await openLake({ root });
  try {
    assert.equal(await count(lake, 'select count(*) from connections'), 600, 'the duplicates are there');
    await lake.compact();
    assert.equal(await count(lake, 'select count(*) from connections'), 300);
    assert.equal(await count(lake, 'select count(distinct event_id) from connections'), 300);
  } finally {
    await lake.close();
  }
}));
