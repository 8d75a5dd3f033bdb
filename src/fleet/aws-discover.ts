import { errorMessage } from '../core/errors.js';
import { discoverRds, discoverRedshift } from '../sources/aws-databases/discover.js';
import { enableRedshiftAuditing } from '../sources/aws-databases/redshift-audit.js';
import { formatAwsResult } from '../sources/aws-databases/aws-change.js';
import type { FleetConfig, FleetDatabase } from '../config/fleet.js';

/**
 * Discovery through the AWS SDK for `auditlake watch`: RDS instances become fleet entries (enable → verify →
 * drift checks run on them like on any other database); Redshift clusters are enabled through the API once per
 * watcher process (EnableLogging + enable_user_activity_logging) and the result written to `log`.
 */
export function createAwsDiscover(log: (line: string) => void): (cfg: FleetConfig) => Promise<FleetDatabase[]> {
  const redshiftDone = new Set<string>();
  return async (cfg) => {
    const out: FleetDatabase[] = [];
    for (const rule of cfg.discovery) {
      try {
        if (rule.type === 'rds') out.push(...(await discoverRds(rule)));
        else {
          for (const c of await discoverRedshift(rule)) {
            const key = `${c.region}/${c.clusterId}`;
            if (redshiftDone.has(key)) continue;
            const { RedshiftClient } = await import('@aws-sdk/client-redshift');
            const res = await enableRedshiftAuditing(new RedshiftClient({ region: c.region }), c.clusterId, { bucket: rule.bucket });
            log(formatAwsResult(res));
            redshiftDone.add(key);
          }
        }
      } catch (err) {
        log(`auditlake watch: discovery ${rule.type} ${rule.region} failed: ${errorMessage(err)}`);
      }
    }
    return out;
  };
}
