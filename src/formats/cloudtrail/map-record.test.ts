import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import type { AuditEvent } from '../../core/event.js';
import { eventIdFor } from '../../core/event-id.js';
import { hasErrorCode } from '../../core/errors.js';
import type { ObjectKeyInfo } from '../../core/decode.js';
import { createCloudTrailDecoder } from './decoder.js';

const dir = join(repoRoot, 'test/fixtures/cloudtrail');
const file = '111122223333_CloudTrail_us-east-1_20210803T1505Z_Ab12Cd34Ef56Gh78.json.gz';
const key = `AWSLogs/111122223333/CloudTrail/us-east-1/2021/08/03/${file}`;
const info: ObjectKeyInfo = { format: 'cloudtrail', account: '111122223333', region: 'us-east-1', service: 'cloudtrail', cluster: '', keyDate: '2021-08-03', key };

function decodeSample(chunk = 4096): { events: AuditEvent[]; malformed: number; stats: { records: number; duplicates: number; malformed: number } } {
  const bytes = gunzipSync(readFileSync(join(dir, file)));
  const d = createCloudTrailDecoder(info);
  const out = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  const events = out.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
  return { events, malformed: out.length - events.length, stats: { ...d.stats } };
}

const { events, malformed, stats } = decodeSample();
const byAction = (a: string, n = 0): AuditEvent => {
  const found = events.filter((e) => e.action === a);
  assert.ok(found[n], `no event ${a}`);
  return found[n];
};

test('decoder: 15 events, 1 duplicate dropped, nothing malformed', () => {
  assert.equal(events.length, 15);
  assert.equal(malformed, 0);
  assert.deepEqual(stats, { records: 15, duplicates: 1, malformed: 0 });
  for (const e of events) {
    assert.equal(e.logType, 'api');
    assert.equal(e.sourceFormat, 'cloudtrail');
    assert.equal(e.sourceObject, key);
    assert.equal(e.sourceLine, 1);
    assert.equal(e.remotePort, null);
    assert.ok(Number.isInteger(e.time));
    // the event must survive JSON (the lake stores details as JSON)
    assert.deepEqual(JSON.parse(JSON.stringify(e.details)), e.details);
    assert.doesNotThrow(() => JSON.parse(e.raw), 'raw stays valid JSON');
  }
});

test('error record (formats.md B.7): every column', () => {
  const e = byAction('UpdateTrail');
  assert.deepEqual({ ...e, details: undefined, raw: undefined }, {
    eventId: eventIdFor(['cloudtrail', 'b7d4398e-b2f0-4faa-9c76-e2d316a8d67f']),
    time: Date.UTC(2016, 6, 14, 19, 15, 45),
    logType: 'api',
    sourceFormat: 'cloudtrail',
    account: '123456789012',
    region: 'us-east-2',
    service: 'cloudtrail',
    cluster: '',
    database: null,
    user: 'Alice',
    session: 'EXAMPLE_KEY_ID',
    remoteHost: '205.251.233.182',
    remotePort: null,
    action: 'UpdateTrail',
    statement: null,
    success: false,
    errorCode: 'TrailNotFoundException',
    object: 'myTrail2',
    details: undefined,
    raw: undefined,
    sourceObject: key,
    sourceLine: 1,
  });
  assert.deepEqual(e.details, {
    eventSource: 'cloudtrail.amazonaws.com',
    eventType: 'AwsApiCall',
    userIdentityType: 'IAMUser',
    userAgent: 'aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22',
    readOnly: null,
    requestID: '5d40662a-49f7-11e6-97e4-d9cb6ff7d6a3',
    eventID: 'b7d4398e-b2f0-4faa-9c76-e2d316a8d67f',
    errorMessage: 'Unknown trail: myTrail2 for the user: 123456789012',
    requestParameters: { name: 'myTrail2' },
    responseElements: null,
    additionalEventData: null,
  });
  assert.ok(e.raw.startsWith('{"eventVersion":"1.04","userIdentity":{"type":"IAMUser"'));
});

