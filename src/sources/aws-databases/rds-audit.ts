import {
  CreateDBParameterGroupCommand,
  CreateOptionGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBParametersCommand,
  DescribeOptionGroupsCommand,
  ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand,
  ModifyOptionGroupCommand,
  type DBInstance,
  type Parameter,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { AuditlakeError } from '../../core/errors.js';
import type { AwsEnableResult } from './aws-change.js';

export interface RdsEnableOptions {
  pgauditLog?: string;
  dryRun?: boolean;
}

const PG_ENGINES = new Set(['postgres']);
const MY_ENGINES = new Set(['mysql', 'mariadb']);

/**
 * Enables audit logging on an RDS instance through the API: PostgreSQL → a custom DB parameter group (a copy is
 * attached when the instance uses a `default.*` group, which cannot be modified) with pgaudit preloaded — merged
 * into the existing shared_preload_libraries, not replacing it — and the logging settings; MySQL/MariaDB → a custom
 * option group with MARIADB_AUDIT_PLUGIN (events CONNECT,QUERY,TABLE: QUERY is what logs ALTER USER / SET
 * PASSWORD). Both export their log to CloudWatch Logs. Static parameters are reported as `pending-reboot`, with the
 * status RDS itself reports afterwards; enable never reboots a database.
 */
export async function enableRdsAuditing(rds: RDSClient, instanceId: string, o: RdsEnableOptions = {}): Promise<AwsEnableResult> {
  const inst = await describe(rds, instanceId);
  const engine = inst.Engine ?? '';
  const res: AwsEnableResult = { resource: instanceId, engine, dryRun: !!o.dryRun, changes: [], status: [], nextSteps: [] };
  if (PG_ENGINES.has(engine)) await enablePg(rds, inst, o, res);
  else if (MY_ENGINES.has(engine)) await enableMy(rds, inst, o, res);
  else throw new AuditlakeError('E_USAGE', `rds ${instanceId}: engine ${engine} is not supported (postgres, mysql, mariadb; Aurora uses cluster parameter groups)`);

  const logType = PG_ENGINES.has(engine) ? 'postgresql' : 'audit';
  const exported = inst.EnabledCloudwatchLogsExports ?? [];
  if (!exported.includes(logType)) {
    res.changes.push({ resource: instanceId, setting: 'CloudWatch Logs export', from: exported.join(',') || 'none', to: [...exported, logType].join(','), applyMethod: 'immediate', applied: !o.dryRun });
    if (!o.dryRun) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: instanceId, CloudwatchLogsExportConfiguration: { EnableLogTypes: [logType] }, ApplyImmediately: true }));
  }
  if (!o.dryRun && res.changes.length) {
    const after = await describe(rds, instanceId);
    for (const g of after.DBParameterGroups ?? []) res.status.push(`parameter group ${g.DBParameterGroupName}: ${g.ParameterApplyStatus}`);
    for (const g of after.OptionGroupMemberships ?? []) res.status.push(`option group ${g.OptionGroupName}: ${g.Status}`);
    if (after.PendingModifiedValues && Object.keys(after.PendingModifiedValues).length) res.status.push(`pending modifications: ${JSON.stringify(after.PendingModifiedValues)}`);
    if ((after.DBParameterGroups ?? []).some((g) => g.ParameterApplyStatus === 'pending-reboot')) res.nextSteps.push(`reboot ${instanceId} (aws rds reboot-db-instance --db-instance-identifier ${instanceId}) in a maintenance window: until then the pending-reboot settings are NOT active`);
  }
  return res;
}

async function describe(rds: RDSClient, id: string): Promise<DBInstance> {
  const r = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  const inst = r.DBInstances?.[0];
  if (!inst) throw new AuditlakeError('E_NOT_FOUND', `rds ${id}: no such DB instance`);
  return inst;
}

