import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { mockClient } from 'aws-sdk-client-mock';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeSubscriptionFiltersCommand, FilterLogEventsCommand, PutRetentionPolicyCommand, PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateDBClusterParameterGroupCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBClusterParameterGroupCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from './config.js';
import { readConfig } from './config.js';
import { configureStep } from './configure.js';
import { describeStep } from './describe.js';
import { readMasterLogin } from './master-secret.js';
import { rebootStep } from './reboot.js';
import { PGAUDIT_SQL, setupStep, type SqlRunner } from './setup.js';
import { shipStep } from './ship.js';
import type { EnableState } from './state.js';
import type { StepDeps } from './step-handler.js';
import { verifyStep } from './verify.js';

const rds = mockClient(RDSClient);
const logs = mockClient(CloudWatchLogsClient);
const sm = mockClient(SecretsManagerClient);
const region = 'eu-west-1';
const PASSWORD = 'pw-9f3c1e77-never-logged';
const MANAGED = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:rds!cluster-1a2b3c-AbCdEf';
const config: Config = { memberRoleName: 'auditlake-member-eu-west-1', destinationArn: 'arn:aws:logs:eu-west-1:111111111111:destination:auditlake-rds-audit', landingBucket: 'auditlake-landing-111111111111-eu-west-1', redshiftPrefix: 'redshift/', allowReboot: true, logRetentionDays: 1, masterSecretArns: {}, inDatabaseSetup: true };
const NOW = new Date('2026-12-04T12:00:00Z');
const deps = (over: Partial<Config> = {}, sql?: SqlRunner): StepDeps => ({ clients: { rds: new RDSClient({ region }), redshift: new RedshiftClient({ region }), logs: new CloudWatchLogsClient({ region }), secrets: new SecretsManagerClient({ region }) }, config: { ...config, ...over }, now: () => NOW, sql });
const state = (over: Partial<EnableState> = {}): EnableState => ({ account: '222222222222', region, id: 'orders', eventName: 'CreateDBCluster', requestParameters: { dBClusterIdentifier: 'Orders' }, kind: 'rds-cluster', engine: 'aurora-postgresql', attempt: 0, ready: true, verified: false, outcome: 'started', notes: [], ...over });
const cluster = (over: Record<string, unknown> = {}) => ({ DBClusters: [{ DBClusterIdentifier: 'orders', Status: 'available', Engine: 'aurora-postgresql', DBClusterParameterGroup: 'default.aurora-postgresql16', Endpoint: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com', Port: 5432, MasterUserSecret: { SecretArn: MANAGED }, EnabledCloudwatchLogsExports: [], DBClusterMembers: [{ DBInstanceIdentifier: 'orders-2', IsClusterWriter: false, DBClusterParameterGroupStatus: 'pending-reboot' }, { DBInstanceIdentifier: 'orders-1', IsClusterWriter: true, DBClusterParameterGroupStatus: 'pending-reboot' }], ...over }] });
const calls = (m: ReturnType<typeof mockClient>) => m.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
const notFound = (name: string) => Object.assign(new Error('not found'), { name });

beforeEach(() => {
  rds.reset();
  logs.reset();
  sm.reset();
});

test('describe: CreateDBCluster of Aurora waits for available, then is ready (no longer skipped); a plain Multi-AZ cluster is skipped', async () => {
  rds.on(DescribeDBClustersCommand).resolvesOnce(cluster({ Status: 'creating' })).resolves(cluster());
  const s1 = await describeStep(state({ id: 'event-1', kind: undefined, engine: 'unknown', ready: false }), deps());
  assert.deepEqual([s1.kind, s1.id, s1.ready, s1.outcome], ['rds-cluster', 'orders', false, 'started']);
  const s2 = await describeStep(s1, deps());
  assert.deepEqual([s2.ready, s2.engine], [true, 'aurora-postgresql']);
  rds.on(DescribeDBClustersCommand).resolves(cluster({ Engine: 'postgres' }));
  assert.equal((await describeStep(s1, deps())).outcome, 'skipped');
});

test('configure Aurora PostgreSQL on a default group: exact API sequence, pgaudit merged into the preload, group attached, export on', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster());
  rds.on(DescribeDBClusterParameterGroupsCommand, { DBClusterParameterGroupName: 'default.aurora-postgresql16' }).resolves({ DBClusterParameterGroups: [{ DBClusterParameterGroupName: 'default.aurora-postgresql16', DBParameterGroupFamily: 'aurora-postgresql16' }] });
  rds.on(DescribeDBClusterParameterGroupsCommand, { DBClusterParameterGroupName: 'auditlake-aurora-postgresql16' }).rejects(notFound('DBParameterGroupNotFoundFault'));
  rds.on(CreateDBClusterParameterGroupCommand).resolves({});
  rds.on(DescribeDBClusterParametersCommand).resolvesOnce({ Parameters: [{ ParameterName: 'shared_preload_libraries', ParameterValue: 'pg_stat_statements' }], Marker: 'm1' }).resolves({ Parameters: [{ ParameterName: 'pgaudit.log_catalog', ParameterValue: '0' }] });
  rds.on(ModifyDBClusterParameterGroupCommand).resolves({});
  rds.on(ModifyDBClusterCommand).resolves({});
  const s = await configureStep(state(), deps());
  assert.deepEqual(calls(rds), ['DescribeDBClusters', 'DescribeDBClusterParameterGroups', 'DescribeDBClusterParameterGroups', 'CreateDBClusterParameterGroup', 'DescribeDBClusterParameters', 'DescribeDBClusterParameters', 'ModifyDBClusterParameterGroup', 'ModifyDBCluster']);
  assert.deepEqual(rds.commandCalls(CreateDBClusterParameterGroupCommand)[0].args[0].input, { DBClusterParameterGroupName: 'auditlake-aurora-postgresql16', DBParameterGroupFamily: 'aurora-postgresql16', Description: 'auditlake: database audit log on' });
  assert.equal(rds.commandCalls(DescribeDBClusterParametersCommand)[1].args[0].input.Marker, 'm1', 'all pages read');
  assert.deepEqual(rds.commandCalls(ModifyDBClusterParameterGroupCommand)[0].args[0].input, {
    DBClusterParameterGroupName: 'auditlake-aurora-postgresql16',
    Parameters: [
      { ParameterName: 'shared_preload_libraries', ParameterValue: 'pg_stat_statements,pgaudit', ApplyMethod: 'pending-reboot' },
      { ParameterName: 'pgaudit.log', ParameterValue: 'ddl,role,read,write,misc_set', ApplyMethod: 'immediate' },
      { ParameterName: 'pgaudit.role', ParameterValue: 'rds_pgaudit', ApplyMethod: 'immediate' },
    ],
  });
  assert.deepEqual(rds.commandCalls(ModifyDBClusterCommand)[0].args[0].input, { DBClusterIdentifier: 'orders', DBClusterParameterGroupName: 'auditlake-aurora-postgresql16', CloudwatchLogsExportConfiguration: { EnableLogTypes: ['postgresql'] }, ApplyImmediately: true });
  assert.equal(s.needsReboot, true);
});

test('configure Aurora MySQL on its own custom group: no new group, server_audit_* set, only the export is switched on', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster({ Engine: 'aurora-mysql', DBClusterParameterGroup: 'shop-mysql80' }));
  rds.on(DescribeDBClusterParameterGroupsCommand).resolves({ DBClusterParameterGroups: [{ DBClusterParameterGroupName: 'shop-mysql80', DBParameterGroupFamily: 'aurora-mysql8.0' }] });
  rds.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [{ ParameterName: 'server_audit_logging', ParameterValue: '0' }] });
  rds.on(ModifyDBClusterParameterGroupCommand).resolves({});
  rds.on(ModifyDBClusterCommand).resolves({});
  const s = await configureStep(state({ engine: 'aurora-mysql' }), deps());
  assert.deepEqual(calls(rds), ['DescribeDBClusters', 'DescribeDBClusterParameterGroups', 'DescribeDBClusterParameters', 'ModifyDBClusterParameterGroup', 'ModifyDBCluster']);
  assert.deepEqual(rds.commandCalls(ModifyDBClusterParameterGroupCommand)[0].args[0].input.Parameters?.map((p) => [p.ParameterName, p.ParameterValue, p.ApplyMethod]), [
    ['server_audit_logging', '1', 'immediate'], ['server_audit_events', 'CONNECT,QUERY_DCL,QUERY_DDL,QUERY_DML,TABLE', 'immediate'], ['server_audit_logs_upload', '1', 'immediate'],
  ]);
  assert.deepEqual(rds.commandCalls(ModifyDBClusterCommand)[0].args[0].input, { DBClusterIdentifier: 'orders', CloudwatchLogsExportConfiguration: { EnableLogTypes: ['audit'] }, ApplyImmediately: true });
  assert.equal(s.needsReboot, false, 'dynamic parameters on the attached group: no reboot');
});