test('who: every userIdentity variant maps to a user', () => {
  const users = Object.fromEntries(events.map((e) => [`${e.details.userIdentityType}:${e.action}`, e.user]));
  assert.deepEqual(users, {
    'IAMUser:UpdateTrail': 'Alice',
    'AssumedRole:AuthorizeDataShare': 'arn:aws:sts::111122223333:user/janedoe',
    'Root:ConsoleLogin': 'arn:aws:iam::111122223333:root',
    'IAMUser:ConsoleLogin': 'HIDDEN_DUE_TO_SECURITY_REASONS',
    'FederatedUser:DescribeClusters': 'arn:aws:sts::111122223333:federated-user/Bob',
    'AWSService:Decrypt': 'ebs.amazonaws.com',
    'SAMLUser:AssumeRoleWithSAML': 'SamlExample',
    'WebIdentityUser:AssumeRoleWithWebIdentity': 'user-id',
    'IAMUser:CreateCluster': 'Alice',
    'AssumedRole:CreateDBInstance': 'arn:aws:sts::111122223333:assumed-role/DBAdmin/ops',
    'AssumedRole:ExecuteStatement': 'arn:aws:sts::111122223333:assumed-role/EtlRole/etl',
    'IAMUser:GetObject': 'Alice',
    'IAMUser:CreateKeyPair': 'Alice',
    'AWSAccount:GenerateDataKey': 'AIDAEXAMPLEXACCT',
    'null:AwsCloudTrailInsight': null,
  });
});

test('success/failure: errorCode, and console sign-in failure without errorCode', () => {
  assert.equal(byAction('ConsoleLogin', 0).success, true);
  const failed = byAction('ConsoleLogin', 1);
  assert.equal(failed.success, false);
  assert.equal(failed.errorCode, null);
  assert.equal(failed.details.errorMessage, 'Failed authentication');
  assert.equal(failed.remoteHost, '203.0.113.66');
  assert.equal(events.filter((e) => e.success === false).length, 2);
});

