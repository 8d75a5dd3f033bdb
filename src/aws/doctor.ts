import { DescribeSubscriptionFiltersCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import { DescribeClusterParametersCommand, DescribeClustersCommand, DescribeLoggingStatusCommand, type RedshiftClient } from '@aws-sdk/client-redshift';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LANDING_PREFIX, names, type DeployConfig } from './cdk/config.js';
import { auditLogGroup, SUBSCRIPTION_NAME } from './lambda/rds-auto-enable/ship.js';

export interface Finding {
  check: string;
  ok: boolean;
  /** What was found (or the error AWS returned). */
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

const errName = (e: unknown) => (e as { name?: string }).name ?? 'Error';
/** Runs one read; an AWS error becomes the finding's detail instead of aborting the whole check. */
async function read<T>(fn: () => Promise<T>): Promise<{ v?: T; err?: string }> {
  try {
    return { v: await fn() };
  } catch (e) {
    return { err: `${errName(e)}: ${(e as Error).message}` };
  }
}

/**
 * Read-only checks of a central deployment: the buckets' encryption, Object Lock, public access, logging and
 * policies, and the key's rotation and policy — each with the fix when it is off. Nothing is changed.
 */
export async function doctorCentral(c: DeployConfig, region: string, cl: { s3: S3Client; kms: KMSClient; keyArn: string }): Promise<Finding[]> {
  const n = names(c, region);
  const out: Finding[] = [];
  const redeploy = `auditlake aws deploy --central-account ${c.centralAccount} --regions ${region}`;
  const add = (check: string, ok: boolean, detail: string, fix = redeploy) => out.push({ check, ok, detail, ...(ok ? {} : { fix }) });

  const enc = async (bucket: string) => (await read(() => cl.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))).v?.ServerSideEncryptionConfiguration?.Rules?.[0];
  const lenc = await enc(n.landingBucket);
  add(`landing ${n.landingBucket}: SSE-S3 (Redshift refuses anything else)`, lenc?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'AES256', lenc ? String(lenc.ApplyServerSideEncryptionByDefault?.SSEAlgorithm) : 'bucket missing or unreadable');
  const llock = await read(() => cl.s3.send(new GetObjectLockConfigurationCommand({ Bucket: n.landingBucket })));
  const landingLocked = llock.v?.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  add(`landing ${n.landingBucket}: no Object Lock`, !landingLocked, landingLocked ? 'Object Lock enabled' : 'off', 'Object Lock cannot be removed: create a new landing bucket (delete the stack\'s landing bucket after the vault has everything, then redeploy)');
  const lpol = (await read(() => cl.s3.send(new GetBucketPolicyCommand({ Bucket: n.landingBucket })))).v?.Policy ?? '';
  const missingMembers = c.memberAccounts.filter((a) => !lpol.includes(`${LANDING_PREFIX.redshift}AWSLogs/${a}/`));
  add(`landing ${n.landingBucket}: policy lets Redshift deliver for every member account`, lpol.includes('redshift') && missingMembers.length === 0, missingMembers.length ? `no grant for ${missingMembers.join(', ')}` : lpol ? 'ok' : 'no bucket policy');

  const venc = await enc(n.vaultBucket);
  add(`vault ${n.vaultBucket}: SSE-KMS with bucket key`, venc?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms' && venc.BucketKeyEnabled === true, venc ? `${venc.ApplyServerSideEncryptionByDefault?.SSEAlgorithm}, bucket key ${venc.BucketKeyEnabled ? 'on' : 'off'}` : 'bucket missing or unreadable');
  const ver = (await read(() => cl.s3.send(new GetBucketVersioningCommand({ Bucket: n.vaultBucket })))).v?.Status;
  add(`vault ${n.vaultBucket}: versioning`, ver === 'Enabled', String(ver ?? 'off'));
  const vlock = (await read(() => cl.s3.send(new GetObjectLockConfigurationCommand({ Bucket: n.vaultBucket })))).v?.ObjectLockConfiguration;
  const dr = vlock?.Rule?.DefaultRetention;
  add(`vault ${n.vaultBucket}: Object Lock with a default retention`, vlock?.ObjectLockEnabled === 'Enabled' && !!dr, dr ? `${dr.Mode} ${dr.Days ?? dr.Years}${dr.Days ? 'd' : 'y'}` : 'no default retention', vlock?.ObjectLockEnabled === 'Enabled' ? redeploy : 'Object Lock can only be set when a bucket is created: a vault without it must be replaced (copy, then switch AUDITLAKE_VAULT)');
  for (const b of [n.landingBucket, n.vaultBucket, n.lakeBucket]) {
    const pab = (await read(() => cl.s3.send(new GetPublicAccessBlockCommand({ Bucket: b })))).v?.PublicAccessBlockConfiguration;
    const all = !!pab && !!pab.BlockPublicAcls && !!pab.BlockPublicPolicy && !!pab.IgnorePublicAcls && !!pab.RestrictPublicBuckets;
    add(`${b}: Block Public Access (all four)`, all, pab ? JSON.stringify(pab) : 'none', `aws s3api put-public-access-block --bucket ${b} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`);
    const pol = (await read(() => cl.s3.send(new GetBucketPolicyCommand({ Bucket: b })))).v?.Policy ?? '';
    add(`${b}: TLS only`, pol.includes('aws:SecureTransport'), pol ? 'policy has no aws:SecureTransport deny' : 'no bucket policy');
  }
  const log = (await read(() => cl.s3.send(new GetBucketLoggingCommand({ Bucket: n.vaultBucket })))).v?.LoggingEnabled;
  add(`vault ${n.vaultBucket}: server access logging`, !!log?.TargetBucket, log?.TargetBucket ? `to ${log.TargetBucket}/${log.TargetPrefix ?? ''}` : 'off');
  const vpol = (await read(() => cl.s3.send(new GetBucketPolicyCommand({ Bucket: n.vaultBucket })))).v?.Policy ?? '';
  add(`vault ${n.vaultBucket}: evidence deletion denied`, vpol.includes('DenyEvidenceDeletion'), vpol.includes('DenyEvidenceDeletion') ? 'ok' : 'the DenyEvidenceDeletion statement is missing');

  // Rotation status and key policy take a key id or ARN, not an alias.
  const keyId = cl.keyArn.includes(':alias/') ? ((await read(() => cl.kms.send(new DescribeKeyCommand({ KeyId: cl.keyArn })))).v?.KeyMetadata?.Arn ?? cl.keyArn) : cl.keyArn;
  const rot = await read(() => cl.kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
  add(`key ${cl.keyArn}: rotation`, rot.v?.KeyRotationEnabled === true, rot.err ?? (rot.v?.KeyRotationEnabled ? 'on' : 'off'), `aws kms enable-key-rotation --key-id ${cl.keyArn}`);
  const kp = (await read(() => cl.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })))).v?.Policy ?? '';
  const unconfined = [c.centralAccount, ...c.memberAccounts].filter((a) => !kp.includes(`AWSLogs/${a}/`));
  add(`key ${cl.keyArn}: use confined by encryption context per account`, kp.includes('kms:EncryptionContext:auditlake:object') && unconfined.length === 0, unconfined.length ? `accounts not in the policy: ${unconfined.join(', ')}` : 'ok', c.key.kind === 'import' ? 'an imported key keeps its own policy: add the ConfineEnvelopeUseToConfiguredAccounts statement (docs/guide/deploy-on-aws.md)' : redeploy);
  return out;
}

