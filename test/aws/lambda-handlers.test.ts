import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { createAwsKmsKeyring } from '../../src/keyring/drivers/aws-kms.js';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { openStore } from '../../src/stores/open-store.js';
import { readAll } from '../../src/stores/read-all.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { createHandler as landingHandler } from '../../src/aws/lambda/landing-to-vault/handler.js';
import { createHandler as firehoseHandler } from '../../src/aws/lambda/firehose-to-lake/handler.js';
import { createHandler as cloudtrailHandler } from '../../src/aws/lambda/cloudtrail-to-lake/handler.js';
import { createHandler as sweepHandler } from '../../src/aws/lambda/sweep/handler.js';
import { eventBridgeObjectCreated, s3Notification, s3TestEvent, scheduledEvent, sqsEvent } from '../helpers/aws-events.js';
import { createFakeKms } from '../helpers/fake-kms.js';
import { FIXTURE_COUNTS, FIXTURE_DIR } from '../helpers/redshift-fixtures.js';
import { repoRoot } from '../helpers/repo-root.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';

const ACCT = '123456789012';
const DIR = `AWSLogs/${ACCT}/redshift/us-east-1/2020/06/10`;
const fixtureKey = (f: string) => `${DIR}/${f.replace('accountid_', `${ACCT}_`)}`;
const CONN = Object.keys(FIXTURE_COUNTS)[0];
const ACT = Object.keys(FIXTURE_COUNTS)[3];

let s3: LocalS3;
let tmp: string;
let env: Record<string, string>;
let kms: KMSClient;
let fake: ReturnType<typeof createFakeKms>;

before(async () => {
  s3 = await startS3rver({ buckets: ['landing', 'central', 'vault', 'firehose', 'trail'] });
  tmp = await mkdtemp(join(tmpdir(), 'auditlake-lambda-'));
  fake = createFakeKms();
  kms = new KMSClient({ region: 'us-east-1', endpoint: 'https://kms.us-east-1.amazonaws.com', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, requestHandler: fake.handler, maxAttempts: 1 });
  await createAwsKmsKeyring({ client: kms }).create({ alias: 'alias/AuditVault' });
  env = { ...s3.env, AUDITLAKE_HOME: 's3://central/home', AUDITLAKE_VAULT: 's3://vault/v', AUDITLAKE_KMS_KEY: 'alias/AuditVault', AUDITLAKE_LOCK_MODE: 'COMPLIANCE', AUDITLAKE_LOCK_DAYS: '400' };
});
after(async () => {
  await s3.stop();
  await rm(tmp, { recursive: true, force: true });
});

async function put(bucket: string, key: string, body: Buffer) {
  await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}
async function keys(url: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const o of openStore(url, { env }).list(prefix)) out.push(o.key);
  return out;
}
const deps = () => ({ env, kmsClient: kms, tmpRoot: tmp });