test('affected object and cluster', () => {
  assert.equal(byAction('DescribeClusters').cluster, 'analytics-prod');
  assert.equal(byAction('DescribeClusters').object, 'analytics-prod');
  assert.equal(byAction('CreateDBInstance').cluster, 'orders-db');
  assert.equal(byAction('CreateDBInstance').service, 'rds');
  assert.equal(byAction('CreateDBInstance').region, 'eu-west-1');
  assert.equal(byAction('GetObject').object, 'arn:aws:s3:::audit-bucket/AWSLogs/111122223333/redshift/us-east-1/2021/08/03/x.gz');
  assert.equal(byAction('Decrypt').object, 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  assert.equal(byAction('AuthorizeDataShare').object, 'arn:aws:redshift:us-east-1:111122223333:datashare:4c64c6ec-73d5-42be-869b-b7f7c43c7a53/testshare');
  assert.equal(byAction('AuthorizeDataShare').service, 'redshift');
  assert.equal(byAction('CreateKeyPair').object, null);
});

test('account: recipientAccountId first (cross-account call), else userIdentity, else the key', () => {
  const x = byAction('GenerateDataKey');
  assert.equal(x.account, '111122223333');
  assert.equal(x.time, Date.UTC(2021, 7, 3, 14, 0, 0, 123));
  assert.equal(x.region, 'eu-central-1');
  const insight = byAction('AwsCloudTrailInsight');
  assert.equal(insight.account, '111122223333');
  assert.equal(insight.service, 'ssm');
  assert.equal(insight.user, null);
});

test('secrets: clear masterUserPassword, SQL password and session tokens never reach the event', () => {
  const secrets = ['Sup3r-Secr3t-in-clear', 'Load3r-pw-2021', 'IQoJb3JpZ2luX2VjEBAaCXVzLWVhc3QtMSJIMEYCIQDexampleSAMLsessiontoken', 'FwoGZXIvYXdzEBYaDExampleWebIdentitySessionToken'];
  const all = JSON.stringify(events);
  for (const s of secrets) assert.ok(!all.includes(s), `secret ${s} leaked`);
  const create = byAction('CreateCluster');
  assert.equal((create.details.requestParameters as Record<string, unknown>).masterUserPassword, '***');
  assert.equal((create.details.requestParameters as Record<string, unknown>).masterUsername, 'awsuser');
  assert.equal(JSON.parse(create.raw).requestParameters.masterUserPassword, '***');
  const sql = byAction('ExecuteStatement');
  assert.equal(sql.statement, "ALTER USER loader PASSWORD '***'");
  assert.equal(sql.database, 'dev');
  assert.equal(sql.cluster, 'analytics-prod');
  // CloudTrail's own marker is kept as evidence that CloudTrail hid it
  assert.equal((byAction('CreateDBInstance').details.requestParameters as Record<string, unknown>).masterUserPassword, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  // records without a secret keep their exact bytes (e.g. the \u003c escapes)
  assert.ok(byAction('CreateKeyPair').raw.includes('\\u003csensitiveDataRemoved\\u003e'));
});

test('chunk size does not change the events', () => {
  assert.deepEqual(decodeSample(1).events, events);
});

test('decoder: a digest file makes the decoder give up with E_PARSE naming the key and the reason', () => {
  const digest = gunzipSync(readFileSync(join(dir, '111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz')));
  const d = createCloudTrailDecoder({ ...info, key: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/d.json.gz' });
  assert.deepEqual(d.push(digest.subarray(0, 1)), []);
  assert.throws(() => d.push(digest.subarray(1)), (err: unknown) => {
    assert.ok(hasErrorCode(err, 'E_PARSE'));
    assert.match((err as Error).message, /^cloudtrail: AWSLogs\/111122223333\/CloudTrail-Digest\/us-east-2\/2015\/08\/17\/d\.json\.gz: not a CloudTrail log file: first member is "awsAccountId".*digest file/);
    return true;
  });
});

test('decoder: a record with a bad eventTime is quarantined by index, naming the field; secrets redacted in the quarantine', () => {
  const good = { eventVersion: '1.08', eventTime: '2021-08-03T00:00:00Z', eventName: 'X', eventID: 'g1' };
  const bad = { eventVersion: '1.08', eventTime: 'yesterday', eventName: 'CreateUser', eventID: 'b1', requestParameters: { password: 'quarantine-leak' } };
  const text = `{"Records":[${JSON.stringify(good)},${JSON.stringify(bad)},${JSON.stringify({ ...good, eventID: 'g2' })}]}`;
  const d = createCloudTrailDecoder(info);
  const out = [...d.push(Buffer.from(text)), ...d.end()];
  assert.deepEqual(out.map((o) => o.kind), ['event', 'malformed', 'event']);
  const m = out[1];
  assert.ok(m.kind === 'malformed');
  assert.match(m.reason, /record 1 at byte \d+: field eventTime "yesterday" is not a time/);
  assert.ok(!m.raw.includes('quarantine-leak'));
  assert.deepEqual(d.stats, { records: 2, duplicates: 0, malformed: 1 });
});

test('a secret only visible after JSON unescaping (\\n inside a string) is still redacted in raw and details', () => {
  const rec = { eventVersion: '1.08', eventTime: '2021-08-03T00:00:00Z', eventSource: 'redshift-data.amazonaws.com', eventName: 'ExecuteStatement', eventID: 'nl1', requestParameters: { sql: "ALTER USER x PASSWORD\n'nl-secret'" } };
  const d = createCloudTrailDecoder(info);
  const out = [...d.push(Buffer.from(`{"Records":[${JSON.stringify(rec)}]}`)), ...d.end()];
  assert.equal(out.length, 1);
  assert.ok(out[0].kind === 'event');
  const e = out[0].event;
  assert.ok(!JSON.stringify(e).includes('nl-secret'));
  assert.equal(e.statement, "ALTER USER x PASSWORD\n'***'");
  assert.equal(JSON.parse(e.raw).requestParameters.sql, "ALTER USER x PASSWORD\n'***'");
});
