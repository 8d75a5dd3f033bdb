import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateDBParameterGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBParametersCommand,
  ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { memberClients } from './clients.js';
import type { Config } from './config.js';
import { configureStep } from './configure.js';
import { describeStep } from './describe.js';
import { rebootStep } from './reboot.js';
import { shipStep } from './ship.js';
import type { EnableState } from './state.js';
import type { StepDeps } from './step-handler.js';
import { verifyStep } from './verify.js';

const rds = mockClient(RDSClient);
const logs = mockClient(CloudWatchLogsClient);
const sts = mockClient(STSClient);
const secrets = mockClient(SecretsManagerClient);
const region = 'eu-west-1';
const config: Config = { memberRoleName: 'auditlake-member-eu-west-1', destinationArn: 'arn:aws:logs:eu-west-1:111111111111:destination:auditlake-rds-audit', landingBucket: 'auditlake-landing-111111111111-eu-west-1', redshiftPrefix: 'redshift/', allowReboot: false, logRetentionDays: 1, masterSecretArns: {}, inDatabaseSetup: false };
const NOW = new Date('2026-12-04T12:00:00Z');
const deps = (over: Partial<Config> = {}): StepDeps => ({ clients: { rds: new RDSClient({ region }), redshift: new RedshiftClient({ region }), logs: new CloudWatchLogsClient({ region }), secrets: new SecretsManagerClient({ region }) }, config: { ...config, ...over }, now: () => NOW });
const start = (over: Partial<EnableState> = {}): EnableState => ({
  account: '222222222222', region, id: 'event-e1', eventName: 'CreateDBInstance', requestParameters: { dBInstanceIdentifier: 'Billing-DB', engine: 'postgres', masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
  userIdentity: { arn: 'arn:aws:sts::222222222222:assumed-role/dev/alice', sessionContext: { sessionIssuer: { userName: 'dev' } } },
  engine: 'unknown', attempt: 0, ready: false, verified: false, outcome: 'started', notes: [], ...over,
});
const pgInstance = (status: string, apply = 'in-sync', exports: string[] = []) => ({ DBInstances: [{ DBInstanceIdentifier: 'billing-db', DBInstanceStatus: status, Engine: 'postgres', EngineVersion: '16.3', DBParameterGroups: [{ DBParameterGroupName: apply === 'in-sync' && exports.length ? 'auditlake-postgres16' : 'default.postgres16', ParameterApplyStatus: apply }], EnabledCloudwatchLogsExports: exports }] });
const calls = (m: ReturnType<typeof mockClient>) => m.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));

beforeEach(() => {
  rds.reset();
  logs.reset();
  sts.reset();
  secrets.reset();
});

test('member clients: AssumeRole into the member account role, named after the database', async () => {
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 's', SessionToken: 't', Expiration: NOW } });
  await memberClients(new STSClient({ region }), { account: '222222222222', region, id: 'billing-db' }, config.memberRoleName);
  assert.deepEqual(sts.commandCalls(AssumeRoleCommand)[0].args[0].input, { RoleArn: 'arn:aws:iam::222222222222:role/auditlake-member-eu-west-1', RoleSessionName: 'auditlake-billing-db', DurationSeconds: 900 });
  sts.on(AssumeRoleCommand).resolves({});
  await assert.rejects(memberClients(new STSClient({ region }), { account: '222222222222', region, id: 'x' }, config.memberRoleName), /returned no credentials/);
});

test('describe: instance still creating → not ready, attempt counted; then available → ready', async () => {
  rds.on(DescribeDBInstancesCommand).resolvesOnce(pgInstance('creating')).resolves(pgInstance('available'));
  const s1 = await describeStep(start(), deps());
  assert.equal(s1.id, 'billing-db');
  assert.equal(s1.kind, 'rds-instance');
  assert.equal(s1.ready, false);
  assert.equal(s1.attempt, 1);
  assert.match(s1.notes.at(-1)!, /status creating/);
  const s2 = await describeStep(s1, deps());
  assert.equal(s2.ready, true);
  assert.equal(s2.attempt, 0);
  assert.equal(s2.engine, 'postgres');
  assert.deepEqual(rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input), [{ DBInstanceIdentifier: 'billing-db' }, { DBInstanceIdentifier: 'billing-db' }]);
});

