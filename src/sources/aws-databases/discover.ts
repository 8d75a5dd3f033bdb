import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import type { DiscoveryRule, FleetDatabase } from '../../config/fleet.js';

export interface DiscoveredRedshift {
  clusterId: string;
  region: string;
  rule: DiscoveryRule;
}

/**
 * Polls `DescribeDBInstances` (paginated) for RDS PostgreSQL/MySQL/MariaDB instances that are `available` and turns
 * each into a fleet entry via the rule's URL template (`{engine}`, `{endpoint}`, `{port}`, `{id}`).
 */
export async function discoverRds(rule: DiscoveryRule, client = new RDSClient({ region: rule.region })): Promise<FleetDatabase[]> {
  const out: FleetDatabase[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new DescribeDBInstancesCommand({ Marker: marker }));
    for (const i of page.DBInstances ?? []) {
      const engine = i.Engine ?? '';
      if (i.DBInstanceStatus !== 'available' || !i.Endpoint?.Address) continue;
      const scheme = engine === 'postgres' ? 'postgres' : engine === 'mysql' || engine === 'mariadb' ? 'mariadb' : null;
      if (!scheme) continue;
      const tpl = rule.urlTemplate ?? (scheme === 'postgres' ? 'postgres://{user}@{endpoint}:{port}/postgres' : 'mariadb://{user}@{endpoint}:{port}/');
      const url = tpl
        .replaceAll('{engine}', scheme)
        .replaceAll('{endpoint}', i.Endpoint.Address)
        .replaceAll('{port}', String(i.Endpoint.Port ?? (scheme === 'postgres' ? 5432 : 3306)))
        .replaceAll('{id}', i.DBInstanceIdentifier ?? '')
        .replaceAll('{user}', encodeURIComponent(i.MasterUsername ?? 'admin'));
      out.push({ name: `rds-${i.DBInstanceIdentifier}`, url, passwordEnv: rule.passwordEnv, rds: { instanceId: i.DBInstanceIdentifier ?? '', region: rule.region } });
    }
    marker = page.Marker;
  } while (marker);
  return out;
}

/** Polls `DescribeClusters` for available Redshift clusters. */
export async function discoverRedshift(rule: DiscoveryRule, client = new RedshiftClient({ region: rule.region })): Promise<DiscoveredRedshift[]> {
  const out: DiscoveredRedshift[] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(new DescribeClustersCommand({ Marker: marker }));
    for (const c of page.Clusters ?? []) if (c.ClusterStatus === 'available' && c.ClusterIdentifier) out.push({ clusterId: c.ClusterIdentifier, region: rule.region, rule });
    marker = page.Marker;
  } while (marker);
  return out;
}
