import assert from 'node:assert/strict';
import { readFile, readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AuditEvent } from '../../src/core/event.js';
import { createHandler } from '../../src/aws/lambda/ocsf-export/handler.js';
import { readConfig } from '../../src/aws/lambda/ocsf-export/config.js';
import { createOcsfValidator } from '../../src/formats/ocsf/schema/index.js';
import { openStore } from '../../src/stores/open-store.js';
import { readAll } from '../../src/stores/read-all.js';
import type { OcsfEvent } from '../../src/transforms/ocsf/index.js';
import { eventBridgeObjectCreated, scheduledEvent } from '../helpers/aws-events.js';
import { createFakeKms } from '../helpers/fake-kms.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';
import { fixtureEvents, lakeWith } from '../export/ocsf-lake.js';

const validator = createOcsfValidator();
let s3: LocalS3;
let tmp: string;
let env: Record<string, string>;
let kms: KMSClient;
let events: AuditEvent[];
let first: AuditEvent[];
let rest: AuditEvent[];

/** Uploads a local lake (manifest + Parquet) as the S3 home's lake/, the way the ingest handlers + sweep leave it. */
async function uploadLake(dir: string): Promise<void> {
  const home = openStore('s3://central/home', { env });
  const walk = async (d: string): Promise<string[]> => (await Promise.all((await readdir(d, { withFileTypes: true })).map((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])))).flat();
  for (const f of await walk(dir)) {
    const rel = relative(dir, f).split('\\').join('/');
    if (rel.startsWith('_tmp') || rel.includes('.lock') || rel.startsWith('.')) continue;
    const key = `lake/${rel}`;
    const body = await readFile(f);
    const cur = await home.head(key);
    if (!cur) await home.put(key, body);
    else if (rel.endsWith('_auditlake_manifest.json')) await home.replace(key, body, { ifMatch: cur.etag });
  }
}

before(async () => {
  s3 = await startS3rver({ buckets: ['central', 'seclake', 'siem'] });
  tmp = await mkdtemp(join(tmpdir(), 'auditlake-ocsf-lambda-'));
  const fake = createFakeKms();
  kms = new KMSClient({ region: 'us-east-1', endpoint: 'https://kms.us-east-1.amazonaws.com', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: fake.handler, maxAttempts: 1 });
  env = { ...s3.env, AUDITLAKE_HOME: 's3://central/home', AUDITLAKE_KMS_KEY: 'alias/AuditVault' };
  events = await fixtureEvents();
  // The lake grows in two commits: the CloudTrail and self-hosted events arrive after the Redshift ones.
  first = events.filter((e) => e.sourceFormat.startsWith('redshift'));
  rest = events.filter((e) => !e.sourceFormat.startsWith('redshift'));
  const lakeDir = join(tmp, 'lake');
  await lakeWith(lakeDir, first);
  await uploadLake(lakeDir);
  await lakeWith(lakeDir, rest);
  await writeFile(join(tmp, 'lake2.ready'), '');
});
after(async () => {
  await s3.stop();
  await rm(tmp, { recursive: true, force: true });
});

async function objects(url: string): Promise<Array<{ key: string; body: Buffer }>> {
  const store = openStore(url, { env });
  const out: Array<{ key: string; body: Buffer }> = [];
  for await (const o of store.list('')) out.push({ key: o.key, body: await readAll(await store.get(o.key)) });
  return out;
}

const lines = (objs: Array<{ body: Buffer }>): OcsfEvent[] => objs.flatMap((o) => o.body.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as OcsfEvent));
const uidOf = (e: OcsfEvent) => (e.metadata as { uid: string }).uid;
const ctx = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

const jsonlEnv = () => ({
  ...env, AUDITLAKE_OCSF_FORMAT: 'jsonl', AUDITLAKE_OCSF_OUT: 's3://siem/feed',
  AUDITLAKE_OCSF_LOCATION_3002: 's3://seclake/ext/auditlake-auth/1.0/', AUDITLAKE_OCSF_LOCATION_6005: 's3://seclake/ext/auditlake-db/1.0',
});

