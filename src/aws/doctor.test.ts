import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchLogsClient, DescribeSubscriptionFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeClusterParametersCommand, DescribeClustersCommand, DescribeLoggingStatusCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { resolveDeployConfig } from './cdk/config.js';
import { doctorCentral, doctorMember, formatFindings } from './doctor.js';

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const rs = mockClient(RedshiftClient);
const rds = mockClient(RDSClient);
const logs = mockClient(CloudWatchLogsClient);
const region = 'eu-west-1';
const c = resolveDeployConfig({ centralAccount: '111111111111', regions: [region], memberAccounts: ['222222222222'] });
const keyArn = 'arn:aws:kms:eu-west-1:111111111111:key/0b8c7e0e-1111-2222-3333-444455556666';
const landing = 'auditlake-landing-111111111111-eu-west-1';
const vault = 'auditlake-vault-111111111111-eu-west-1';
const pab = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
const tls = '{"Effect":"Deny","Condition":{"Bool":{"aws:SecureTransport":"false"}}}';
const notFound = (name: string) => Object.assign(new Error(name), { name });

function healthyCentral() {
  s3.on(GetBucketEncryptionCommand, { Bucket: landing }).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
  s3.on(GetBucketEncryptionCommand, { Bucket: vault }).resolves({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] } });
  s3.on(GetObjectLockConfigurationCommand, { Bucket: landing }).rejects(notFound('ObjectLockConfigurationNotFoundError'));
  s3.on(GetObjectLockConfigurationCommand, { Bucket: vault }).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 183 } } } });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: tls });
  s3.on(GetBucketPolicyCommand, { Bucket: landing }).resolves({ Policy: `${tls} redshift.amazonaws.com redshift/AWSLogs/222222222222/*` });
  s3.on(GetBucketPolicyCommand, { Bucket: vault }).resolves({ Policy: `${tls} DenyEvidenceDeletion` });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: pab });
  s3.on(GetBucketLoggingCommand).resolves({ LoggingEnabled: { TargetBucket: 'auditlake-access-logs-111111111111-eu-west-1', TargetPrefix: 'vault/' } });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  kms.on(GetKeyPolicyCommand).resolves({ Policy: '"kms:EncryptionContext:auditlake:object":["*AWSLogs/111111111111/*","*AWSLogs/222222222222/*"]' });
}

beforeEach(() => {
  for (const m of [s3, kms, rs, rds, logs]) m.reset();
});

test('doctor central: a healthy deployment passes every check, read-only', async () => {
  healthyCentral();
  const f = await doctorCentral(c, region, { s3: new S3Client({ region }), kms: new KMSClient({ region }), keyArn });
  assert.deepEqual(f.filter((x) => !x.ok), []);
  assert.equal(f.length, 16);
  assert.match(formatFindings(f), /all 16 checks passed/);
  assert.equal(s3.commandCalls(PutBucketPolicyCommand).length, 0);
  for (const call of s3.calls()) assert.match((call.args[0] as { constructor: { name: string } }).constructor.name, /^Get/, 'only Get* calls');
});

test('doctor central: what is missing is named, with the fix', async () => {
  healthyCentral();
  s3.on(GetObjectLockConfigurationCommand, { Bucket: landing }).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
  s3.on(GetBucketPolicyCommand, { Bucket: landing }).resolves({ Policy: `${tls} redshift.amazonaws.com` });
  s3.on(GetPublicAccessBlockCommand, { Bucket: vault }).resolves({ PublicAccessBlockConfiguration: { ...pab, RestrictPublicBuckets: false } });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
  s3.on(GetBucketLoggingCommand).resolves({});
  const f = await doctorCentral(c, region, { s3: new S3Client({ region }), kms: new KMSClient({ region }), keyArn });
  const bad = Object.fromEntries(f.filter((x) => !x.ok).map((x) => [x.check, x]));
  assert.deepEqual(Object.keys(bad).sort(), [
    `landing ${landing}: no Object Lock`,
    `landing ${landing}: policy lets Redshift deliver for every member account`,
    `key ${keyArn}: rotation`,
    `vault ${vault}: server access logging`,
    `${vault}: Block Public Access (all four)`,
  ].sort());
  assert.equal(bad[`key ${keyArn}: rotation`].fix, `aws kms enable-key-rotation --key-id ${keyArn}`);
  assert.match(bad[`landing ${landing}: policy lets Redshift deliver for every member account`].detail, /no grant for 222222222222/);
  assert.match(bad[`${vault}: Block Public Access (all four)`].fix!, /put-public-access-block --bucket auditlake-vault/);
  assert.match(formatFindings(f), /5 of 16 checks failed/);
});

