/**
 * @module
 * The default way a workflow's database becomes reachable: RDS `DescribeDBInstances` for the announced instance
 * (waits until `available`, then a fleet entry from the URL template, so the fleet watcher enables the parameter
 * group through the API and the engine settings through SQL), Redshift `EnableLogging` through the API.
 * Runs with the server's AWS credentials (the governance account's role must reach the member accounts).
 */
import type { ResolveTarget } from './intake-service.js';

export interface AwsResolveOptions {
  /** `{engine}`, `{endpoint}`, `{port}`, `{id}`, `{user}` as in fleet discovery rules. */
  urlTemplate?: string;
  /** Environment variable with the master password (never the password itself). */
  passwordEnv?: string;
  /** Redshift: S3 bucket for EnableLogging (else CloudWatch). */
  redshiftBucket?: string;
}

export function createAwsResolver(o: AwsResolveOptions): ResolveTarget {
  return async function resolveAws(wf) {
    if (wf.kind === 'redshift') {
      const [{ RedshiftClient }, { enableRedshiftAuditing }, { formatAwsResult }] = await Promise.all([import('@aws-sdk/client-redshift'), import('../../sources/aws-databases/redshift-audit.js'), import('../../sources/aws-databases/aws-change.js')]);
      const res = await enableRedshiftAuditing(new RedshiftClient({ region: wf.region }), wf.resource, { bucket: o.redshiftBucket });
      return { done: formatAwsResult(res) };
    }
    const { RDSClient, DescribeDBInstancesCommand } = await import('@aws-sdk/client-rds');
    const page = await new RDSClient({ region: wf.region }).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: wf.resource }));
    const i = page.DBInstances?.[0];
    if (!i) return { wait: `${wf.resource} not found yet` };
    if (i.DBInstanceStatus !== 'available' || !i.Endpoint?.Address) return { wait: `${wf.resource} is ${i.DBInstanceStatus ?? 'unknown'}` };
    const engine = i.Engine ?? '';
    const scheme = engine === 'postgres' ? 'postgres' : engine === 'mysql' || engine === 'mariadb' ? 'mariadb' : null;
    if (!scheme) return { done: `engine ${engine} is not enabled by auditlake (postgres, mysql, mariadb are)` };
    const tpl = o.urlTemplate ?? (scheme === 'postgres' ? 'postgres://{user}@{endpoint}:{port}/postgres' : 'mariadb://{user}@{endpoint}:{port}/');
    const url = tpl.replaceAll('{engine}', scheme).replaceAll('{endpoint}', i.Endpoint.Address)
      .replaceAll('{port}', String(i.Endpoint.Port ?? (scheme === 'postgres' ? 5432 : 3306)))
      .replaceAll('{id}', wf.resource).replaceAll('{user}', encodeURIComponent(i.MasterUsername ?? 'admin'));
    return { database: { name: wf.database, url, passwordEnv: o.passwordEnv, rds: { instanceId: wf.resource, region: wf.region } } };
  };
}