async function enablePg(rds: RDSClient, inst: DBInstance, o: RdsEnableOptions, res: AwsEnableResult): Promise<void> {
  const id = inst.DBInstanceIdentifier!;
  let group = inst.DBParameterGroups?.[0]?.DBParameterGroupName ?? '';
  const g = (await rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: group }))).DBParameterGroups?.[0];
  const family = g?.DBParameterGroupFamily ?? '';
  if (group.startsWith('default.')) {
    // default groups cannot be modified: create (once) and attach an auditlake group of the same family
    const mine = `auditlake-${family.replace(/[^A-Za-z0-9-]/g, '-')}`;
    const exists = await rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: mine })).then(() => true, (e: Error) => (e.name === 'DBParameterGroupNotFoundFault' ? false : Promise.reject(e)));
    if (!exists && !o.dryRun) await rds.send(new CreateDBParameterGroupCommand({ DBParameterGroupName: mine, DBParameterGroupFamily: family, Description: 'auditlake: pgaudit and connection logging' }));
    res.changes.push({ resource: id, setting: 'DB parameter group', from: group, to: mine, applyMethod: 'pending-reboot', applied: !o.dryRun });
    if (!o.dryRun) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBParameterGroupName: mine, ApplyImmediately: true }));
    group = mine;
  }
  const current = new Map<string, Parameter>();
  let marker: string | undefined;
  if (!(o.dryRun && group.startsWith('auditlake-') && group !== inst.DBParameterGroups?.[0]?.DBParameterGroupName)) {
    do {
      const page = await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, Marker: marker }));
      for (const p of page.Parameters ?? []) if (p.ParameterName) current.set(p.ParameterName, p);
      marker = page.Marker;
    } while (marker);
  }
  const spl = (current.get('shared_preload_libraries')?.ParameterValue ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const want: Array<[string, string, 'immediate' | 'pending-reboot']> = [
    ['shared_preload_libraries', spl.includes('pgaudit') ? spl.join(',') : [...spl, 'pgaudit'].join(','), 'pending-reboot'],
    ['pgaudit.log', o.pgauditLog ?? 'ddl,role,read,write,misc_set', 'immediate'],
    ['pgaudit.log_catalog', '0', 'immediate'],
    ['pgaudit.role', 'rds_pgaudit', 'immediate'],
    ['log_connections', '1', 'immediate'],
    ['log_disconnections', '1', 'immediate'],
    ['log_statement', 'none', 'immediate'],
    ['log_min_error_statement', 'panic', 'immediate'],
  ];
  const changes: Parameter[] = [];
  for (const [name, value, method] of want) {
    const now = current.get(name)?.ParameterValue ?? '';
    if (now === value) continue;
    res.changes.push({ resource: `${id} (${group})`, setting: name, from: now, to: value, applyMethod: method, applied: !o.dryRun });
    changes.push({ ParameterName: name, ParameterValue: value, ApplyMethod: method });
  }
  if (!o.dryRun && changes.length) await rds.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: group, Parameters: changes }));
  res.nextSteps.push(`inside the database, as the master user: CREATE ROLE rds_pgaudit; CREATE EXTENSION pgaudit; — or run: auditlake enable postgres://<master>@${inst.Endpoint?.Address ?? id}:${inst.Endpoint?.Port ?? 5432}/postgres (it verifies with a canary)`);
}

async function enableMy(rds: RDSClient, inst: DBInstance, o: RdsEnableOptions, res: AwsEnableResult): Promise<void> {
  const id = inst.DBInstanceIdentifier!;
  const engine = inst.Engine!;
  const major = (inst.EngineVersion ?? '').split('.').slice(0, 2).join('.');
  let group = inst.OptionGroupMemberships?.[0]?.OptionGroupName ?? '';
  if (group === '' || group.startsWith('default:')) {
    const mine = `auditlake-${engine}-${major.replace('.', '-')}`;
    const exists = await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: mine })).then(() => true, (e: Error) => (e.name === 'OptionGroupNotFoundFault' ? false : Promise.reject(e)));
    if (!exists && !o.dryRun) await rds.send(new CreateOptionGroupCommand({ OptionGroupName: mine, EngineName: engine, MajorEngineVersion: major, OptionGroupDescription: 'auditlake: MariaDB audit plugin' }));
    res.changes.push({ resource: id, setting: 'option group', from: group || 'none', to: mine, applyMethod: 'immediate', applied: !o.dryRun });
    if (!o.dryRun) await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, OptionGroupName: mine, ApplyImmediately: true }));
    group = mine;
  }
  const og = o.dryRun && group !== inst.OptionGroupMemberships?.[0]?.OptionGroupName ? undefined : (await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: group }))).OptionGroupsList?.[0];
  const opt = og?.Options?.find((x) => x.OptionName === 'MARIADB_AUDIT_PLUGIN');
  const settings = new Map((opt?.OptionSettings ?? []).map((s) => [s.Name ?? '', s.Value ?? '']));
  const want: Array<[string, string]> = [
    ['SERVER_AUDIT_EVENTS', 'CONNECT,QUERY,TABLE'],
    ['SERVER_AUDIT_QUERY_LOG_LIMIT', '65536'],
    ['SERVER_AUDIT_EXCL_USERS', ''],
  ];
  const diff = want.filter(([k, v]) => !opt || (settings.get(k) ?? '') !== v);
  if (diff.length) {
    for (const [k, v] of diff) res.changes.push({ resource: `${id} (${group})`, setting: `MARIADB_AUDIT_PLUGIN ${k}`, from: opt ? settings.get(k) ?? '' : 'option absent', to: v, applyMethod: 'immediate', applied: !o.dryRun });
    if (!o.dryRun) {
      await rds.send(new ModifyOptionGroupCommand({ OptionGroupName: group, ApplyImmediately: true, OptionsToInclude: [{ OptionName: 'MARIADB_AUDIT_PLUGIN', OptionSettings: want.map(([Name, Value]) => ({ Name, Value })) }] }));
    }
  }
}