test('doctor member: Redshift logging and user activity, RDS export and subscription, each with its fix', async () => {
  rs.on(DescribeClustersCommand).resolves({ Clusters: [
    { ClusterIdentifier: 'good', ClusterParameterGroups: [{ ParameterGroupName: 'auditlake-redshift-1-0', ParameterApplyStatus: 'in-sync' }] },
    { ClusterIdentifier: 'bad', ClusterParameterGroups: [{ ParameterGroupName: 'auditlake-redshift-1-0', ParameterApplyStatus: 'pending-reboot' }] },
  ] });
  rs.on(DescribeLoggingStatusCommand, { ClusterIdentifier: 'good' }).resolves({ LoggingEnabled: true, BucketName: landing, S3KeyPrefix: 'redshift/' });
  rs.on(DescribeLoggingStatusCommand, { ClusterIdentifier: 'bad' }).resolves({ LoggingEnabled: false });
  rs.on(DescribeClusterParametersCommand).resolves({ Parameters: [{ ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' }] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [
    { DBInstanceIdentifier: 'pg1', Engine: 'postgres', EnabledCloudwatchLogsExports: ['postgresql'] },
    { DBInstanceIdentifier: 'my1', Engine: 'mysql', EnabledCloudwatchLogsExports: [] },
    { DBInstanceIdentifier: 'ora', Engine: 'oracle-ee' },
  ] });
  logs.on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/rds/instance/pg1/postgresql' }).resolves({ subscriptionFilters: [{ filterName: 'auditlake', destinationArn: 'arn:aws:logs:eu-west-1:111111111111:destination:auditlake-rds-audit' }] });
  logs.on(DescribeSubscriptionFiltersCommand, { logGroupName: '/aws/rds/instance/my1/audit' }).rejects(notFound('ResourceNotFoundException'));
  const f = await doctorMember(c, region, { redshift: new RedshiftClient({ region }), rds: new RDSClient({ region }), logs: new CloudWatchLogsClient({ region }) });
  const bad = f.filter((x) => !x.ok);
  assert.deepEqual(bad.map((x) => x.check), [
    'redshift bad: audit logging to the central landing bucket',
    'redshift bad: enable_user_activity_logging active',
    'rds my1: audit log exported to CloudWatch Logs',
    'rds my1: /aws/rds/instance/my1/audit subscribed to the central destination',
  ]);
  assert.equal(bad[0].fix, `auditlake enable 'redshift://bad?region=eu-west-1&bucket=${landing}&prefix=redshift/'`);
  assert.match(bad[1].fix!, /reboot-cluster --cluster-identifier bad/);
  assert.match(bad[3].detail, /ResourceNotFoundException/);
  assert.equal(f.filter((x) => x.ok).length, 4, 'good cluster (2) and pg1 (2)');
});

test('rds-outcomes: every page of the outcome table, sorted by database', async () => {
  const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const { listOutcomes, formatOutcomes } = await import('./rds-outcomes.js');
  const ddb = mockClient(DynamoDBClient);
  const item = (db: string, status: string) => ({ database: { S: db }, status: { S: status }, engine: { S: 'postgres' }, detail: { S: '["verified by effect"]' }, execution: { S: 'arn:x' }, updatedAt: { S: '2026-12-04T12:00:00Z' } });
  ddb.on(ScanCommand).resolvesOnce({ Items: [item('222222222222/eu-west-1/pg2', 'pending-reboot')], LastEvaluatedKey: { database: { S: 'x' } } }).resolves({ Items: [item('222222222222/eu-west-1/pg1', 'enabled')] });
  const o = await listOutcomes(new DynamoDBClient({ region }), 'auditlake-rds-enable-outcomes');
  assert.deepEqual(o.map((x) => [x.database, x.status]), [['222222222222/eu-west-1/pg1', 'enabled'], ['222222222222/eu-west-1/pg2', 'pending-reboot']]);
  assert.deepEqual(ddb.commandCalls(ScanCommand)[1].args[0].input.ExclusiveStartKey, { database: { S: 'x' } });
  assert.match(formatOutcomes(o), /pg1\tenabled\tpostgres/);
  ddb.restore();
});
