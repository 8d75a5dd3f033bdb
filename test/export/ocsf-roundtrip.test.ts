import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { eventIdFor } from '../../src/core/event-id.js';
import type { AuditEvent } from '../../src/core/event.js';
import { exportOcsf } from '../../src/export/ocsf/index.js';
import { createOcsfValidator } from '../../src/formats/ocsf/schema/index.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { openStore } from '../../src/stores/open-store.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import type { OcsfEvent } from '../../src/transforms/ocsf/index.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';
import { lakeWith } from './ocsf-lake.js';

let work: string;
let s3: LocalS3;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-ocsf-rt-'));
  s3 = await startS3rver({ buckets: ['security-lake'] });
});
after(async () => {
  await s3.stop();
  await rm(work, { recursive: true, force: true });
});

const KEY = 'AWSLogs/111122223333/redshift/us-east-1/2026/11/03/111122223333_redshift_us-east-1_prod_';
function ev(p: Partial<AuditEvent> & Pick<AuditEvent, 'logType' | 'sourceFormat' | 'time' | 'action'>, line: number): AuditEvent {
  return {
    eventId: eventIdFor(['rt', String(line)]), account: '111122223333', region: 'us-east-1', service: 'redshift', cluster: 'prod', database: null, user: null,
    session: '4242', remoteHost: null, remotePort: null, statement: null, success: null, errorCode: null, object: null, details: {}, raw: '',
    sourceObject: `${KEY}${p.sourceFormat.replace('redshift-', '')}_2026-11-03T10:00.gz`, sourceLine: line, ...p,
  };
}

/** One Redshift session: mallory connects from 198.51.100.7, drops user bob; the user log names only bob. */
const t0 = Date.UTC(2026, 10, 3, 9, 15, 0, 250);
const session: AuditEvent[] = [
  ev({ logType: 'connection', sourceFormat: 'redshift-connectionlog', time: t0, action: 'authenticated', user: 'mallory', database: 'dev', remoteHost: '::ffff:198.51.100.7', remotePort: '50211', success: true, details: { authmethod: 'password' } }, 1),
  ev({ logType: 'connection', sourceFormat: 'redshift-connectionlog', time: t0 + 1, action: 'initiating session', user: 'mallory', database: 'dev', remoteHost: '::ffff:198.51.100.7', remotePort: '50211', success: true }, 2),
  ev({ logType: 'activity', sourceFormat: 'redshift-useractivitylog', time: t0 + 4750, action: 'DROP USER', user: 'mallory', database: 'dev', statement: 'DROP USER bob;', object: 'bob', details: { userid: '107', xid: '9001' } }, 3),
  ev({ logType: 'user', sourceFormat: 'redshift-userlog', time: t0 + 5100, action: 'drop', object: 'bob', details: { userid: '108', xid: '9001', usesuper: '0' } }, 4),
  ev({ logType: 'connection', sourceFormat: 'redshift-connectionlog', time: t0 + 9000, action: 'disconnecting session', user: 'mallory', database: 'dev', remoteHost: '::ffff:198.51.100.7', remotePort: '50211', success: true, details: { duration: '8750000' } }, 5),
];

test('"who dropped a user last month, from where?": the same answer in SQL on the lake and on the exported OCSF Parquet', async () => {
  const lakeRoot = join(work, 'lake');
  await lakeWith(lakeRoot, session);
  const lake = await openLake({ root: lakeRoot, tmpDir: join(work, 'tmp') });
  let onLake: unknown[][];
  try {
    // The lake: the user log says who was dropped; the activity log (same pid and xid) who did it; the connection log (pid) from where.
    onLake = (await lake.query(`select u.object as dropped, a."user" as by_user, c.remote_host as origin
      from user_changes u
      join activity a on a.cluster = u.cluster and a.session = u.session and (a.details->>'xid') = (u.details->>'xid') and a.action = 'DROP USER'
      join connections c on c.cluster = u.cluster and c.session = u.session and c.action = 'authenticated'
      where u.action = 'drop' and u.time >= '2026-11-01' and u.time < '2026-12-01'`)).rows;
  } finally {
    await lake.close();
  }
  assert.deepEqual(onLake, [['bob', 'mallory', '::ffff:198.51.100.7']]);

  const out = join(work, 'ocsf');
  const validator = createOcsfValidator();
  const bad: string[] = [];
  await exportOcsf({
    lakeRoot, masterKey: null, store: createFsStore({ root: out }), stateDir: join(work, 'state'), tmpDir: join(work, 'tmp'), format: 'parquet', productVersion: '0.1.0',
    onEvent: (e: OcsfEvent) => bad.push(...validator.validate(e)),
  });
  assert.deepEqual(bad, []);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  // OCSF: one table, no joins — 3001 Account Change, activity 6 Delete, carries actor and src_endpoint.
  const onOcsf = (await db.runAndReadAll(`select "user".name as dropped, actor.user.name as by_user, src_endpoint.ip as origin
    from read_parquet('${out}/ext/auditlake-account-change/**/*.parquet', union_by_name = true)
    where activity_id = 6 and time >= epoch_ms(TIMESTAMP '2026-11-01') and time < epoch_ms(TIMESTAMP '2026-12-01')`)).getRowsJS();
  db.closeSync();
  // Same who and whom; the origin is the same address, written as plain IPv4 in OCSF (Redshift logs it IPv4-mapped).
  assert.deepEqual(onOcsf, [['bob', 'mallory', '198.51.100.7']]);
  assert.equal(String(onLake[0]![2]).replace(/^::ffff:/, ''), onOcsf[0]![2]);
});

test('export to S3 (s3rver): the same objects in the Security Lake layout, and a re-run writes nothing', async () => {
  const lakeRoot = join(work, 'lake-s3');
  await lakeWith(lakeRoot, session);
  const store = openStore('s3://security-lake/', { env: s3.env });
  const o = { lakeRoot, masterKey: null, store, stateDir: join(work, 'state-s3'), tmpDir: join(work, 'tmp'), format: 'parquet' as const, productVersion: '0.1.0' };
  const first = await exportOcsf(o);
  assert.equal(first.events, session.length);
  const keys = ((await s3.client.send(new ListObjectsV2Command({ Bucket: 'security-lake' }))).Contents ?? []).map((c) => c.Key!).sort();
  assert.equal(keys.length, first.objects);
  for (const k of keys) assert.match(k, /^ext\/auditlake-(account-change|authentication|datastore-activity)\/region=us-east-1\/accountId=111122223333\/eventDay=20261103\/[0-9a-f]{32}\.parquet$/);
  const again = await exportOcsf(o);
  assert.equal(again.events, 0);
  assert.equal(((await s3.client.send(new ListObjectsV2Command({ Bucket: 'security-lake' }))).Contents ?? []).length, keys.length);
});