test('configure Aurora: cluster parameter group in use → retryable GroupBusy', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster({ DBClusterParameterGroup: 'auditlake-aurora-postgresql16' }));
  rds.on(DescribeDBClusterParameterGroupsCommand).resolves({ DBClusterParameterGroups: [{ DBParameterGroupFamily: 'aurora-postgresql16' }] });
  rds.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [] });
  rds.on(ModifyDBClusterParameterGroupCommand).rejects(notFound('InvalidDBParameterGroupStateFault'));
  await assert.rejects(configureStep(state(), deps()), (e: Error) => e.name === 'Auditlake.GroupBusy');
});

test('reboot Aurora: every member instance, writer first; ship and verify use the cluster log group', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster());
  rds.on(RebootDBInstanceCommand).resolves({});
  await rebootStep(state({ needsReboot: true }), deps());
  assert.deepEqual(rds.commandCalls(RebootDBInstanceCommand).map((c) => c.args[0].input.DBInstanceIdentifier), ['orders-1', 'orders-2']);
  logs.on(CreateLogGroupCommand).resolves({});
  logs.on(PutRetentionPolicyCommand).resolves({});
  logs.on(PutSubscriptionFilterCommand).resolves({});
  const shipped = await shipStep(state(), deps());
  assert.deepEqual(shipped.logGroups, ['/aws/rds/cluster/orders/postgresql']);
  assert.deepEqual(calls(logs), ['CreateLogGroup', 'PutRetentionPolicy', 'PutSubscriptionFilter']);
  logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [{ filterName: 'auditlake', destinationArn: config.destinationArn }] });
  logs.on(FilterLogEventsCommand).resolves({ events: [{ message: 'AUDIT: SESSION,1,1,DDL,CREATE TABLE', timestamp: NOW.getTime() + 5 }] });
  const waiting = await verifyStep({ ...shipped, enabledAt: NOW.toISOString() }, deps());
  assert.equal(waiting.verified, false);
  assert.match(waiting.notes.at(-1)!, /CloudWatch Logs export of postgresql is off; instance orders-2: cluster parameter group is pending-reboot/);
  rds.on(DescribeDBClustersCommand).resolves(cluster({ EnabledCloudwatchLogsExports: ['postgresql'], DBClusterMembers: [{ DBInstanceIdentifier: 'orders-1', DBClusterParameterGroupStatus: 'in-sync' }] }));
  assert.equal((await verifyStep(waiting, deps())).outcome, 'enabled');
});