test('ocsf-export handler: schedule → every lake event once, valid OCSF 1.3.0, per-class locations; redelivery and a lake commit export only what is new', async () => {
  const h = createHandler({ env: jsonlEnv(), kmsClient: kms, tmpRoot: tmp });
  const r1 = await h(scheduledEvent(), ctx(900_000));
  assert.equal(r1.ran, true);
  assert.equal(r1.summary?.events, first.length);
  // At-least-once: the same scheduled event again (and a fresh container) exports nothing more.
  const again = await createHandler({ env: jsonlEnv(), kmsClient: kms, tmpRoot: tmp })(scheduledEvent(), ctx(900_000));
  assert.equal(again.summary?.events, 0);
  assert.ok((again.summary?.partitionsUnchanged ?? 0) > 0);
  // A lake commit (the manifest rewritten with the second batch).
  await uploadLake(join(tmp, 'lake'));
  const commit = JSON.parse(eventBridgeObjectCreated('central', 'home/lake/_auditlake_manifest.json')) as unknown;
  const r2 = await h(commit, ctx(900_000));
  assert.equal(r2.trigger, 'lake-commit');
  assert.equal(r2.summary?.events, rest.length);

  const lake = await objects('s3://seclake');
  const siem = await objects('s3://siem');
  for (const o of lake) assert.match(o.key, /^ext\/auditlake-(auth|db)\/1\.0\/region=[^/]+\/accountId=[^/]+\/eventDay=\d{8}\/[0-9a-f]{32}\.jsonl$/);
  for (const o of siem) assert.match(o.key, /^feed\/ext\/auditlake-(account-change|api-activity)\/region=[^/]+\/accountId=[^/]+\/eventDay=\d{8}\/[0-9a-f]{32}\.jsonl$/);
  const all = [...lines(lake), ...lines(siem)];
  const uids = all.map(uidOf);
  assert.equal(uids.length, new Set(uids).size, 'an event exported twice');
  assert.deepEqual(new Set(uids), new Set(events.map((e) => e.eventId)));
  const byLoc = (key: string, cls: number) => lines(lake.filter((o) => o.key.includes(key))).every((e) => e.class_uid === cls);
  assert.ok(byLoc('/auditlake-auth/', 3002) && byLoc('/auditlake-db/', 6005), 'a class in another class\'s location');
  const invalid = all.map((e) => [uidOf(e), validator.validate(e)] as const).filter(([, p]) => p.length);
  assert.deepEqual(invalid.slice(0, 3), []);
  assert.deepEqual(new Set(all.map((e) => e.class_uid)), new Set([3001, 3002, 6003, 6005]));
  // The state lives in the S3 home (a new container continues from it), with one id file per exported partition.
  const state = await objects('s3://central/home/state/ocsf-export');
  assert.ok(state.some((o) => o.key.endsWith('/state.json')) && state.some((o) => o.key.includes('/ids/')));
});

test('ocsf-export handler: near the time limit it stops between partitions and the next run finishes; concurrent runs never duplicate an event', async () => {
  const pqEnv = { ...env, AUDITLAKE_OCSF_OUT: 's3://siem/pq', AUDITLAKE_OCSF_RESERVE_SECONDS: '60' };
  const h = createHandler({ env: pqEnv, kmsClient: kms, tmpRoot: tmp });
  let budget = 3; // partitions this "invocation" has time for
  const tight = { getRemainingTimeInMillis: () => (budget-- > 0 ? 600_000 : 10_000) };
  const r1 = await h(scheduledEvent(), tight);
  assert.ok((r1.summary?.partitionsLeft ?? 0) > 0, 'nothing left for the next run');
  assert.ok((r1.summary?.partitionsExported ?? 0) > 0 && (r1.summary?.partitionsExported ?? 0) <= 3);
  // Two invocations at once (an overlapping schedule and lake commit): one may lose the state race (E_CONFLICT), none duplicates.
  const h2 = createHandler({ env: pqEnv, kmsClient: kms, tmpRoot: tmp });
  const both = await Promise.allSettled([h(scheduledEvent(), ctx(900_000)), h2(scheduledEvent(), ctx(900_000))]);
  for (const b of both) if (b.status === 'rejected') assert.match(String((b.reason as Error).message), /conflict|etag|precondition/i);
  const r3 = await createHandler({ env: pqEnv, kmsClient: kms, tmpRoot: tmp })(scheduledEvent(), ctx(900_000));
  assert.equal(r3.summary?.partitionsLeft, 0);
  const dir = await mkdtemp(join(tmp, 'pq-'));
  const objs = await objects('s3://siem/pq');
  for (const [i, o] of objs.entries()) await writeFile(join(dir, `${i}.parquet`), o.body);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const r = await db.runAndReadAll(`SELECT count(*)::INT AS n, count(DISTINCT metadata.uid)::INT AS u FROM read_parquet('${dir}/*.parquet', union_by_name = true)`);
  const [row] = r.getRowObjectsJS() as Array<{ n: number; u: number }>;
  assert.equal(row.u, events.length);
  assert.equal(row.n, events.length, 'an event exported twice');
  db.closeSync();
});

test('ocsf-export handler: objects that are not the lake manifest are acknowledged without a run; bad config and unknown events name the problem', async () => {
  const h = createHandler({ env: jsonlEnv(), kmsClient: kms, tmpRoot: tmp });
  const other = await h(JSON.parse(eventBridgeObjectCreated('central', 'home/lake/log_type=activity/x.parquet')) as unknown, ctx(900_000));
  assert.deepEqual({ ran: other.ran, adopted: other.adopted }, { ran: false, adopted: 0 });
  await assert.rejects(h({ hello: 1 }), /unknown event/);
  assert.throws(() => readConfig({ ...env, AUDITLAKE_OCSF_LOCATION_3002: 's3://x/y/' }), /no destination for OCSF class 3001, 6003, 6005/);
  assert.throws(() => readConfig({ ...env, AUDITLAKE_OCSF_OUT: '/tmp/x' }), /AUDITLAKE_OCSF_OUT=\/tmp\/x must be an s3:\/\/ location/);
  assert.throws(() => readConfig({ ...env, AUDITLAKE_OCSF_OUT: 's3://x', AUDITLAKE_OCSF_FORMAT: 'csv' }), /must be parquet or jsonl/);
});
