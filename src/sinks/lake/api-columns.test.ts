import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import type { ObjectKeyInfo } from '../../core/decode.js';
import type { AuditEvent } from '../../core/event.js';
import { createCloudTrailDecoder } from '../../formats/cloudtrail/decoder.js';
import { formatResult } from '../../query/format-result.js';
import { API_COLUMNS } from './api-columns.js';
import { openLake } from './open-lake.js';

const FILE = '111122223333_CloudTrail_us-east-1_20210803T1505Z_Ab12Cd34Ef56Gh78.json.gz';
const info = (key: string): ObjectKeyInfo => ({ format: 'cloudtrail', account: '111122223333', region: 'us-east-1', service: 'cloudtrail', cluster: '', keyDate: '2021-08-03', key });

/**
 * The fields the CloudTrail user guide documents that the sample file does not carry (VPC endpoint, console
 * session flag, source identity, cross-account ids, TLS of an S3 data event), in the shape CloudTrail writes them.
 */
const EXTRA = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole', principalId: 'AROAEXAMPLEID:alice@example.com', arn: 'arn:aws:sts::111122223333:assumed-role/Auditors/alice@example.com',
    accountId: '111122223333', accessKeyId: 'ASIAEXAMPLEKEY000001',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: 'arn:aws:iam::111122223333:role/Auditors', accountId: '111122223333', userName: 'Auditors' },
      attributes: { creationDate: '2024-05-01T09:00:00Z', mfaAuthenticated: 'true' },
      sourceIdentity: 'alice',
    },
  },
  eventTime: '2024-05-01T09:01:02Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1',
  sourceIPAddress: '10.0.1.7', userAgent: '[aws-cli/2.15.0 Python/3.11.6]',
  requestParameters: { bucketName: 'audit-bucket', key: 'a/b.gz', Host: 'audit-bucket.s3.us-east-1.amazonaws.com' },
  responseElements: null, requestID: 'EXAMPLE123456789', eventID: '11112222-3333-4444-5555-666677778888', readOnly: true,
  resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::audit-bucket/a/b.gz' }, { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::audit-bucket' }],
  eventType: 'AwsApiCall', managementEvent: false, recipientAccountId: '111122223333', sharedEventID: 'aaaabbbb-cccc-dddd-eeee-ffff00001111',
  vpcEndpointId: 'vpce-1a2b3c4d', vpcEndpointAccountId: '444455556666', eventCategory: 'Data', sessionCredentialFromConsole: 'true',
  tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'audit-bucket.s3.us-east-1.amazonaws.com' },
};

function decode(bytes: Buffer, key: string): AuditEvent[] {
  const d = createCloudTrailDecoder(info(key));
  const out = [...d.push(bytes), ...d.end()];
  return out.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
}

