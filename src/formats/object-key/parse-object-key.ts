import type { ObjectKeyInfo } from '../../core/decode.js';

/**
 * A key auditlake does not ingest, with the reason. `recognised` names layouts that are known but hold no
 * events to ingest (CloudTrail digest files are integrity evidence, Insights files are anomaly summaries).
 */
export interface UnknownObjectKey {
  unknown: string;
  recognised?: 'cloudtrail-digest' | 'cloudtrail-insight';
  /**
   * The key follows a known layout but a component is not valid (an account that is not 12 digits, a
   * cluster name with `..` or a newline): the object is refused with this reason instead of being read,
   * because its components become vault keys and lake partitions.
   */
  invalid?: true;
}

/**
 * AWS account ids are 12 digits. `accountid` is the literal placeholder in AWS's own published Redshift
 * sample files (Redshift Test Drive, test/fixtures/redshift-test-drive), accepted so those files ingest as shipped.
 */
const ACCOUNT = /^(?:\d{12}|accountid)$/;
const REGION = /^[a-z]{2,5}(?:-[a-z]+)+-\d{1,2}$/;
/** Redshift cluster identifiers and serverless workgroups: letters, digits, `-` (and `_`, seen in real keys), ≤ 128. */
const CLUSTER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Why a component taken from a key cannot be used, or undefined when all are valid. */
function invalidComponent(file: string, parts: { account: string; region: string; cluster?: string }): UnknownObjectKey | undefined {
  const why = (what: string, v: string, rule: string): UnknownObjectKey => ({ unknown: `${JSON.stringify(file)}: ${what} ${JSON.stringify(v)} is not ${rule}; object refused`, invalid: true });
  if (!ACCOUNT.test(parts.account)) return why('account', parts.account, 'a 12-digit AWS account id');
  if (!REGION.test(parts.region)) return why('region', parts.region, 'an AWS region name');
  if (parts.cluster !== undefined && !CLUSTER.test(parts.cluster)) return why('cluster', parts.cluster, 'a valid cluster or workgroup name (letters, digits, - and _, at most 128)');
  return undefined;
}

/**
 * Redshift file name, research/formats.md A.2: `<acct>_redshift_<region>_<cluster>_<logtype>_<YYYY-MM-DD>T<HH>:<MM>.gz`.
 * `:` or `_` between hour and minute (RTD PR #116); the cluster is everything between region and the *last*
 * `_<logtype>_` token that is followed by the timestamp (so a cluster name containing `_` is kept whole; never
 * a substring match on "log", see RTD commit 26871ad9). A missing `.gz` is accepted for files a user gunzipped.
 */
const REDSHIFT_FILE =
  /^([^_/]+)_redshift_([a-z]{2,5}(?:-[a-z]+)+-\d+)_(.+)_(connectionlog|userlog|useractivitylog)_(\d{4})-(\d{2})-(\d{2})T(\d{2})[:_](\d{2})(?:\.gz)?$/;
/** `[prefix/]AWSLogs/<acct>/redshift/<region>/YYYY/MM/DD/<file>` */
const REDSHIFT_PATH = /(?:^|\/)AWSLogs\/([^/]+)\/redshift\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/;

/**
 * CloudTrail file name (CT-UG cloudtrail-log-file-examples): `<acct>_CloudTrail_<region>_<YYYYMMDD>T<HHmm>Z_<unique>.json.gz`.
 * The `_` before the unique string is mandatory (the one doc example without it is a typo).
 */
const CLOUDTRAIL_FILE = /^([^_/]+)_CloudTrail_([a-z]{2,5}(?:-[a-z]+)+-\d+)_(\d{4})(\d{2})(\d{2})T(\d{4})Z_([A-Za-z0-9]+)\.json(?:\.gz)?$/;
/** `[prefix/]AWSLogs/[o-id/]<acct>/CloudTrail/<region>/YYYY/MM/DD/<file>` (organisation trails insert `o-…`). */
const CLOUDTRAIL_PATH = /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?([^/]+)\/CloudTrail\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/;
const CLOUDTRAIL_DIGEST = /(?:^|\/)[^_/]+_CloudTrail-Digest_[^/]+\.json(?:\.gz)?$|\/CloudTrail-Digest\//;
const CLOUDTRAIL_INSIGHT = /(?:^|\/)[^_/]+_CloudTrail-Insight_[^/]+\.json(?:\.gz)?$|\/CloudTrail-Insight\//;

