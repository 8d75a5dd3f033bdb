import {
  CreateDBClusterParameterGroupCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterCommand,
  ModifyDBClusterParameterGroupCommand,
  type DBCluster,
  type Parameter,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { AuditlakeError } from '../../../core/errors.js';

/** Aurora engines the workflow switches auditing on for; others are skipped with a reason. */
export const AURORA_ENGINES = /^aurora-(postgresql|mysql)$/;

export async function describeCluster(rds: RDSClient, id: string): Promise<DBCluster | undefined> {
  return (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
}

/** The log type an Aurora engine exports its audit log as (and the CloudWatch group suffix). */
export const auroraLogType = (engine: string) => (engine === 'aurora-postgresql' ? 'postgresql' : 'audit');

/** What the cluster parameter group must say: pgaudit (aurora-postgresql) or the Advanced Auditing server_audit_* parameters (aurora-mysql). */
function wanted(engine: string, current: Map<string, Parameter>): Array<[string, string, 'immediate' | 'pending-reboot']> {
  if (engine === 'aurora-postgresql') {
    const spl = (current.get('shared_preload_libraries')?.ParameterValue ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    return [
      ['shared_preload_libraries', spl.includes('pgaudit') ? spl.join(',') : [...spl, 'pgaudit'].join(','), 'pending-reboot'],
      ['pgaudit.log', 'ddl,role,read,write,misc_set', 'immediate'],
      ['pgaudit.log_catalog', '0', 'immediate'],
      ['pgaudit.role', 'rds_pgaudit', 'immediate'],
    ];
  }
  // Aurora MySQL Advanced Auditing: dynamic parameters; QUERY_DCL/QUERY_DDL carry ALTER USER / GRANT / CREATE.
  return [
    ['server_audit_logging', '1', 'immediate'],
    ['server_audit_events', 'CONNECT,QUERY_DCL,QUERY_DDL,QUERY_DML,TABLE', 'immediate'],
    ['server_audit_logs_upload', '1', 'immediate'],
  ];
}

export interface ClusterChange {
  group: string;
  notes: string[];
  needsReboot: boolean;
}

/**
 * Aurora keeps audit settings in the DB *cluster* parameter group. A `default.*` group cannot be modified, so a copy
 * `auditlake-<family>` is created and attached (attaching a new group takes effect at the next reboot of the
 * instances, as does pgaudit's preload); the parameters are merged, never replaced; the audit log is exported to
 * CloudWatch Logs. Calls in order: DescribeDBClusters, DescribeDBClusterParameterGroups (current), [Describe +
 * Create auditlake group], DescribeDBClusterParameters (pages), ModifyDBClusterParameterGroup, ModifyDBCluster.
 */
export async function configureCluster(rds: RDSClient, id: string): Promise<ClusterChange> {
  const cl = await describeCluster(rds, id);
  if (!cl) throw new AuditlakeError('E_NOT_FOUND', `configure: cluster ${id} disappeared`);
  const engine = cl.Engine ?? '';
  if (!AURORA_ENGINES.test(engine)) throw new AuditlakeError('E_USAGE', `configure: cluster ${id}: engine ${engine} is not aurora-postgresql or aurora-mysql`);
  const currentName = cl.DBClusterParameterGroup ?? '';
  const cur = (await rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: currentName }))).DBClusterParameterGroups?.[0];
  const family = cur?.DBParameterGroupFamily;
  if (!family) throw new AuditlakeError('E_NOT_FOUND', `configure: cluster ${id}: parameter group ${currentName} has no family`);
  const group = currentName.startsWith('default.') ? `auditlake-${family.replace(/\./g, '-')}` : currentName;
  const notes: string[] = [];
  if (group !== currentName) {
    const exists = await rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: group })).then(() => true, (e: Error) => (e.name === 'DBParameterGroupNotFoundFault' ? false : Promise.reject(e)));
    if (!exists) await rds.send(new CreateDBClusterParameterGroupCommand({ DBClusterParameterGroupName: group, DBParameterGroupFamily: family, Description: 'auditlake: database audit log on' }));
    notes.push(`cluster parameter group: ${currentName} -> ${group}`);
  }
  const current = new Map<string, Parameter>();
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group, Marker: marker }));
    for (const p of page.Parameters ?? []) if (p.ParameterName) current.set(p.ParameterName, p);
    marker = page.Marker;
  } while (marker);
  const changes = wanted(engine, current).filter(([name, value]) => current.get(name)?.ParameterValue !== value);
  if (changes.length) {
    await rds.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: group, Parameters: changes.map(([ParameterName, ParameterValue, ApplyMethod]) => ({ ParameterName, ParameterValue, ApplyMethod })) }));
    for (const [name, value, method] of changes) notes.push(`${name}: ${current.get(name)?.ParameterValue || "''"} -> ${value} (${method})`);
  }
  const logType = auroraLogType(engine);
  const exportOn = (cl.EnabledCloudwatchLogsExports ?? []).includes(logType);
  if (group !== currentName || !exportOn) {
    await rds.send(new ModifyDBClusterCommand({
      DBClusterIdentifier: id,
      ...(group !== currentName ? { DBClusterParameterGroupName: group } : {}),
      ...(!exportOn ? { CloudwatchLogsExportConfiguration: { EnableLogTypes: [logType] } } : {}),
      ApplyImmediately: true,
    }));
    if (!exportOn) notes.push(`CloudWatch Logs export: ${logType}`);
  }
  const needsReboot = group !== currentName || changes.some(([, , m]) => m === 'pending-reboot');
  return { group, notes, needsReboot };
}