/** Downloads the home's lake (manifest + Parquet) and counts rows per view with the lake's own query engine. */
async function lakeCounts(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmp, 'lake-'));
  const home = openStore('s3://central/home', { env });
  for await (const o of home.list('lake/')) {
    const p = join(dir, o.key.slice('lake/'.length));
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, await readAll(await home.get(o.key)));
  }
  const lake = await openLake({ root: dir });
  try {
    const r = await lake.query("select log_type, count(*)::int as n from events where region = 'us-east-1' and account = '123456789012' group by 1 order by 1");
    return Object.fromEntries(r.rows.map((row) => [String(row[0]), Number(row[1])]));
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('landing-to-vault: an SQS batch of S3 events → vault (KMS envelope, readable back) + lake files + markers; a redelivery changes nothing', async () => {
  for (const f of [CONN, ACT]) await put('landing', fixtureKey(f), readFileSync(join(FIXTURE_DIR, f)));
  const handler = landingHandler(deps());
  const event = sqsEvent([s3Notification('landing', fixtureKey(CONN)), s3Notification('landing', fixtureKey(ACT)), s3TestEvent()]);
  assert.deepEqual(await handler(event), { batchItemFailures: [] });

  const vaultKeys = await keys('s3://vault/v');
  assert.equal(vaultKeys.length, 2);
  assert.ok(vaultKeys.every((k) => k.startsWith(`AWSLogs/${ACCT}/redshift/us-east-1/2020/06/10/`) && k.endsWith('.alv')));
  // The vault copy opens with the CMK and gives back the landed bytes exactly.
  const vault = createVault({ store: openStore('s3://vault/v', { env }), keyring: createAwsKmsKeyring({ client: kms }), keyId: 'alias/AuditVault' });
  const conn = vaultKeys.find((k) => k.includes('connectionlog')) as string;
  assert.ok((await readAll(await vault.get(conn))).equals(readFileSync(join(FIXTURE_DIR, CONN))));
  assert.ok(fake.requests.some((r) => r.target === 'GenerateDataKey'));

  const home = await keys('s3://central/home');
  assert.equal(home.filter((k) => k.startsWith('state/processed/')).length, 2);
  assert.equal(home.filter((k) => k.startsWith('state/lake-incoming/')).length, 2);
  const parquet = home.filter((k) => k.endsWith('.parquet'));
  assert.ok(parquet.some((k) => k.startsWith(`lake/log_type=connection/account=${ACCT}/region=us-east-1/date=2020-06-10/`)));
  assert.ok(parquet.some((k) => k.startsWith(`lake/log_type=activity/account=${ACCT}/region=us-east-1/date=2020-06-10/`)));

  // At-least-once: the same messages again (and out of order) are recognised as done.
  const again = sqsEvent([s3Notification('landing', fixtureKey(ACT)), s3Notification('landing', fixtureKey(CONN))]);
  assert.deepEqual(await handler(again), { batchItemFailures: [] });
  assert.deepEqual(await keys('s3://vault/v'), vaultKeys);
  assert.deepEqual(await keys('s3://central/home'), home);
});

test('poison never blocks the queue: damaged and unknown objects and a non-notification message go to the sideline with a reason', async () => {
  const badKey = `${DIR}/${ACCT}_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T18_24.gz`;
  await put('landing', badKey, Buffer.from('this is not gzip at all'));
  await put('landing', 'random/notes+stuff.txt', Buffer.from('hello'));
  const handler = landingHandler(deps());
  const event = sqsEvent([s3Notification('landing', badKey), s3Notification('landing', 'random/notes+stuff.txt'), 'not json {']);
  assert.deepEqual(await handler(event), { batchItemFailures: [] });
  const side = await keys('s3://central/home/sideline');
  assert.ok(side.includes(`landing/${badKey}`) && side.includes(`landing/${badKey}.reason.json`), side.join('\n'));
  assert.ok(side.includes('landing/random/notes+stuff.txt'), side.join('\n'));
  assert.ok(side.some((k) => k.startsWith('messages/')));
  const why = JSON.parse((await readAll(await openStore('s3://central/home/sideline', { env }).get('landing/random/notes+stuff.txt.reason.json'))).toString());
  assert.match(why.reason, /unknown key layout/);
  const damaged = JSON.parse((await readAll(await openStore('s3://central/home/sideline', { env }).get(`landing/${badKey}.reason.json`))).toString());
  assert.match(damaged.reason, /damaged|no record of the object parsed/);
});

test('a transient failure (KMS key missing) is reported as a batch item failure for SQS to redeliver; nothing is marked done', async () => {
  const key = fixtureKey(Object.keys(FIXTURE_COUNTS)[1]);
  await put('landing', key, readFileSync(join(FIXTURE_DIR, Object.keys(FIXTURE_COUNTS)[1])));
  const handler = landingHandler({ ...deps(), env: { ...env, AUDITLAKE_KMS_KEY: 'alias/NoSuchKey' } });
  const event = sqsEvent([s3Notification('landing', key)]);
  const r = await handler(event);
  assert.deepEqual(r.batchItemFailures, [{ itemIdentifier: event.Records[0].messageId }]);
  // The sweep (test below) catches it up once the key exists.
});

test('firehose-to-lake and cloudtrail-to-lake: real Firehose and CloudTrail objects, delivered as S3 and EventBridge events', async () => {
  const fhKey = 'rds-audit/2026/11/24/13/rds-audit-stream-1-2026-11-24-13-05-12-0b7e2f3c-5d1a-4c9e-9f7a-2a1b3c4d5e6f';
  await put('firehose', fhKey, readFileSync(join(repoRoot, 'test/fixtures/cloudwatch-firehose/firehose-rds.gz')));
  const ctDir = join(repoRoot, 'test/fixtures/cloudtrail');
  const ctFile = '111122223333_CloudTrail_us-east-1_20210803T1505Z_Ab12Cd34Ef56Gh78.json.gz';
  const digestFile = '111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz';
  const ctKey = `AWSLogs/o-exampleorg/111122223333/CloudTrail/us-east-1/2021/08/03/${ctFile}`;
  const dgKey = `AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/${digestFile}`;
  await put('trail', ctKey, readFileSync(join(ctDir, ctFile)));
  await put('trail', dgKey, readFileSync(join(ctDir, digestFile)));
  assert.deepEqual(await firehoseHandler(deps())(sqsEvent([s3Notification('firehose', fhKey)])), { batchItemFailures: [] });
  const ev: SQSEvent = sqsEvent([eventBridgeObjectCreated('trail', ctKey), s3Notification('trail', dgKey)]);
  assert.deepEqual(await cloudtrailHandler(deps())(ev), { batchItemFailures: [] });
  const home = await keys('s3://central/home');
  assert.ok(home.some((k) => k.startsWith('lake/log_type=') && k.includes('date=2026-11-2')), 'Firehose events in the lake');
  assert.ok(home.some((k) => k.startsWith('lake/log_type=api/account=111122223333/region=us-east-1/date=2021-08-03/')), 'CloudTrail events in the lake');
  // The digest file holds no events: recorded as ignored, not sidelined.
  assert.ok(!(await keys('s3://central/home/sideline')).some((k) => k.includes('CloudTrail-Digest')));
  assert.ok((await keys('s3://vault/v')).some((k) => k.includes('CloudTrail')), 'CloudTrail file vaulted');
});

test('sweep: catches up what the events missed, adopts the lake fragments into the manifest, and counts the same objects as done next time', async () => {
  const missed = Object.keys(FIXTURE_COUNTS)[2];
  await put('landing', fixtureKey(missed), readFileSync(join(FIXTURE_DIR, missed)));
  const sweepEnv = { ...env, AUDITLAKE_SWEEP_SOURCES: 's3://landing/AWSLogs/' };
  const run = sweepHandler({ ...deps(), env: sweepEnv });
  const r1 = await run(scheduledEvent());
  // Landed: CONN, ACT (done by events), fixture[1] (KMS failure above), `missed` (no event), the damaged one (sidelined).
  assert.equal(r1.caughtUp, 2, JSON.stringify(r1));
  assert.equal(r1.alreadyDone, 3);
  assert.ok(r1.adopted >= 5, JSON.stringify(r1));
  assert.equal((await keys('s3://central/home', 'state/lake-incoming/')).length, 0);
  const r2 = await sweepHandler({ ...deps(), env: sweepEnv })(scheduledEvent());
  assert.equal(r2.caughtUp, 0);
  const counts = await lakeCounts();
  const expectConn = [0, 1, 2].reduce((n, i) => n + FIXTURE_COUNTS[Object.keys(FIXTURE_COUNTS)[i]], 0);
  assert.equal(counts.connection, expectConn);
  assert.equal(counts.activity, FIXTURE_COUNTS[ACT]);
});
