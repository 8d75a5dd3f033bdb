import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AuditEvent } from '../../src/core/event.js';
import { exportOcsf, type ExportOcsfOptions } from '../../src/export/ocsf/index.js';
import { createOcsfValidator } from '../../src/formats/ocsf/schema/index.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import type { OcsfEvent } from '../../src/transforms/ocsf/index.js';
import { fixtureEvents, lakeWith } from './ocsf-lake.js';

const validator = createOcsfValidator();
let work: string;
let events: AuditEvent[];
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-ocsf-'));
  events = await fixtureEvents();
  await lakeWith(join(work, 'lake'), events);
});
after(async () => rm(work, { recursive: true, force: true }));

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (!relative(dir, p).startsWith('.')) out.push(p);
  }
  return out;
}

function run(out: string, o: Partial<ExportOcsfOptions> = {}) {
  const seen: OcsfEvent[] = [];
  const p = exportOcsf({
    lakeRoot: join(work, 'lake'), masterKey: null, store: createFsStore({ root: out }), stateDir: `${out}-state`, tmpDir: join(work, 'tmp'),
    format: 'jsonl', productVersion: '0.1.0', onEvent: (e) => seen.push(e), ...o,
  });
  return p.then((summary) => ({ summary, seen }));
}

describe('export ocsf: every event of every source format auditlake reads', () => {
  test('JSON lines: one valid OCSF 1.3.0 event per lake event, all four classes, every source format', async () => {
    const out = join(work, 'jsonl');
    const { summary } = await run(out);
    assert.equal(summary.events, events.length);
    const lines: OcsfEvent[] = [];
    for (const f of (await files(out)).filter((f) => f.endsWith('.jsonl'))) {
      assert.match(relative(out, f), /^ext\/auditlake-[a-z-]+\/region=[^/]+\/accountId=[^/]+\/eventDay=\d{8}\/[0-9a-f]{32}\.jsonl$/);
      const objClasses = new Set<number>();
      let last = -Infinity;
      for (const l of (await readFile(f, 'utf8')).split('\n').filter(Boolean)) {
        const e = JSON.parse(l) as OcsfEvent;
        objClasses.add(e.class_uid as number);
        assert.ok((e.time as number) >= last, `${f}: not sorted by time`);
        last = e.time as number;
        lines.push(e);
      }
      assert.equal(objClasses.size, 1, `${f}: one class per object`);
    }
    assert.equal(lines.length, events.length);
    const invalid = lines.map((e) => [e, validator.validate(e)] as const).filter(([, p]) => p.length);
    assert.deepEqual(invalid.slice(0, 3).map(([e, p]) => ({ uid: (e.metadata as { uid: string }).uid, log: (e.metadata as { log_name: string }).log_name, p })), []);
    // One output per lake event: the uids are the lake's event ids.
    assert.deepEqual(new Set(lines.map((e) => (e.metadata as { uid: string }).uid)), new Set(events.map((e) => e.eventId)));
    const logs = new Set(lines.map((e) => (e.metadata as { log_name: string }).log_name));
    for (const f of ['redshift-connectionlog', 'redshift-useractivitylog', 'cloudtrail', 'postgres-pgaudit', 'mariadb-server-audit']) assert.ok(logs.has(f), `no ${f} event exported`);
    assert.deepEqual(new Set(lines.map((e) => e.class_uid)), new Set([3001, 3002, 6003, 6005]));
  });

  test('Parquet: zstd, one class per object, Security Lake layout, column chunks (so pages) ≤ 1 MB, reads back equal', async () => {
    const out = join(work, 'parquet');
    const { summary, seen } = await run(out, { format: 'parquet' });
    assert.equal(summary.events, events.length);
    assert.ok(summary.maxColumnChunk > 0 && summary.maxColumnChunk <= 1 << 20, `largest column chunk ${summary.maxColumnChunk}`);
    const objects = (await files(out)).filter((f) => f.endsWith('.parquet'));
    assert.equal(objects.length, summary.objects);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    let total = 0;
    for (const f of objects) {
      const meta = (await db.runAndReadAll(`select distinct compression from parquet_metadata('${f}')`)).getRowObjectsJS();
      assert.deepEqual(meta.map((m) => m.compression), ['ZSTD']);
      const r = (await db.runAndReadAll(`select count(*)::INT n, count(distinct class_uid)::INT c, bool_and(type_uid = class_uid * 100 + activity_id) t,
        count(*) filter (where time < prev) = 0 AS is_sorted
        from (select *, lag(time) over (order by file_row_number) prev from read_parquet('${f}', file_row_number = true))`)).getRowObjectsJS()[0]!;
      assert.deepEqual([r.c, r.t, r.is_sorted], [1, true, true], f);
      total += Number(r.n);
    }
    assert.equal(total, events.length);
    // A Parquet row read back as JSON is the event the mapping produced (unmapped as a map of text).
    const one = seen.find((e) => (e.metadata as { log_name: string }).log_name === 'redshift-connectionlog')!;
    const uid = (one.metadata as { uid: string }).uid;
    const back = (await db.runAndReadAll(`select to_json(t)::VARCHAR j from read_parquet('${out}/ext/${'auditlake-authentication'}/**/*.parquet', union_by_name = true) t where metadata.uid = '${uid}'`)).getRowObjectsJS();
    if (back.length) {
      const j = JSON.parse(String(back[0]!.j)) as Record<string, unknown>;
      assert.equal((j.user as { name: string }).name, (one.user as { name: string }).name);
      assert.equal(j.time, one.time);
    }
    db.closeSync();
  });

  test('incremental and idempotent: a re-run exports nothing; new lake events, and only they, go out next time', async () => {
    const out = join(work, 'incr');
    const first = await run(out);
    assert.equal(first.summary.events, events.length);
    const objects = (await files(out)).length;
    const again = await run(out);
    assert.equal(again.summary.events, 0);
    assert.equal(again.summary.partitionsExported, 0);
    assert.equal((await files(out)).length, objects);
    // Two new connection events in an existing partition, and the partition's old events again (a re-ingest).
    const base = events.find((e) => e.sourceFormat === 'redshift-connectionlog')!;
    const fresh = [1, 2].map((i) => ({ ...base, eventId: `${base.eventId.slice(0, 30)}f${i}`, sourceLine: 100000 + i }));
    await lakeWith(join(work, 'lake'), [...fresh, ...events.filter((e) => e.sourceFormat === 'redshift-connectionlog')]);
    const third = await run(out);
    assert.equal(third.summary.events, 2);
    assert.deepEqual(third.seen.map((e) => (e.metadata as { uid: string }).uid).sort(), fresh.map((e) => e.eventId).sort());
    // --since: a new destination gets only what is at or after the time.
    const t = Date.UTC(2021, 0, 1);
    const since = await run(join(work, 'since'), { sinceMs: t });
    assert.equal(since.summary.events, events.filter((e) => e.time >= t).length + 0);
    assert.ok(since.seen.every((e) => (e.time as number) >= t));
    await stat(join(work, 'incr-state', 'state.json'));
  });
});