/**
 * Read-only checks inside one workload account (run with its credentials): every Redshift cluster logs all three
 * logs to the central landing bucket with user activity logging on; every RDS instance exports its audit log and
 * the log group is subscribed to the central destination.
 */
export async function doctorMember(c: DeployConfig, region: string, cl: { redshift: RedshiftClient; rds: RDSClient; logs: CloudWatchLogsClient }): Promise<Finding[]> {
  const n = names(c, region);
  const out: Finding[] = [];
  const clusters = (await cl.redshift.send(new DescribeClustersCommand({}))).Clusters ?? [];
  for (const k of clusters) {
    const id = k.ClusterIdentifier ?? '';
    const fix = `auditlake enable 'redshift://${id}?region=${region}&bucket=${n.landingBucket}&prefix=${LANDING_PREFIX.redshift}'`;
    const ls = await cl.redshift.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: id }));
    const ok = !!ls.LoggingEnabled && ls.BucketName === n.landingBucket && (ls.S3KeyPrefix ?? '') === LANDING_PREFIX.redshift;
    out.push({ check: `redshift ${id}: audit logging to the central landing bucket`, ok, detail: ls.LoggingEnabled ? `s3://${ls.BucketName}/${ls.S3KeyPrefix ?? ''}` : 'off', ...(ok ? {} : { fix }) });
    const group = k.ClusterParameterGroups?.[0]?.ParameterGroupName ?? '';
    const params = (await cl.redshift.send(new DescribeClusterParametersCommand({ ParameterGroupName: group }))).Parameters ?? [];
    const ual = params.find((p) => p.ParameterName === 'enable_user_activity_logging')?.ParameterValue ?? 'false';
    const applied = k.ClusterParameterGroups?.[0]?.ParameterApplyStatus ?? '';
    const uok = ual === 'true' && applied !== 'pending-reboot';
    out.push({ check: `redshift ${id}: enable_user_activity_logging active`, ok: uok, detail: `${group}: ${ual}${applied ? ` (${applied})` : ''}`, ...(uok ? {} : { fix: ual === 'true' ? `reboot ${id} in a maintenance window: aws redshift reboot-cluster --cluster-identifier ${id}` : fix }) });
  }
  const instances = (await cl.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
  for (const i of instances) {
    const id = i.DBInstanceIdentifier ?? '';
    const group = auditLogGroup(i.Engine ?? '', id);
    if (!group) continue;
    const logType = group.endsWith('/postgresql') ? 'postgresql' : 'audit';
    const exp = (i.EnabledCloudwatchLogsExports ?? []).includes(logType);
    out.push({ check: `rds ${id}: ${logType} log exported to CloudWatch Logs`, ok: exp, detail: (i.EnabledCloudwatchLogsExports ?? []).join(',') || 'none', ...(exp ? {} : { fix: `auditlake enable 'rds://${id}?region=${region}'` }) });
    const subs = await read(() => cl.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group })));
    const sub = (subs.v?.subscriptionFilters ?? []).some((f) => f.filterName === SUBSCRIPTION_NAME && f.destinationArn === n.logsDestinationArn);
    out.push({ check: `rds ${id}: ${group} subscribed to the central destination`, ok: sub, detail: subs.err ?? (sub ? n.logsDestinationArn : 'no auditlake subscription'), ...(sub ? {} : { fix: `aws logs put-subscription-filter --log-group-name ${group} --filter-name ${SUBSCRIPTION_NAME} --filter-pattern '' --destination-arn ${n.logsDestinationArn}` }) });
  }
  return out;
}

export function formatFindings(f: Finding[]): string {
  const lines = f.map((x) => `${x.ok ? 'ok  ' : 'FAIL'} ${x.check}: ${x.detail}${x.fix ? `\n     fix: ${x.fix}` : ''}`);
  const bad = f.filter((x) => !x.ok).length;
  lines.push(bad ? `${bad} of ${f.length} checks failed` : `all ${f.length} checks passed`);
  return lines.join('\n');
}