async function sources(): Promise<{ records: Record<string, unknown>[]; events: AuditEvent[] }> {
  const sample = gunzipSync(await readFile(join(repoRoot, 'test/fixtures/cloudtrail', FILE)));
  const extra = Buffer.from(JSON.stringify({ Records: [EXTRA] }));
  const records = [...(JSON.parse(sample.toString('utf8')) as { Records: Record<string, unknown>[] }).Records, EXTRA];
  return { records, events: [...decode(sample, `AWSLogs/111122223333/CloudTrail/us-east-1/2021/08/03/${FILE}`), ...decode(extra, 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/x.json.gz')] };
}

const at = (o: unknown, path: string): unknown => path.slice(2).split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const bool = (v: unknown): boolean | null => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : null);
const stamp = (v: unknown): string | null => (typeof v === 'string' && Number.isFinite(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : null);

/** What each column must hold for record `r`, computed in JS straight from the source record. */
function expected(name: string, r: Record<string, unknown>): unknown {
  const c = API_COLUMNS.find((x) => x.name === name)!;
  const v = c.path ? at(r, c.path) : undefined;
  const issuer = at(r, '$.userIdentity.sessionContext.sessionIssuer') as Record<string, unknown> | undefined;
  switch (c.type) {
    case 'BOOLEAN': return bool(v);
    case 'TIMESTAMP': return stamp(v);
  }
  if (name === 'session_issuer') return issuer ? { type: text(issuer.type), name: text(issuer.userName), arn: text(issuer.arn), account_id: text(issuer.accountId), principal_id: text(issuer.principalId) } : null;
  if (name === 'resources') return Array.isArray(v) ? v.map((x: Record<string, unknown>) => ({ arn: text(x.ARN), type: text(x.type), account_id: text(x.accountId) })) : null;
  if (name === 'assumed_role') {
    if (at(r, '$.userIdentity.type') !== 'AssumedRole') return null;
    const session = /:assumed-role\/[^/]+\/(.+)$/.exec(String(at(r, '$.userIdentity.arn') ?? ''));
    return {
      role_arn: text(issuer?.arn), role_name: text(issuer?.userName), session_name: session ? session[1] : null,
      session_created: stamp(at(r, '$.userIdentity.sessionContext.attributes.creationDate')),
      mfa_authenticated: bool(at(r, '$.userIdentity.sessionContext.attributes.mfaAuthenticated')), source_identity: text(at(r, '$.userIdentity.sessionContext.sourceIdentity')),
    };
  }
  return text(v);
}

test('api_calls: every CloudTrail column of every real record equals its source field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-apicols-'));
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const { records, events } = await sources();
    const b = lake.beginBatch();
    for (const e of events) await b.add(e);
    await b.commit([{ store: 'file:///t', key: FILE, etag: 'e', size: 1 }]);
    const names = API_COLUMNS.map((c) => c.name);
    const res = await lake.query(`select event_id, ${names.join(', ')} from api_calls`);
    assert.equal(res.rows.length, events.length);
    // The decoder drops the file's duplicate eventID: match each row to its record through the event's raw text.
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const nonNull = new Set<string>();
    for (const row of res.rows) {
      const e = byId.get(row[0] as string)!;
      const src = records.find((r) => r.eventID === (JSON.parse(e.raw!) as { eventID?: string }).eventID && r.eventTime === (JSON.parse(e.raw!) as { eventTime?: string }).eventTime)!;
      assert.ok(src, `no source record for ${e.raw!.slice(0, 80)}`);
      names.forEach((n, i) => {
        assert.deepEqual(row[i + 1], expected(n, src), `${n} of record ${String(src.eventID)} (${String(src.eventName)})`);
        if (row[i + 1] !== null) nonNull.add(n);
      });
    }
    // Not vacuous: every column is answered by at least one record.
    assert.deepEqual(names.filter((n) => !nonNull.has(n)), []);
    // Investigator queries: a struct field, a list search, a boolean filter.
    const roles = await lake.query(`select distinct session_issuer.name from api_calls where mfa_authenticated order by 1`);
    assert.deepEqual(roles.rows.map((r) => r[0]), ['Auditors', 'DBAdmin']);
    const touched = await lake.query(`select count(*) from api_calls where list_contains(list_transform(resources, r -> r.arn), 'arn:aws:s3:::audit-bucket')`);
    assert.equal(Number(touched.rows[0][0]), 2);
    // `query --format json`: JSON columns nest as objects (not quoted strings), structs and lists too.
    const json = [...formatResult(await lake.query(`select details, details->'requestParameters' as params, session_issuer, resources from api_calls where cloudtrail_event_id = '${EXTRA.eventID}'`), 'json')].join('');
    const line = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual((line.details as Record<string, unknown>).requestParameters, EXTRA.requestParameters);
    assert.deepEqual(line.params, EXTRA.requestParameters);
    assert.equal((line.session_issuer as Record<string, unknown>).name, 'Auditors');
    assert.equal((line.resources as unknown[]).length, 2);
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('api_calls: a record whose raw is not CloudTrail JSON reads as NULL columns, the query does not fail', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-apicols-'));
  const lake = await openLake({ root: join(dir, 'lake') });
  try {
    const b = lake.beginBatch();
    const base = (await sources()).events[0];
    await b.add({ ...base, eventId: 'f'.repeat(32), raw: 'not json {' });
    await b.add({ ...base, eventId: 'e'.repeat(32), raw: '{"resources":{"ARN":"x"},"userIdentity":{"sessionContext":{"sessionIssuer":"text"}}}' });
    await b.commit([{ store: 'file:///t', key: 'k', etag: 'e', size: 1 }]);
    const res = await lake.query(`select event_id, user_arn, resources, session_issuer, read_only from api_calls order by 1`);
    assert.deepEqual(res.rows, [['e'.repeat(32), null, null, null, null], ['f'.repeat(32), null, null, null, null]]);
  } finally {
    await lake.close();
    await rm(dir, { recursive: true, force: true });
  }
});
