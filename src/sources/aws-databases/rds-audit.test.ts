import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RDSClient } from '@aws-sdk/client-rds';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { createQueryFake, fakeClientConfig } from '../../../test/helpers/aws-query-fake.js';
import { enableRdsAuditing } from './rds-audit.js';
import { enableRedshiftAuditing } from './redshift-audit.js';
import { formatAwsResult } from './aws-change.js';
import { discoverRds } from './discover.js';

/** A tiny RDS: one PostgreSQL instance on the default group, pg_stat_statements preloaded; one MariaDB instance. */
function fakeRds() {
  const groups: Record<string, { family: string; params: Record<string, string> }> = {
    'default.postgres15': { family: 'postgres15', params: { shared_preload_libraries: 'pg_stat_statements', log_connections: '0', 'pgaudit.log': '' } },
  };
  const optionGroups: Record<string, Record<string, string> | null> = {};
  const inst = { pg1: { engine: 'postgres', version: '15.4', pg: 'default.postgres15', og: 'default:postgres-15', exports: [] as string[], apply: 'in-sync' }, maria1: { engine: 'mariadb', version: '10.11.6', pg: 'default.mariadb10.11', og: 'default:mariadb-10-11', exports: [] as string[], apply: 'in-sync' } };
  const xmlInst = (id: keyof typeof inst) => {
    const i = inst[id];
    return `<DBInstance><DBInstanceIdentifier>${id}</DBInstanceIdentifier><Engine>${i.engine}</Engine><EngineVersion>${i.version}</EngineVersion><DBInstanceStatus>available</DBInstanceStatus><MasterUsername>admin</MasterUsername><Endpoint><Address>${id}.abc.eu-west-1.rds.amazonaws.com</Address><Port>${i.engine === 'postgres' ? 5432 : 3306}</Port></Endpoint><DBParameterGroups><DBParameterGroup><DBParameterGroupName>${i.pg}</DBParameterGroupName><ParameterApplyStatus>${i.apply}</ParameterApplyStatus></DBParameterGroup></DBParameterGroups><OptionGroupMemberships><OptionGroupMembership><OptionGroupName>${i.og}</OptionGroupName><Status>in-sync</Status></OptionGroupMembership></OptionGroupMemberships><EnabledCloudwatchLogsExports>${i.exports.map((e) => `<member>${e}</member>`).join('')}</EnabledCloudwatchLogsExports></DBInstance>`;
  };
  return createQueryFake('http://rds.amazonaws.com/doc/2014-10-31/', {
    DescribeDBInstances: (p) => `<DBInstances>${(p.DBInstanceIdentifier ? [p.DBInstanceIdentifier] : Object.keys(inst)).map((id) => xmlInst(id as keyof typeof inst)).join('')}</DBInstances>`,
    DescribeDBParameterGroups: (p) => (groups[p.DBParameterGroupName] ? `<DBParameterGroups><DBParameterGroup><DBParameterGroupName>${p.DBParameterGroupName}</DBParameterGroupName><DBParameterGroupFamily>${groups[p.DBParameterGroupName].family}</DBParameterGroupFamily></DBParameterGroup></DBParameterGroups>` : { error: 'DBParameterGroupNotFound' }),
    CreateDBParameterGroup: (p) => {
      groups[p.DBParameterGroupName] = { family: p.DBParameterGroupFamily, params: { ...groups['default.postgres15'].params } };
      return `<DBParameterGroup><DBParameterGroupName>${p.DBParameterGroupName}</DBParameterGroupName></DBParameterGroup>`;
    },
    DescribeDBParameters: (p) => `<Parameters>${Object.entries(groups[p.DBParameterGroupName].params).map(([k, v]) => `<Parameter><ParameterName>${k}</ParameterName><ParameterValue>${v}</ParameterValue></Parameter>`).join('')}</Parameters>`,
    ModifyDBParameterGroup: (p) => {
      for (let i = 1; p[`Parameters.Parameter.${i}.ParameterName`]; i++) {
        groups[p.DBParameterGroupName].params[p[`Parameters.Parameter.${i}.ParameterName`]] = p[`Parameters.Parameter.${i}.ParameterValue`];
        if (p[`Parameters.Parameter.${i}.ApplyMethod`] === 'pending-reboot') inst.pg1.apply = 'pending-reboot';
      }
      return `<DBParameterGroupName>${p.DBParameterGroupName}</DBParameterGroupName>`;
    },
    ModifyDBInstance: (p) => {
      const i = inst[p.DBInstanceIdentifier as keyof typeof inst];
      if (p.DBParameterGroupName) [i.pg, i.apply] = [p.DBParameterGroupName, 'pending-reboot'];
      if (p.OptionGroupName) i.og = p.OptionGroupName;
      if (p['CloudwatchLogsExportConfiguration.EnableLogTypes.member.1']) i.exports.push(p['CloudwatchLogsExportConfiguration.EnableLogTypes.member.1']);
      return xmlInst(p.DBInstanceIdentifier as keyof typeof inst);
    },
    DescribeOptionGroups: (p) => {
      if (!(p.OptionGroupName in optionGroups)) return { error: 'OptionGroupNotFoundFault' };
      const s = optionGroups[p.OptionGroupName];
      return `<OptionGroupsList><OptionGroup><OptionGroupName>${p.OptionGroupName}</OptionGroupName><Options>${s ? `<Option><OptionName>MARIADB_AUDIT_PLUGIN</OptionName><OptionSettings>${Object.entries(s).map(([k, v]) => `<OptionSetting><Name>${k}</Name><Value>${v}</Value></OptionSetting>`).join('')}</OptionSettings></Option>` : ''}</Options></OptionGroup></OptionGroupsList>`;
    },
    CreateOptionGroup: (p) => {
      optionGroups[p.OptionGroupName] = null;
      return `<OptionGroup><OptionGroupName>${p.OptionGroupName}</OptionGroupName></OptionGroup>`;
    },
    ModifyOptionGroup: (p) => {
      const s: Record<string, string> = {};
      for (let i = 1; p[`OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.${i}.Name`]; i++) s[p[`OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.${i}.Name`]] = p[`OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.${i}.Value`] ?? '';
      optionGroups[p.OptionGroupName] = s;
      return `<OptionGroup><OptionGroupName>${p.OptionGroupName}</OptionGroupName></OptionGroup>`;
    },
  });
}

