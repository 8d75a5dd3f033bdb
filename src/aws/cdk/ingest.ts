import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LANDING_PREFIX, RETENTION_PRESETS, names, type DeployConfig } from './config.js';
import { auditlakeFunction, queueWithDlq } from './lambda-entry.js';
import { justifyWildcards, suppress } from './nag.js';
import type { CentralStorage } from './storage.js';

export interface IngestPipeline {
  functions: Record<string, lambda.Function>;
  dlqs: Record<string, sqs.Queue>;
}

/** The handler names of "Run on AWS" (issue 13) and the landing prefix each consumes. */
export const INGEST_HANDLERS = [
  { name: 'landing-to-vault', prefix: LANDING_PREFIX.redshift, about: 'Redshift audit logs: re-encrypt into the vault, ingest into the lake' },
  { name: 'cloudtrail-to-lake', prefix: LANDING_PREFIX.cloudtrail, about: 'CloudTrail log files: vault + lake' },
  { name: 'firehose-to-lake', prefix: LANDING_PREFIX.firehose, about: 'RDS audit logs via CloudWatch Logs → Firehose: vault + lake' },
] as const;

const HANDLER_TIMEOUT = Duration.minutes(10);

/**
 * The environment every handler reads (documented per handler in src/aws/lambda/<name>/config.ts). The vault's
 * lock settings travel with it so a handler writes the same retention the bucket defaults to.
 */
export function handlerEnvironment(c: DeployConfig, s: CentralStorage, key: kms.IKey): Record<string, string> {
  const preset = RETENTION_PRESETS[c.retention];
  return {
    // The S3 home is the lake bucket (lake/, state/, quarantine/, sideline/); the vault is its own Object Lock bucket.
    AUDITLAKE_HOME: `s3://${s.lake.bucketName}`,
    AUDITLAKE_VAULT: `s3://${s.vault.bucketName}`,
    AUDITLAKE_KMS_KEY: key.keyArn,
    AUDITLAKE_LOCK_MODE: c.lockMode,
    AUDITLAKE_LOCK_DAYS: String(preset.lockDays),
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * Landing bucket → S3 event notification (one non-overlapping prefix per pipeline) → SQS (KMS, DLQ after 5
 * receives) → handler with partial batch failures; plus the hourly sweep that catches what events missed
 * (S3 delivery is at-least-once and best-effort: research/aws-scale.md §0.3).
 */
export class Ingest extends Construct implements IngestPipeline {
  readonly functions: Record<string, lambda.Function> = {};
  readonly dlqs: Record<string, sqs.Queue> = {};

  constructor(scope: Construct, id: string, c: DeployConfig, region: string, s: CentralStorage, key: kms.IKey) {
    super(scope, id);
    const env = handlerEnvironment(c, s, key);
    const notifications: s3.CfnBucket.QueueConfigurationProperty[] = [];
    for (const h of INGEST_HANDLERS) {
      const { queue, dlq } = queueWithDlq(this, `${pascal(h.name)}Queue`, key, Duration.seconds(HANDLER_TIMEOUT.toSeconds() * 6));
      const fn = auditlakeFunction(this, pascal(h.name), { name: h.name, description: `auditlake ${h.name}: ${h.about}`, environment: env, memoryMb: 2048, timeout: HANDLER_TIMEOUT, duckdb: true });
      fn.addEventSource(new SqsEventSource(queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(10), reportBatchItemFailures: true }));
      notifications.push({ event: 's3:ObjectCreated:*', queue: queue.queueArn, filter: { s3Key: { rules: [{ name: 'prefix', value: h.prefix }] } } });
      allowS3ToSend(queue, names(c, region).landingBucket, c.centralAccount);
      grantPipeline(fn, s, key, h.prefix);
      this.functions[h.name] = fn;
      this.dlqs[h.name] = dlq;
    }
    // Set on the bucket itself (no notification custom resource); the queue policies name the bucket by its ARN
    // string, so the bucket can depend on them without a cycle and S3's destination check passes at creation.
    const cfnLanding = s.landing.node.defaultChild as s3.CfnBucket;
    cfnLanding.notificationConfiguration = { queueConfigurations: notifications };
    for (const h of INGEST_HANDLERS) cfnLanding.node.addDependency(this.node.findChild(`${pascal(h.name)}Queue`));
    const sweepDlq = queueWithDlq(this, 'SweepFailures', key, Duration.minutes(1)).dlq;
    const sweep = auditlakeFunction(this, 'Sweep', {
      name: 'sweep',
      description: 'auditlake sweep: processes landed objects the events missed, adopts lake fragments',
      environment: { ...env, AUDITLAKE_SWEEP_SOURCES: INGEST_HANDLERS.map((h) => `s3://${s.landing.bucketName}/${h.prefix}`).join(',') },
      memoryMb: 2048,
      timeout: Duration.minutes(15),
      asyncDlq: sweepDlq,
      duckdb: true,
    });
    // The sweep cursor is one object updated with If-Match: one sweep at a time.
    (sweep.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 1;
    for (const h of INGEST_HANDLERS) grantPipeline(sweep, s, key, h.prefix);
    new events.Rule(this, 'SweepSchedule', {
      description: 'auditlake: sweep of the landing bucket every 15 minutes',
      schedule: events.Schedule.rate(Duration.minutes(15)),
      targets: [new targets.LambdaFunction(sweep, { deadLetterQueue: sweepDlq, retryAttempts: 2, maxEventAge: Duration.hours(2) })],
    });
    this.functions.sweep = sweep;
    this.dlqs.sweep = sweepDlq;
  }
}

function allowS3ToSend(queue: sqs.Queue, landingName: string, account: string): void {
  queue.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': `arn:aws:s3:::${landingName}` }, StringEquals: { 'aws:SourceAccount': account } },
  }));
}

/**
 * Least privilege per handler: read its landing prefix; write (never delete) the vault with retention; read and
 * write the lake (compaction replaces files); the CMK for envelope encryption and through S3.
 */
function grantPipeline(fn: lambda.Function, s: CentralStorage, key: kms.IKey, prefix: string): void {
  justifyWildcards(fn.role!, 'object-level ARNs: its landing prefix (read), the vault (write with retention, no delete) and the lake (read/write) — keys are not known in advance');
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [s.landing.arnForObjects(`${prefix}*`)] }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [s.landing.bucketArn, s.vault.bucketArn, s.lake.bucketArn] }));
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
    resources: [s.vault.arnForObjects('*')],
  }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [s.lake.arnForObjects('*')] }));
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'], resources: [key.keyArn] }));
}

export function pascal(s: string): string {
  return s.replace(/(^|-)([a-z])/g, (_, __, ch: string) => ch.toUpperCase());
}
