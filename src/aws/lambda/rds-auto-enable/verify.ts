import { DescribeSubscriptionFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { DescribeLoggingStatusCommand } from '@aws-sdk/client-redshift';
import { auroraLogType, describeCluster } from './aurora.js';
import type { EnableState } from './state.js';
import { SUBSCRIPTION_NAME } from './ship.js';
import { stepHandler, type StepDeps } from './step-handler.js';

/**
 * Step 5: verify by effect. RDS: an audit record arrived in the log group after the settings were applied, the
 * export is on, and the subscription points at the central destination. Redshift: a delivery to the landing bucket
 * after enablement. Not yet: `verified: false` (the state machine waits and asks again); the outcome says why.
 */
export async function verifyStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  const since = Date.parse(s.enabledAt ?? d.now().toISOString());
  const missing: string[] = [];
  if (s.kind === 'redshift') {
    const ls = await d.clients.redshift.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: s.id }));
    if (!ls.LoggingEnabled || ls.BucketName !== d.config.landingBucket) missing.push(`logging goes to ${ls.LoggingEnabled ? ls.BucketName : 'nowhere'}, not ${d.config.landingBucket}`);
    else if (!ls.LastSuccessfulDeliveryTime || ls.LastSuccessfulDeliveryTime.getTime() < since) missing.push('no delivery to the landing bucket since enablement yet (Redshift delivers about hourly)');
  } else if (s.kind === 'rds-cluster') {
    const cl = await describeCluster(d.clients.rds, s.id);
    const logType = auroraLogType(s.engine);
    if (!(cl?.EnabledCloudwatchLogsExports ?? []).includes(logType)) missing.push(`CloudWatch Logs export of ${logType} is off`);
    for (const m of cl?.DBClusterMembers ?? []) if (m.DBClusterParameterGroupStatus !== 'in-sync') missing.push(`instance ${m.DBInstanceIdentifier}: cluster parameter group is ${m.DBClusterParameterGroupStatus}`);
    missing.push(...(await logEffect(s, d, since)));
  } else if (s.engine.startsWith('sqlserver')) {
    const og = (await d.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: s.id }))).DBInstances?.[0]?.OptionGroupMemberships?.[0];
    if (og?.Status !== 'in-sync') missing.push(`option group ${og?.OptionGroupName ?? 'none'} is ${og?.Status ?? 'absent'}`);
  } else {
    const inst = (await d.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: s.id }))).DBInstances?.[0];
    const logType = s.engine === 'postgres' ? 'postgresql' : 'audit';
    if (!(inst?.EnabledCloudwatchLogsExports ?? []).includes(logType)) missing.push(`CloudWatch Logs export of ${logType} is off`);
    for (const g of inst?.DBParameterGroups ?? []) if (g.ParameterApplyStatus !== 'in-sync') missing.push(`parameter group ${g.DBParameterGroupName} is ${g.ParameterApplyStatus}`);
    missing.push(...(await logEffect(s, d, since)));
  }
  const notes = s.notes.filter((n) => !n.startsWith('waiting: '));
  if (missing.length === 0) return { ...s, verified: true, attempt: 0, outcome: 'enabled', notes: [...notes, `verified by effect at ${d.now().toISOString()}`] };
  const outcome = s.outcome === 'pending-reboot' || missing.some((m) => m.includes('pending-reboot')) ? 'pending-reboot' : 'unverified';
  return { ...s, verified: false, attempt: s.attempt + 1, outcome, notes: [...notes, `waiting: ${missing.join('; ')}`] };
}

/** The shipped log groups: subscribed to the central destination, and an audit record arrived since enablement. */
async function logEffect(s: EnableState, d: StepDeps, since: number): Promise<string[]> {
  const missing: string[] = [];
  for (const group of s.logGroups ?? []) {
    const subs = (await d.clients.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters ?? [];
    if (!subs.some((f) => f.filterName === SUBSCRIPTION_NAME && f.destinationArn === d.config.destinationArn)) missing.push(`${group} is not subscribed to ${d.config.destinationArn}`);
    const ev = await d.clients.logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: since, limit: 1 }));
    if (!ev.events?.length) missing.push(`no audit record in ${group} since ${new Date(since).toISOString()} yet`);
  }
  return missing;
}

export const handler = stepHandler(verifyStep);
