import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config.js';

const CRYPTO = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * The vault CMK: rotation on, retained on stack deletion (deleting it would make the vault unreadable), 30-day
 * deletion window. Direct (non-service) use is confined by encryption context: auditlake wraps each vault object's
 * data key with `auditlake:object = <vault key>`, and vault keys are `…AWSLogs/<account>/…`, so a principal can only
 * encrypt or decrypt for the configured accounts. Service use (S3 bucket keys, SQS, SNS, DynamoDB) goes through
 * `kms:ViaService` and is confined by IAM grants instead.
 */
export function vaultKey(scope: Construct, c: DeployConfig): kms.IKey {
  if (c.key.kind === 'import') return kms.Key.fromKeyArn(scope, 'VaultKey', c.key.arn);
  const key = new kms.Key(scope, 'VaultKey', {
    alias: `alias/${c.prefix}-vault`,
    description: 'auditlake: vault, lake, queues and outcome table (envelope encryption confined per account by encryption context)',
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    pendingWindow: Duration.days(30),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const accounts = [...new Set([c.centralAccount, ...c.memberAccounts])];
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ConfineEnvelopeUseToConfiguredAccounts',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: CRYPTO,
    resources: ['*'],
    conditions: {
      Null: { 'kms:ViaService': 'true' },
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
      StringNotLikeIfExists: { 'kms:EncryptionContext:auditlake:object': accounts.map((a) => `*AWSLogs/${a}/*`) },
    },
  }));
  // Services that encrypt on our behalf: S3 (event notifications into the KMS-encrypted queues), EventBridge (DLQs),
  // CloudWatch (alarm notifications to the encrypted topic). Each confined to this account as the source.
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ServicesPublishingToEncryptedQueuesAndTopics',
    principals: ['s3.amazonaws.com', 'events.amazonaws.com', 'cloudwatch.amazonaws.com', 'states.amazonaws.com'].map((s) => new iam.ServicePrincipal(s)),
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': c.centralAccount } },
  }));
  return key;
}