test('RDS PostgreSQL: custom group attached, pgaudit merged into shared_preload_libraries, pending-reboot reported; idempotent', async () => {
  const fake = fakeRds();
  const rds = new RDSClient({ ...fakeClientConfig, requestHandler: fake.requestHandler });
  const plan = await enableRdsAuditing(rds, 'pg1', { dryRun: true });
  assert.ok(plan.changes.length > 0);
  assert.ok(!fake.calls.some((c) => c.action.startsWith('Modify') || c.action.startsWith('Create')), 'dry run must not modify');
  const r = await enableRdsAuditing(rds, 'pg1');
  const text = formatAwsResult(r);
  assert.match(text, /set DB parameter group: default\.postgres15 -> auditlake-postgres15 \(pending-reboot\)/);
  assert.match(text, /set shared_preload_libraries: pg_stat_statements -> pg_stat_statements,pgaudit \(pending-reboot\)/);
  assert.match(text, /set pgaudit\.log: '' -> ddl,role,read,write,misc_set \(immediate\)/);
  assert.match(text, /set CloudWatch Logs export: none -> postgresql/);
  assert.match(text, /status: parameter group auditlake-postgres15: pending-reboot/);
  assert.match(text, /next: reboot pg1/);
  const mod = fake.calls.find((c) => c.action === 'ModifyDBParameterGroup')!;
  assert.equal(mod.params['Parameters.Parameter.1.ApplyMethod'], 'pending-reboot');
  const again = await enableRdsAuditing(rds, 'pg1');
  assert.deepEqual(again.changes, []);
});

test('RDS MariaDB: option group with MARIADB_AUDIT_PLUGIN, events CONNECT,QUERY,TABLE; idempotent', async () => {
  const fake = fakeRds();
  const rds = new RDSClient({ ...fakeClientConfig, requestHandler: fake.requestHandler });
  const r = await enableRdsAuditing(rds, 'maria1');
  assert.deepEqual(r.changes.map((c) => c.setting), ['option group', 'MARIADB_AUDIT_PLUGIN SERVER_AUDIT_EVENTS', 'MARIADB_AUDIT_PLUGIN SERVER_AUDIT_QUERY_LOG_LIMIT', 'MARIADB_AUDIT_PLUGIN SERVER_AUDIT_EXCL_USERS', 'CloudWatch Logs export']);
  const mod = fake.calls.find((c) => c.action === 'ModifyOptionGroup')!;
  assert.equal(mod.params['OptionsToInclude.OptionConfiguration.1.OptionName'], 'MARIADB_AUDIT_PLUGIN');
  assert.equal(mod.params['OptionsToInclude.OptionConfiguration.1.OptionSettings.OptionSetting.1.Value'], 'CONNECT,QUERY,TABLE');
  assert.deepEqual((await enableRdsAuditing(rds, 'maria1')).changes, []);
});