test('describe: changes made by the member role itself, Aurora clusters, unsupported engines are skipped with a reason', async () => {
  const own = await describeStep(start({ eventName: 'ModifyDBInstance', userIdentity: { sessionContext: { sessionIssuer: { userName: config.memberRoleName } } } }), deps());
  assert.equal(own.outcome, 'skipped');
  assert.equal(rds.calls().length, 0, 'no API call for its own change');
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'o1', DBInstanceStatus: 'available', Engine: 'oracle-ee' }] });
  const ora = await describeStep(start({ requestParameters: { dBInstanceIdentifier: 'o1' } }), deps());
  assert.equal(ora.outcome, 'skipped');
  assert.match(ora.notes.join(), /oracle-ee has no audit plugin/);
  await assert.rejects(describeStep(start({ requestParameters: {} }), deps()), /no requestParameters.dBInstanceIdentifier/);
});

test('configure (PostgreSQL on a default group): exact API sequence through rds-audit.ts, pending-reboot reported', async () => {
  let apply = 'in-sync';
  rds.on(DescribeDBInstancesCommand).callsFake(() => pgInstance('available', apply));
  rds.on(DescribeDBParameterGroupsCommand, { DBParameterGroupName: 'default.postgres16' }).resolves({ DBParameterGroups: [{ DBParameterGroupName: 'default.postgres16', DBParameterGroupFamily: 'postgres16' }] });
  rds.on(DescribeDBParameterGroupsCommand, { DBParameterGroupName: 'auditlake-postgres16' }).rejects(Object.assign(new Error('not found'), { name: 'DBParameterGroupNotFoundFault' }));
  rds.on(CreateDBParameterGroupCommand).resolves({});
  rds.on(ModifyDBInstanceCommand).callsFake(() => {
    apply = 'pending-reboot';
    return {};
  });
  rds.on(DescribeDBParametersCommand).resolves({ Parameters: [{ ParameterName: 'shared_preload_libraries', ParameterValue: 'pg_stat_statements' }] });
  rds.on(ModifyDBParameterGroupCommand).resolves({});
  const s = await configureStep({ ...start(), id: 'billing-db', kind: 'rds-instance', engine: 'postgres', ready: true }, deps());
  assert.deepEqual(calls(rds), ['DescribeDBInstances', 'DescribeDBParameterGroups', 'DescribeDBParameterGroups', 'CreateDBParameterGroup', 'ModifyDBInstance', 'DescribeDBParameters', 'ModifyDBParameterGroup', 'ModifyDBInstance', 'DescribeDBInstances']);
  const mod = rds.commandCalls(ModifyDBParameterGroupCommand)[0].args[0].input;
  assert.equal(mod.DBParameterGroupName, 'auditlake-postgres16');
  assert.deepEqual(mod.Parameters?.[0], { ParameterName: 'shared_preload_libraries', ParameterValue: 'pg_stat_statements,pgaudit', ApplyMethod: 'pending-reboot' });
  assert.deepEqual(rds.commandCalls(ModifyDBInstanceCommand)[1].args[0].input, { DBInstanceIdentifier: 'billing-db', CloudwatchLogsExportConfiguration: { EnableLogTypes: ['postgresql'] }, ApplyImmediately: true });
  assert.equal(s.needsReboot, true);
  assert.equal(s.enabledAt, NOW.toISOString());
});

test('configure: parameter group in use / instance busy → retryable errors the state machine backs off on', async () => {
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'billing-db', DBInstanceStatus: 'available', Engine: 'postgres', DBParameterGroups: [{ DBParameterGroupName: 'auditlake-postgres16' }] }] });
  rds.on(DescribeDBParameterGroupsCommand).resolves({ DBParameterGroups: [{ DBParameterGroupName: 'auditlake-postgres16', DBParameterGroupFamily: 'postgres16' }] });
  rds.on(DescribeDBParametersCommand).resolves({ Parameters: [] });
  rds.on(ModifyDBParameterGroupCommand).rejects(Object.assign(new Error('The parameter group auditlake-postgres16 is in use'), { name: 'InvalidDBParameterGroupStateFault' }));
  const s = { ...start(), id: 'billing-db', kind: 'rds-instance' as const, engine: 'postgres', ready: true };
  await assert.rejects(configureStep(s, deps()), (e: Error) => e.name === 'Auditlake.GroupBusy' && /in use by another change/.test(e.message));
  rds.on(ModifyDBParameterGroupCommand).rejects(Object.assign(new Error('Instance is modifying'), { name: 'InvalidDBInstanceStateFault' }));
  await assert.rejects(configureStep(s, deps()), (e: Error) => e.name === 'Auditlake.NotReady');
  rds.on(ModifyDBParameterGroupCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  await assert.rejects(configureStep(s, deps()), (e: Error) => e.name === 'AccessDenied', 'other errors are not retried as busy');
});

