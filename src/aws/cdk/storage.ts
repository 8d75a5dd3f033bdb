import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { exportLifecycle } from '../../retention/lifecycle.js';
import type { RetentionConfig } from '../../retention/types.js';
import { LANDING_PREFIX, RETENTION_PRESETS, names, type DeployConfig } from './config.js';

export interface CentralStorage {
  landing: s3.Bucket;
  vault: s3.Bucket;
  lake: s3.Bucket;
  accessLogs: s3.Bucket;
  athenaResults: s3.Bucket;
}

/** Settings every bucket shares: no public access, TLS only, owner-enforced objects, kept on stack deletion. */
const base = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/**
 * The central buckets. Landing: SSE-S3 and no Object Lock, because Redshift audit delivery refuses anything else
 * (research/aws-scale.md §0.1); objects there are transient (7 days) once the pipeline copied them. Vault: SSE-KMS
 * with the CMK and a bucket key, versioned, Object Lock with the preset's default retention, expiry per the
 * retention preset through the retention module's own lifecycle export. Lake: SSE-KMS, plain zstd Parquet for
 * Athena. Everything logs its access to an access-log bucket (SSE-S3: S3 server access logging cannot use KMS).
 */
export function centralStorage(scope: Construct, c: DeployConfig, region: string, key: kms.IKey): CentralStorage {
  const n = names(c, region);
  const preset = RETENTION_PRESETS[c.retention];
  const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
    ...base,
    bucketName: n.accessLogsBucket,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(Math.max(365, preset.keepDays ?? 365)) }, { id: 'abort-mpu', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
  });
  const logs = (p: string) => ({ serverAccessLogsBucket: accessLogs, serverAccessLogsPrefix: `${p}/` });
  const landing = new s3.Bucket(scope, 'Landing', {
    ...base,
    ...logs('landing'),
    bucketName: n.landingBucket,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    lifecycleRules: [
      // the vault holds the evidence; the landing copy only has to outlive a stuck queue (DLQ retention is 14 days).
      // Only prefixes a pipeline consumes: sqlserver/ has no decoder yet and is kept.
      ...[LANDING_PREFIX.redshift, LANDING_PREFIX.cloudtrail, LANDING_PREFIX.firehose].map((prefix) => ({ id: `expire-landed-${prefix.split('/')[0]}`, prefix, expiration: Duration.days(21), noncurrentVersionExpiration: Duration.days(1) })),
      { id: 'abort-mpu', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
  });
  const vault = new s3.Bucket(scope, 'Vault', {
    ...base,
    ...logs('vault'),
    bucketName: n.vaultBucket,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    objectLockEnabled: true,
    objectLockDefaultRetention: c.lockMode === 'COMPLIANCE' ? s3.ObjectLockRetention.compliance(Duration.days(preset.lockDays)) : s3.ObjectLockRetention.governance(Duration.days(preset.lockDays)),
    lifecycleRules: vaultLifecycle(c),
  });
  const lake = new s3.Bucket(scope, 'Lake', {
    ...base,
    ...logs('lake'),
    bucketName: n.lakeBucket,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    lifecycleRules: [
      { id: 'noncurrent', noncurrentVersionExpiration: Duration.days(7), expiredObjectDeleteMarker: true },
      { id: 'abort-mpu', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
  });
  const athenaResults = new s3.Bucket(scope, 'AthenaResults', {
    ...base,
    ...logs('athena-results'),
    bucketName: n.athenaResultsBucket,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    lifecycleRules: [{ id: 'expire-results', expiration: Duration.days(30) }],
  });
  landingPolicy(landing, c, region);
  denyVaultDeletes(vault, `arn:aws:iam::${c.centralAccount}:role/${c.prefix}-break-glass`);
  return { landing, vault, lake, accessLogs, athenaResults };
}

/**
 * Vault lifecycle from the retention module's S3 export (one wildcard rule of the preset), so `auditlake retention`
 * and the bucket never disagree. Noncurrent versions of an overwritten object go after a day; Object Lock still
 * protects every version for the lock window.
 */
export function vaultLifecycle(c: DeployConfig): s3.LifecycleRule[] {
  const preset = RETENTION_PRESETS[c.retention];
  const out: s3.LifecycleRule[] = [{ id: 'abort-mpu', abortIncompleteMultipartUploadAfter: Duration.days(1) }];
  if (preset.keepDays === null) return out;
  const cfg: RetentionConfig = {
    version: 1,
    framework: 'none',
    rules: [{ account: '*', logType: '*', keep: `${preset.keepDays}d`, createdBy: 'auditlake aws deploy', createdAt: '1970-01-01T00:00:00.000Z' }],
    holds: [],
  };
  for (const r of exportLifecycle(cfg).configuration.Rules as Array<{ ID: string; Filter: { Prefix: string }; Expiration: { Days: number } }>) {
    out.push({ id: `${c.retention}-${r.ID}`, prefix: r.Filter.Prefix, expiration: Duration.days(r.Expiration.Days), noncurrentVersionExpiration: Duration.days(1) });
  }
  return out;
}

/**
 * Landing bucket policy: Redshift's service principal may write and read the ACL only under
 * `redshift/AWSLogs/<member>/`; CloudTrail only under `cloudtrail/AWSLogs/<member>/` (or the org trail's
 * `cloudtrail/AWSLogs/<o-id>/`), with `aws:SourceAccount`/`aws:SourceArn` confinement. Legacy per-region Redshift
 * account ids are not granted: delivery uses the service principal now (research/aws-scale.md §0.2).
 */
function landingPolicy(landing: s3.Bucket, c: DeployConfig, region: string): void {
  const members = c.memberAccounts.length ? c.memberAccounts : [c.centralAccount];
  const redshift = new iam.ServicePrincipal(region.match(/^(af|ap-east|ap-south-2|ap-southeast-[3-9]|eu-central-2|eu-south|il|me|ca-west|mx)/) ? `redshift.${region}.amazonaws.com` : 'redshift.amazonaws.com');
  landing.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'RedshiftAuditDelivery',
    principals: [redshift],
    actions: ['s3:PutObject'],
    resources: members.map((a) => landing.arnForObjects(`${LANDING_PREFIX.redshift}AWSLogs/${a}/*`)),
  }));
  landing.addToResourcePolicy(new iam.PolicyStatement({ sid: 'RedshiftAuditAcl', principals: [redshift], actions: ['s3:GetBucketAcl'], resources: [landing.bucketArn] }));
  // RDS for SQL Server uploads as each member's `<member role>-sqlserver-audit` role (SQLSERVER_AUDIT), each
  // account under its own prefix only.
  const sqlRole = `${names(c, region).memberRoleName}-sqlserver-audit`;
  for (const a of members) {
    landing.addToResourcePolicy(new iam.PolicyStatement({
      sid: `SqlServerAudit${a}`,
      principals: [new iam.AccountPrincipal(a)],
      actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [landing.arnForObjects(`${LANDING_PREFIX.sqlserver}AWSLogs/${a}/*`)],
      conditions: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${a}:role/${sqlRole}` } },
    }));
  }
  landing.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'SqlServerAuditBucket',
    principals: members.map((a) => new iam.AccountPrincipal(a)),
    actions: ['s3:ListBucket', 's3:GetBucketAcl', 's3:GetBucketLocation'],
    resources: [landing.bucketArn],
    conditions: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${sqlRole}` } },
  }));
  const ct = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  landing.addToResourcePolicy(new iam.PolicyStatement({ sid: 'CloudTrailAcl', principals: [ct], actions: ['s3:GetBucketAcl'], resources: [landing.bucketArn] }));
  const trailPrefixes = c.orgTrailArn && c.organizationId ? [`${LANDING_PREFIX.cloudtrail}AWSLogs/${c.organizationId}/*`] : [];
  landing.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudTrailDelivery',
    principals: [ct],
    actions: ['s3:PutObject'],
    resources: [...members.map((a) => landing.arnForObjects(`${LANDING_PREFIX.cloudtrail}AWSLogs/${a}/*`)), ...trailPrefixes.map((p) => landing.arnForObjects(p))],
    conditions: {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' },
      ArnLike: { 'aws:SourceArn': [...members.map((a) => `arn:aws:cloudtrail:*:${a}:trail/*`), ...(c.orgTrailArn ? [c.orgTrailArn] : [])] },
    },
  }));
}

/**
 * Nobody but the break-glass role deletes a vault object version or bypasses governance retention (Object Lock
 * enforces the window; this also covers versions whose lock expired but whose retention rule has not).
 */
function denyVaultDeletes(vault: s3.Bucket, breakGlassArn: string): void {
  vault.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyEvidenceDeletion',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
    resources: [vault.arnForObjects('*')],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassArn } },
  }));
}