test('setup: reads the RDS-managed master secret, runs the pgaudit SQL as the master user; the password is nowhere in the state', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster());
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'postgres', password: PASSWORD }) });
  const ran: unknown[] = [];
  const sql: SqlRunner = async (target, login, statements) => {
    ran.push({ target, user: login.username, password: login.password, statements });
  };
  const s = await setupStep(state(), deps({}, sql));
  assert.deepEqual(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input), [{ SecretId: MANAGED }]);
  assert.deepEqual(ran, [{ target: { host: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com', port: 5432, database: 'postgres', secretArn: MANAGED }, user: 'postgres', password: PASSWORD, statements: PGAUDIT_SQL }]);
  assert.match(s.notes.at(-1)!, /pgaudit role and extension created as postgres/);
  assert.ok(!JSON.stringify(s).includes(PASSWORD));
  const login = await readMasterLogin(new SecretsManagerClient({ region }), MANAGED);
  assert.ok(!JSON.stringify(login).includes(PASSWORD) && !inspect(login).includes(PASSWORD) && !JSON.stringify({ ...login }).includes(PASSWORD), 'the login never prints its password');
});

test('setup: a configured secret ARN for an instance without a managed one; a driver error echoing the password is scrubbed', async () => {
  const configured = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:billing-master-XyZ';
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'billing-db', Engine: 'postgres', Endpoint: { Address: 'billing.abc.eu-west-1.rds.amazonaws.com', Port: 5433 } }] });
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const failing: SqlRunner = async (_t, login) => {
    throw new Error(`password authentication failed for user "${login.username}" (password ${login.password})`);
  };
  const s = await setupStep(state({ kind: 'rds-instance', id: 'billing-db', engine: 'postgres' }), deps({ masterSecretArns: { '222222222222/eu-west-1/billing-db': configured } }, failing));
  assert.equal(sm.commandCalls(GetSecretValueCommand)[0].args[0].input.SecretId, configured);
  assert.match(s.notes.at(-1)!, /in-database setup failed \(password authentication failed for user "admin" \(password \*\*\*\)\): inside the database/);
  assert.ok(!JSON.stringify(s).includes(PASSWORD));
  const unreachable: SqlRunner = async () => {
    throw Object.assign(new Error('connect ETIMEDOUT 10.0.3.4:5433'), { code: 'ETIMEDOUT' });
  };
  const u = await setupStep(state({ kind: 'rds-instance', id: 'billing-db', engine: 'postgres' }), deps({ masterSecretArns: { 'billing-db': configured } }, unreachable));
  assert.match(u.notes.at(-1)!, /billing.abc.eu-west-1.rds.amazonaws.com:5433 not reachable from the central workflow .*CREATE EXTENSION IF NOT EXISTS pgaudit/);
});

