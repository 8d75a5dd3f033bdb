import {
  CreateClusterParameterGroupCommand,
  DescribeClusterParametersCommand,
  DescribeClustersCommand,
  DescribeLoggingStatusCommand,
  EnableLoggingCommand,
  ModifyClusterCommand,
  ModifyClusterParameterGroupCommand,
  type Cluster,
  type RedshiftClient,
} from '@aws-sdk/client-redshift';
import { AuditlakeError } from '../../core/errors.js';
import type { AwsEnableResult } from './aws-change.js';

export interface RedshiftEnableOptions {
  /** S3 bucket for the audit files; absent = CloudWatch Logs. */
  bucket?: string;
  prefix?: string;
  dryRun?: boolean;
}

/**
 * Redshift audit logging: `EnableLogging` (connection, user and — with the parameter — user activity log) and
 * `enable_user_activity_logging = true` in a custom cluster parameter group (static: the cluster reports
 * `pending-reboot` until it is rebooted, which enable never does).
 */
export async function enableRedshiftAuditing(rs: RedshiftClient, clusterId: string, o: RedshiftEnableOptions = {}): Promise<AwsEnableResult> {
  const c = await describe(rs, clusterId);
  const res: AwsEnableResult = { resource: clusterId, engine: 'redshift', dryRun: !!o.dryRun, changes: [], status: [], nextSteps: [] };
  const ls = await rs.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: clusterId }));
  const dest = o.bucket ? `s3://${o.bucket}/${o.prefix ?? ''}` : 'cloudwatch';
  const now = ls.LoggingEnabled ? (ls.LogDestinationType === 'cloudwatch' ? 'cloudwatch' : `s3://${ls.BucketName}/${ls.S3KeyPrefix ?? ''}`) : 'off';
  if (now !== dest) {
    res.changes.push({ resource: clusterId, setting: 'audit logging', from: now, to: dest, applyMethod: 'immediate', applied: !o.dryRun });
    if (!o.dryRun) {
      await rs.send(
        new EnableLoggingCommand(
          o.bucket
            ? { ClusterIdentifier: clusterId, BucketName: o.bucket, S3KeyPrefix: o.prefix, LogDestinationType: 's3' }
            : { ClusterIdentifier: clusterId, LogDestinationType: 'cloudwatch', LogExports: ['connectionlog', 'userlog', 'useractivitylog'] },
        ),
      );
    }
  }
  let group = c.ClusterParameterGroups?.[0]?.ParameterGroupName ?? '';
  if (group.startsWith('default.')) {
    const mine = 'auditlake-redshift-1-0';
    if (!o.dryRun) {
      await rs.send(new CreateClusterParameterGroupCommand({ ParameterGroupName: mine, ParameterGroupFamily: 'redshift-1.0', Description: 'auditlake: user activity logging' })).catch((e: Error) => {
        if (e.name !== 'ClusterParameterGroupAlreadyExistsFault') throw e;
      });
      await rs.send(new ModifyClusterCommand({ ClusterIdentifier: clusterId, ClusterParameterGroupName: mine }));
    }
    res.changes.push({ resource: clusterId, setting: 'cluster parameter group', from: group, to: mine, applyMethod: 'pending-reboot', applied: !o.dryRun });
    group = mine;
  }
  let value = 'false';
  if (!(o.dryRun && group === 'auditlake-redshift-1-0' && c.ClusterParameterGroups?.[0]?.ParameterGroupName !== group)) {
    let marker: string | undefined;
    do {
      const page = await rs.send(new DescribeClusterParametersCommand({ ParameterGroupName: group, Marker: marker }));
      for (const p of page.Parameters ?? []) if (p.ParameterName === 'enable_user_activity_logging') value = p.ParameterValue ?? 'false';
      marker = page.Marker;
    } while (marker);
  }
  if (value !== 'true') {
    res.changes.push({ resource: `${clusterId} (${group})`, setting: 'enable_user_activity_logging', from: value, to: 'true', applyMethod: 'pending-reboot', applied: !o.dryRun });
    if (!o.dryRun) await rs.send(new ModifyClusterParameterGroupCommand({ ParameterGroupName: group, Parameters: [{ ParameterName: 'enable_user_activity_logging', ParameterValue: 'true', ApplyType: 'static' }] }));
  }
  if (!o.dryRun && res.changes.length) {
    const after = await describe(rs, clusterId);
    for (const g of after.ClusterParameterGroups ?? []) res.status.push(`parameter group ${g.ParameterGroupName}: ${g.ParameterApplyStatus}`);
    if ((after.ClusterParameterGroups ?? []).some((g) => g.ParameterApplyStatus === 'pending-reboot')) res.nextSteps.push(`reboot ${clusterId} (aws redshift reboot-cluster --cluster-identifier ${clusterId}): the user activity log stays empty until then`);
  }
  return res;
}

async function describe(rs: RedshiftClient, id: string): Promise<Cluster> {
  const r = await rs.send(new DescribeClustersCommand({ ClusterIdentifier: id }));
  const c = r.Clusters?.[0];
  if (!c) throw new AuditlakeError('E_NOT_FOUND', `redshift ${id}: no such cluster`);
  return c;
}
