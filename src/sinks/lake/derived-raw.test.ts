import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AuditEvent } from '../../core/event.js';
import { createDecoder } from '../../formats/decoder.js';
import { isUnknownKey, parseObjectKey } from '../../formats/object-key/parse-object-key.js';
import { FIXTURE_COUNTS, FIXTURE_DIR, FIXTURE_KEY_DIR } from '../../../test/helpers/redshift-fixtures.js';
import { openLake } from './open-lake.js';
import { storedRaw } from './derived-raw.js';

async function decodeFixture(name: string): Promise<AuditEvent[]> {
  const key = `${FIXTURE_KEY_DIR.replace('accountid', '123456789012')}/${name.replace('accountid_', '123456789012_')}`;
  const info = parseObjectKey(key);
  assert.ok(!isUnknownKey(info), key);
  const d = createDecoder(info);
  const out = [...d.push(gunzipSync(await readFile(join(FIXTURE_DIR, name)))), ...d.end()];
  return out.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
}

test('raw of a Redshift activity record is not stored, and the views render it back byte-exact (real files)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-raw-'));
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const expected = new Map<string, string | null>();
    let elided = 0, total = 0;
    const b = lake.beginBatch();
    for (const name of Object.keys(FIXTURE_COUNTS)) {
      for (const e of await decodeFixture(name)) {
        expected.set(e.eventId, e.raw);
        if (e.logType === 'activity') { total++; if (storedRaw(e) === null) elided++; }
        await b.add(e);
      }
    }
    await b.commit([]);
    assert.equal(total, 1009 + 1648 + 1652);
    assert.equal(elided, total, 'every real activity record renders back exactly');
    const r = await lake.query('select event_id, raw from events');
    assert.equal(r.rows.length, expected.size);
    for (const [id, raw] of r.rows as [string, string | null][]) assert.equal(raw, expected.get(id), `raw of ${id}`);
    // And the files really hold NULL: the bytes are gone from the lake, not only hidden.
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const stored = await c.runAndReadAll(`select count(*) filter (where raw is not null) from read_parquet('${join(dir, 'lake')}/log_type=activity/**/*.parquet')`);
    assert.equal(Number(stored.getRows()[0][0]), 0);
    c.closeSync();
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a record whose fields do not render back keeps its raw text', () => {
  const base: AuditEvent = {
    eventId: 'x', time: Date.UTC(2020, 5, 10, 14, 27, 3), logType: 'activity', sourceFormat: 'redshift-useractivitylog',
    account: '123456789012', region: 'us-east-1', service: 'redshift', cluster: 'c', database: 'dev', user: 'rdsdb',
    session: '15826', remoteHost: null, remotePort: null, action: 'SELECT', statement: 'select 1;', success: null,
    errorCode: null, object: null, details: { userid: '1', xid: '1129' }, sourceObject: 'k', sourceLine: 1,
    raw: "'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15826 userid=1 xid=1129 ]' LOG: select 1;",
  };
  assert.equal(storedRaw(base), null);
  assert.equal(storedRaw({ ...base, raw: base.raw + ' ' }), base.raw + ' ');
  assert.equal(storedRaw({ ...base, details: { userid: 1, xid: '1129' } }), base.raw, 'a non-text userid is not rendered');
  assert.equal(storedRaw({ ...base, raw: base.raw!.replace('xid=1129', 'xid=01129') }), base.raw!.replace('xid=1129', 'xid=01129'));
  assert.equal(storedRaw({ ...base, sourceFormat: 'postgres-pgaudit' }), base.raw);
});
