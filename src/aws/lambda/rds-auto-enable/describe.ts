import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { DescribeClustersCommand } from '@aws-sdk/client-redshift';
import { AURORA_ENGINES } from './aurora.js';
import { identify, type EnableState } from './state.js';
import { stepHandler, type StepDeps } from './step-handler.js';

const SUPPORTED = /^(postgres|mysql|mariadb|sqlserver-(ee|se|ex|web))$/;

/**
 * Step 1: which database, and is it ready? A database still being created (or modified) is `ready: false`; the
 * state machine waits and asks again. Changes made by the workflow's own member role are skipped (its
 * ModifyDBInstance calls would otherwise start the workflow again).
 */
export async function describeStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  const { kind, id } = identify(s);
  const next: EnableState = { ...s, kind, id, notes: [...s.notes] };
  const issuer = s.userIdentity?.sessionContext?.sessionIssuer?.userName ?? '';
  if (issuer === d.config.memberRoleName) return { ...next, outcome: 'skipped', notes: [...next.notes, 'change made by auditlake itself'] };
  let status = '';
  if (kind === 'rds-instance') {
    const inst = (await d.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
    status = inst?.DBInstanceStatus ?? 'missing';
    next.engine = inst?.Engine ?? 'unknown';
  } else if (kind === 'rds-cluster') {
    const cl = (await d.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
    status = cl?.Status ?? 'missing';
    next.engine = cl?.Engine ?? 'unknown';
    // Aurora: cluster parameter group (aurora.ts). Multi-AZ DB clusters of plain postgres/mysql are not handled yet.
    if (cl && !AURORA_ENGINES.test(next.engine)) return { ...next, outcome: 'skipped', notes: [...next.notes, `cluster engine ${next.engine}: only Aurora clusters are switched on (aurora-postgresql, aurora-mysql)`] };
  } else {
    const cl = (await d.clients.redshift.send(new DescribeClustersCommand({ ClusterIdentifier: id }))).Clusters?.[0];
    status = cl?.ClusterStatus ?? 'missing';
    next.engine = 'redshift';
  }
  if (status === 'missing') return { ...next, outcome: 'skipped', notes: [...next.notes, 'the database no longer exists'] };
  if (kind === 'rds-instance' && next.engine.startsWith('aurora')) return { ...next, outcome: 'skipped', notes: [...next.notes, `${next.engine} instance: auditing is set on its cluster (the CreateDBCluster event)`] };
  if (kind === 'rds-instance' && !SUPPORTED.test(next.engine)) return { ...next, outcome: 'skipped', notes: [...next.notes, `engine ${next.engine} has no audit plugin auditlake can switch on`] };
  if (status !== 'available') return { ...next, ready: false, attempt: s.attempt + 1, notes: [...next.notes.slice(-4), `status ${status} at ${d.now().toISOString()}`] };
  return { ...next, ready: true, attempt: 0 };
}

export const handler = stepHandler(describeStep);