test('setup failure paths: secret missing, access denied, not the RDS format → errors naming the secret, never its value; no SQL run', async () => {
  rds.on(DescribeDBClustersCommand).resolves(cluster());
  let ran = 0;
  const sql: SqlRunner = async () => {
    ran++;
  };
  sm.on(GetSecretValueCommand).rejects(notFound('ResourceNotFoundException'));
  await assert.rejects(setupStep(state(), deps({}, sql)), (e: Error & { code?: string }) => e.code === 'E_NOT_FOUND' && e.message.includes(MANAGED));
  sm.on(GetSecretValueCommand).rejects(notFound('AccessDeniedException'));
  await assert.rejects(setupStep(state(), deps({}, sql)), (e: Error & { code?: string }) => e.code === 'E_FORBIDDEN' && /auditlake-access=master-secret/.test(e.message));
  sm.on(GetSecretValueCommand).resolves({ SecretString: `not json ${PASSWORD}` });
  await assert.rejects(setupStep(state(), deps({}, sql)), (e: Error & { code?: string }) => e.code === 'E_PARSE' && !e.message.includes(PASSWORD));
  assert.equal(ran, 0);
});

test('setup is skipped with the SQL as a note: pending reboot, no secret known, in-database setup off, non-PostgreSQL engines', async () => {
  assert.match((await setupStep(state({ needsReboot: true }), deps())).notes.at(-1)!, /not preloaded until the reboot/);
  assert.equal(rds.calls().length, 0);
  rds.on(DescribeDBClustersCommand).resolves(cluster({ MasterUserSecret: undefined }));
  assert.match((await setupStep(state(), deps({}, async () => undefined))).notes.at(-1)!, /no master secret known/);
  rds.on(DescribeDBClustersCommand).resolves(cluster());
  assert.match((await setupStep(state(), deps())).notes.at(-1)!, /IN_DATABASE_SETUP=false/);
  assert.equal(sm.calls().length, 0, 'the secret is not read when nothing would use it');
  const my = state({ engine: 'aurora-mysql' });
  assert.equal(await setupStep(my, deps()), my);
});

test('config: MASTER_SECRET_ARNS must be a JSON object of ARNs', () => {
  const base = { MEMBER_ROLE_NAME: 'r', LOGS_DESTINATION_ARN: 'arn:d', LANDING_BUCKET: 'b' };
  assert.deepEqual(readConfig({ ...base, MASTER_SECRET_ARNS: '{"db1":"arn:aws:secretsmanager:eu-west-1:1:secret:x"}' }).masterSecretArns, { db1: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' });
  assert.throws(() => readConfig({ ...base, MASTER_SECRET_ARNS: '{"db1":"hunter2"}' }), /MASTER_SECRET_ARNS.db1: not a secret ARN/);
  assert.throws(() => readConfig({ ...base, MASTER_SECRET_ARNS: '[' }), /not JSON/);
});
