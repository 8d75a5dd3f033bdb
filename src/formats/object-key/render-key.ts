/** Redshift audit log types as they appear in object keys. */
export type RedshiftLogType = 'connectionlog' | 'userlog' | 'useractivitylog';

function ymd(d: Date): [string, string, string] {
  return [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')];
}
function hm(d: Date): [string, string] {
  return [String(d.getUTCHours()).padStart(2, '0'), String(d.getUTCMinutes()).padStart(2, '0')];
}
function withPrefix(prefix: string | undefined, rest: string): string {
  if (!prefix) return rest;
  return prefix.endsWith('/') ? prefix + rest : `${prefix}/${rest}`;
}

export interface RedshiftKeyParts {
  /** Optional key prefix before `AWSLogs/` (with or without a trailing `/`). */
  prefix?: string;
  account: string;
  region: string;
  cluster: string;
  logType: RedshiftLogType;
  /** Delivery time (UTC epoch ms); only the minute is written. */
  time: number;
  /** Hour/minute separator: `:` as documented, `_` as seen in downloaded files (`T18_31`). Default `:`. */
  separator?: ':' | '_';
}

/**
 * `[prefix/]AWSLogs/<acct>/redshift/<region>/Y/M/D/<acct>_redshift_<region>_<cluster>_<logtype>_<Y-M-DTHH:MM>.gz`
 * (Redshift management guide, "Bucket structure for Amazon Redshift audit logging").
 */
export function renderRedshiftKey(p: RedshiftKeyParts): string {
  const d = new Date(p.time);
  const [y, m, day] = ymd(d);
  const [hh, mm] = hm(d);
  const file = `${p.account}_redshift_${p.region}_${p.cluster}_${p.logType}_${y}-${m}-${day}T${hh}${p.separator ?? ':'}${mm}.gz`;
  return withPrefix(p.prefix, `AWSLogs/${p.account}/redshift/${p.region}/${y}/${m}/${day}/${file}`);
}

export interface CloudTrailKeyParts {
  prefix?: string;
  /** Organisation id (`o-…`) for an organisation trail. */
  orgId?: string;
  account: string;
  region: string;
  /** Delivery time (UTC epoch ms); only the minute is written. */
  time: number;
  /** The 16-character unique string (letters and digits). */
  unique: string;
}

/**
 * `[prefix/]AWSLogs/[o-id/]<acct>/CloudTrail/<region>/Y/M/D/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz`
 * (CloudTrail user guide, cloudtrail-log-file-examples / cloudtrail-find-log-files).
 */
export function renderCloudTrailKey(p: CloudTrailKeyParts): string {
  const d = new Date(p.time);
  const [y, m, day] = ymd(d);
  const [hh, mm] = hm(d);
  const file = `${p.account}_CloudTrail_${p.region}_${y}${m}${day}T${hh}${mm}Z_${p.unique}.json.gz`;
  const org = p.orgId ? `${p.orgId}/` : '';
  return withPrefix(p.prefix, `AWSLogs/${org}${p.account}/CloudTrail/${p.region}/${y}/${m}/${day}/${file}`);
}