/** S3 event notifications URL-encode keys (`:` → `%3A`); listings do not. Decode only when it is valid. */
function decodeKey(key: string): string {
  if (!key.includes('%')) return key;
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function validDate(y: string, m: string, d: string): boolean {
  const t = Date.UTC(+y, +m - 1, +d);
  return +m >= 1 && +m <= 12 && new Date(t).getUTCDate() === +d;
}

function parseRedshift(key: string, file: string): ObjectKeyInfo | UnknownObjectKey | null {
  const f = REDSHIFT_FILE.exec(file);
  if (!f) return null;
  const [, account, region, cluster, logType, y, m, d] = f;
  const invalid = invalidComponent(file, { account, region, cluster });
  if (invalid) return invalid;
  if (!validDate(y, m, d)) return { unknown: `Redshift file name ${file} has an invalid date ${y}-${m}-${d}` };
  if (key.includes('AWSLogs/')) {
    const p = REDSHIFT_PATH.exec(key);
    if (!p) return { unknown: `Redshift file ${file} is not under AWSLogs/<account>/redshift/<region>/YYYY/MM/DD/` };
    if (p[1] !== account || p[2] !== region) {
      return { unknown: `key path says account ${p[1]} region ${p[2]} but the file name says ${account} ${region}` };
    }
  }
  return {
    format: `redshift-${logType}` as ObjectKeyInfo['format'],
    account,
    region,
    service: 'redshift',
    cluster,
    keyDate: `${y}-${m}-${d}`,
    key,
  };
}

// Firehose's default object name: <prefix>YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>[.gz]
const FIREHOSE_FILE = /^(.+)-(\d+)-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\.gz)?$/i;

/**
 * CloudWatch Logs → Firehose → S3 objects (how RDS audit logs reach a bucket). The key names only the delivery
 * stream and time: account and log group come from each message inside, and the region is not recorded anywhere,
 * so it stays empty rather than guessed.
 */
function parseFirehose(key: string, file: string): ObjectKeyInfo | UnknownObjectKey | null {
  const f = FIREHOSE_FILE.exec(file);
  if (!f) return null;
  const [, , , y, m, d] = f;
  if (!validDate(y, m, d)) return { unknown: `Firehose object ${file} has an invalid date ${y}-${m}-${d}` };
  return { format: 'cloudwatch-firehose', account: '', region: '', service: 'rds', cluster: '', keyDate: `${y}-${m}-${d}`, key };
}

function parseCloudTrail(key: string, file: string): ObjectKeyInfo | UnknownObjectKey | null {
  const f = CLOUDTRAIL_FILE.exec(file);
  if (!f) return null;
  const [, account, region, y, m, d] = f;
  const invalid = invalidComponent(file, { account, region });
  if (invalid) return invalid;
  if (!validDate(y, m, d)) return { unknown: `CloudTrail file name ${file} has an invalid date ${y}${m}${d}` };
  if (key.includes('AWSLogs/')) {
    const p = CLOUDTRAIL_PATH.exec(key);
    if (!p) return { unknown: `CloudTrail file ${file} is not under AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/` };
    if (p[2] !== account || p[3] !== region) {
      return { unknown: `key path says account ${p[2]} region ${p[3]} but the file name says ${account} ${region}` };
    }
  }
  return { format: 'cloudtrail', account, region, service: 'cloudtrail', cluster: '', keyDate: `${y}-${m}-${d}`, key };
}

/**
 * What an object key (an S3 key or a path under an ingested folder) says about its content. Accepts the full
 * AWS layouts with any prefix before `AWSLogs/`, and bare file names (objects downloaded to a flat folder),
 * taking account, region, cluster, log type and date from the file name. Anything else is reported with a
 * reason, never guessed.
 */
export function parseObjectKey(rawKey: string): ObjectKeyInfo | UnknownObjectKey {
  const key = decodeKey(rawKey);
  const file = key.slice(key.lastIndexOf('/') + 1);
  if (CLOUDTRAIL_DIGEST.test(key)) {
    return { unknown: 'CloudTrail digest file (integrity evidence, holds no events)', recognised: 'cloudtrail-digest' };
  }
  if (CLOUDTRAIL_INSIGHT.test(key)) {
    return { unknown: 'CloudTrail Insights file (anomaly summaries, not API events)', recognised: 'cloudtrail-insight' };
  }
  const found = parseRedshift(key, file) ?? parseCloudTrail(key, file) ?? parseFirehose(key, file);
  if (found) return found;
  if (file.includes('_redshift_')) {
    return { unknown: `${file} looks like a Redshift log but does not match <account>_redshift_<region>_<cluster>_<connectionlog|userlog|useractivitylog>_<YYYY-MM-DDTHH:MM>.gz` };
  }
  if (file.includes('_CloudTrail_')) {
    return { unknown: `${file} looks like a CloudTrail log but does not match <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz` };
  }
  return { unknown: `${file || key} matches no known Redshift, CloudTrail or Firehose object key layout` };
}

/** Narrowing helper. */
export function isUnknownKey(r: ObjectKeyInfo | UnknownObjectKey): r is UnknownObjectKey {
  return 'unknown' in r;
}