test('discovery: DescribeDBInstances → fleet entries from the URL template', async () => {
  const fake = fakeRds();
  const rds = new RDSClient({ ...fakeClientConfig, requestHandler: fake.requestHandler });
  const found = await discoverRds({ type: 'rds', region: 'eu-west-1', passwordEnv: 'RDS_PW' }, rds);
  assert.deepEqual(found.map((f) => [f.name, f.url]), [
    ['rds-pg1', 'postgres://admin@pg1.abc.eu-west-1.rds.amazonaws.com:5432/postgres'],
    ['rds-maria1', 'mariadb://admin@maria1.abc.eu-west-1.rds.amazonaws.com:3306/'],
  ]);
});

test('Redshift: EnableLogging + enable_user_activity_logging (static → pending-reboot); idempotent', async () => {
  let logging = false;
  let group = 'default.redshift-1.0';
  let apply = 'in-sync';
  let ual = 'false';
  const fake = createQueryFake('http://redshift.amazonaws.com/doc/2012-12-01/', {
    DescribeClusters: () => `<Clusters><Cluster><ClusterIdentifier>rs1</ClusterIdentifier><ClusterStatus>available</ClusterStatus><ClusterParameterGroups><ClusterParameterGroup><ParameterGroupName>${group}</ParameterGroupName><ParameterApplyStatus>${apply}</ParameterApplyStatus></ClusterParameterGroup></ClusterParameterGroups></Cluster></Clusters>`,
    DescribeLoggingStatus: () => `<LoggingEnabled>${logging}</LoggingEnabled>${logging ? '<BucketName>audit-bucket</BucketName><S3KeyPrefix>rs/</S3KeyPrefix><LogDestinationType>s3</LogDestinationType>' : ''}`,
    EnableLogging: () => {
      logging = true;
      return '<LoggingEnabled>true</LoggingEnabled>';
    },
    CreateClusterParameterGroup: () => '<ClusterParameterGroup><ParameterGroupName>auditlake-redshift-1-0</ParameterGroupName></ClusterParameterGroup>',
    ModifyCluster: (p) => {
      group = p.ClusterParameterGroupName;
      apply = 'pending-reboot';
      return '<Cluster><ClusterIdentifier>rs1</ClusterIdentifier></Cluster>';
    },
    DescribeClusterParameters: () => `<Parameters><Parameter><ParameterName>enable_user_activity_logging</ParameterName><ParameterValue>${ual}</ParameterValue></Parameter></Parameters>`,
    ModifyClusterParameterGroup: (p) => {
      ual = p['Parameters.Parameter.1.ParameterValue'];
      return `<ParameterGroupName>${p.ParameterGroupName}</ParameterGroupName><ParameterGroupStatus>Your parameter group has been updated</ParameterGroupStatus>`;
    },
  });
  const rs = new RedshiftClient({ ...fakeClientConfig, requestHandler: fake.requestHandler });
  const r = await enableRedshiftAuditing(rs, 'rs1', { bucket: 'audit-bucket', prefix: 'rs/' });
  const text = formatAwsResult(r);
  assert.match(text, /set audit logging: off -> s3:\/\/audit-bucket\/rs\/ \(immediate\)/);
  assert.match(text, /set enable_user_activity_logging: false -> true \(pending-reboot\)/);
  assert.match(text, /status: parameter group auditlake-redshift-1-0: pending-reboot/);
  assert.equal(fake.calls.find((c) => c.action === 'EnableLogging')?.params.BucketName, 'audit-bucket');
  assert.deepEqual((await enableRedshiftAuditing(rs, 'rs1', { bucket: 'audit-bucket', prefix: 'rs/' })).changes, []);
});
