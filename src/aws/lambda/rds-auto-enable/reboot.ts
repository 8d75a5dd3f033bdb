import { DescribeDBInstancesCommand, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { DescribeClustersCommand, RebootClusterCommand } from '@aws-sdk/client-redshift';
import { describeCluster } from './aurora.js';
import { classify, retryable, type EnableState } from './state.js';
import { stepHandler, type StepDeps } from './step-handler.js';

/**
 * Step 3: static settings (pgaudit in shared_preload_libraries, enable_user_activity_logging) only take effect at a
 * reboot. Reboots only when the deployment allowed it (--allow-reboot); otherwise records `pending-reboot` and the
 * workflow goes on (the CloudWatch export and subscription do not need the reboot).
 */
export async function rebootStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  if (!s.needsReboot) return s;
  if (!d.config.allowReboot) return { ...s, outcome: 'pending-reboot', notes: [...s.notes, 'reboot not allowed by the deployment: settings wait for the next reboot (maintenance window)'] };
  try {
    if (s.kind === 'redshift') {
      const status = (await d.clients.redshift.send(new DescribeClustersCommand({ ClusterIdentifier: s.id }))).Clusters?.[0]?.ClusterStatus;
      if (status !== 'available') throw retryable('Auditlake.NotReady', `reboot ${s.id}: cluster is ${status}`);
      await d.clients.redshift.send(new RebootClusterCommand({ ClusterIdentifier: s.id }));
    } else if (s.kind === 'rds-cluster') {
      // Aurora has no cluster reboot: the group and pgaudit's preload take effect when each instance restarts.
      const cl = await describeCluster(d.clients.rds, s.id);
      if (cl?.Status !== 'available') throw retryable('Auditlake.NotReady', `reboot ${s.id}: cluster is ${cl?.Status}`);
      const members = [...(cl.DBClusterMembers ?? [])].sort((a, b) => Number(b.IsClusterWriter) - Number(a.IsClusterWriter));
      for (const m of members) await d.clients.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: m.DBInstanceIdentifier }));
    } else {
      const status = (await d.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: s.id }))).DBInstances?.[0]?.DBInstanceStatus;
      // A just-attached group is applied by a modification that must finish first.
      if (status !== 'available') throw retryable('Auditlake.NotReady', `reboot ${s.id}: instance is ${status}`);
      await d.clients.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: s.id }));
    }
  } catch (e) {
    throw classify(e, `reboot ${s.account}/${s.region}/${s.id}`);
  }
  return { ...s, needsReboot: false, enabledAt: d.now().toISOString(), notes: [...s.notes, `rebooted at ${d.now().toISOString()} (allowed by the deployment)`] };
}

export const handler = stepHandler(rebootStep);