test('reboot: not allowed → no reboot call, outcome pending-reboot; allowed → waits for available, then reboots', async () => {
  const s = { ...start(), id: 'billing-db', kind: 'rds-instance' as const, engine: 'postgres', ready: true, needsReboot: true };
  const no = await rebootStep(s, deps());
  assert.equal(no.outcome, 'pending-reboot');
  assert.equal(rds.calls().length, 0);
  rds.on(DescribeDBInstancesCommand).resolvesOnce(pgInstance('modifying')).resolves(pgInstance('available'));
  rds.on(RebootDBInstanceCommand).resolves({});
  await assert.rejects(rebootStep(s, deps({ allowReboot: true })), (e: Error) => e.name === 'Auditlake.NotReady');
  const yes = await rebootStep(s, deps({ allowReboot: true }));
  assert.equal(yes.needsReboot, false);
  assert.deepEqual(rds.commandCalls(RebootDBInstanceCommand).map((c) => c.args[0].input), [{ DBInstanceIdentifier: 'billing-db' }]);
  assert.equal((await rebootStep({ ...s, needsReboot: false }, deps({ allowReboot: true }))).notes.length, 0, 'nothing to do');
});

test('ship: log group (existing is fine), retention 1 day, subscription to the central destination — in that order', async () => {
  logs.on(CreateLogGroupCommand).rejects(Object.assign(new Error('exists'), { name: 'ResourceAlreadyExistsException' }));
  logs.on(PutRetentionPolicyCommand).resolves({});
  logs.on(PutSubscriptionFilterCommand).resolves({});
  const s = await shipStep({ ...start(), id: 'maria1', kind: 'rds-instance', engine: 'mariadb', ready: true }, deps());
  assert.deepEqual(calls(logs), ['CreateLogGroup', 'PutRetentionPolicy', 'PutSubscriptionFilter']);
  assert.deepEqual(logs.commandCalls(PutRetentionPolicyCommand)[0].args[0].input, { logGroupName: '/aws/rds/instance/maria1/audit', retentionInDays: 1 });
  assert.deepEqual(logs.commandCalls(PutSubscriptionFilterCommand)[0].args[0].input, { logGroupName: '/aws/rds/instance/maria1/audit', filterName: 'auditlake', filterPattern: '', destinationArn: config.destinationArn });
  assert.deepEqual(s.logGroups, ['/aws/rds/instance/maria1/audit']);
  logs.reset();
  logs.on(CreateLogGroupCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
  await assert.rejects(shipStep({ ...start(), id: 'maria1', kind: 'rds-instance', engine: 'mariadb', ready: true }, deps()), /no/);
});

test('verify by effect: no record yet → not verified (waits); a record after enablement → enabled', async () => {
  rds.on(DescribeDBInstancesCommand).resolves(pgInstance('available', 'in-sync', ['postgresql']));
  logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [{ filterName: 'auditlake', destinationArn: config.destinationArn }] });
  logs.on(FilterLogEventsCommand).resolvesOnce({ events: [] }).resolves({ events: [{ message: 'AUDIT: SESSION,1,1,READ,SELECT,,,select 1,<none>', timestamp: NOW.getTime() + 1 }] });
  const s = { ...start(), id: 'billing-db', kind: 'rds-instance' as const, engine: 'postgres', ready: true, enabledAt: NOW.toISOString(), logGroups: ['/aws/rds/instance/billing-db/postgresql'] };
  const wait = await verifyStep(s, deps());
  assert.equal(wait.verified, false);
  assert.equal(wait.outcome, 'unverified');
  assert.match(wait.notes.at(-1)!, /no audit record in \/aws\/rds\/instance\/billing-db\/postgresql since 2026-12-04T12:00:00.000Z/);
  assert.deepEqual(logs.commandCalls(FilterLogEventsCommand)[0].args[0].input, { logGroupName: '/aws/rds/instance/billing-db/postgresql', startTime: NOW.getTime(), limit: 1 });
  const ok = await verifyStep(wait, deps());
  assert.equal(ok.verified, true);
  assert.equal(ok.outcome, 'enabled');
  assert.ok(!ok.notes.some((n) => n.startsWith('waiting: ')), 'the waiting note is replaced');
});

test('verify: pending reboot is reported as such, a missing subscription is named', async () => {
  rds.on(DescribeDBInstancesCommand).resolves(pgInstance('available', 'pending-reboot', ['postgresql']));
  logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
  logs.on(FilterLogEventsCommand).resolves({ events: [] });
  const s = await verifyStep({ ...start(), id: 'billing-db', kind: 'rds-instance', engine: 'postgres', ready: true, enabledAt: NOW.toISOString(), logGroups: ['/aws/rds/instance/billing-db/postgresql'] }, deps());
  assert.equal(s.outcome, 'pending-reboot');
  assert.match(s.notes.at(-1)!, /is not subscribed to arn:aws:logs:eu-west-1:111111111111:destination:auditlake-rds-audit/);
});
