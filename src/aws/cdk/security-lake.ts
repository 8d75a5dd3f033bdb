import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { DeployConfig } from './config.js';
import { handlerEnvironment } from './ingest.js';
import { auditlakeFunction, queueWithDlq } from './lambda-entry.js';
import { justifyWildcards, suppress } from './nag.js';
import type { CentralStorage } from './storage.js';

/** The OCSF classes auditlake emits (src/aws/lambda/ocsf-export/config.ts OCSF_CLASS_UIDS), one custom source each. */
export const SECURITY_LAKE_CLASSES = [
  { uid: 3001, name: 'ACCOUNT_CHANGE' },
  { uid: 3002, name: 'AUTHENTICATION' },
  { uid: 6003, name: 'API_ACTIVITY' },
  { uid: 6005, name: 'DATASTORE_ACTIVITY' },
] as const;

/**
 * Issue 16 wiring (opt-in, `securityLake: true`): registers auditlake as an Amazon Security Lake custom source per
 * OCSF class with `CreateCustomLogSource` (an AwsCustomResource: one SDK call on create, `DeleteCustomLogSource` on
 * delete — no handler code of ours to maintain), gives Security Lake the Glue crawler role it requires, and runs the
 * OCSF export Lambda hourly into the locations Security Lake returned. Security Lake itself must already be enabled
 * in the account and region (it is an account-level service with its own delegated administrator).
 */
export class SecurityLakeSources extends Construct {
  readonly exporter: lambda.Function;
  readonly sources: cr.AwsCustomResource[] = [];

  constructor(scope: Construct, id: string, c: DeployConfig, storage: CentralStorage, key: kms.IKey) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    const glueRole = new iam.Role(this, 'CrawlerRole', {
      description: 'auditlake: Security Lake runs its Glue crawler over the auditlake custom sources as this role',
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
    });
    glueRole.addToPolicy(new iam.PolicyStatement({ actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:CreateTable', 'glue:UpdateTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchCreatePartition', 'glue:BatchGetPartition'], resources: [`arn:${partition}:glue:*:${account}:catalog`, `arn:${partition}:glue:*:${account}:database/amazon_security_lake_glue_db_*`, `arn:${partition}:glue:*:${account}:table/amazon_security_lake_glue_db_*/*`] }));
    glueRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket'], resources: [`arn:${partition}:s3:::aws-security-data-lake-*`, `arn:${partition}:s3:::aws-security-data-lake-*/ext/*`] }));
    glueRole.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`arn:${partition}:logs:*:${account}:log-group:/aws-glue/*`] }));
    justifyWildcards(glueRole, 'Security Lake names its Glue database and bucket per region (amazon_security_lake_glue_db_<region>, aws-security-data-lake-<region>-<id>): the prefixes are fixed, the suffixes are not known before it is enabled');
    const env: Record<string, string> = { ...handlerEnvironment(c, storage, key), AUDITLAKE_OCSF_FORMAT: 'parquet' };
    for (const cls of SECURITY_LAKE_CLASSES) {
      const sourceName = `${c.prefix}-${cls.uid}`.slice(0, 20);
      const source = new cr.AwsCustomResource(this, `Source${cls.uid}`, {
        onCreate: {
          service: 'SecurityLake',
          action: 'createCustomLogSource',
          parameters: { sourceName, sourceVersion: '1.0', eventClasses: [cls.name], configuration: { crawlerConfiguration: { roleArn: glueRole.roleArn }, providerIdentity: { principal: account, externalId: `${c.prefix}-ocsf-export` } } },
          physicalResourceId: cr.PhysicalResourceId.of(sourceName),
          outputPaths: ['source.provider.location', 'source.provider.roleArn'],
        },
        onDelete: { service: 'SecurityLake', action: 'deleteCustomLogSource', parameters: { sourceName } },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['securitylake:CreateCustomLogSource', 'securitylake:DeleteCustomLogSource'], resources: [`arn:${partition}:securitylake:*:${account}:data-lake/default`] }),
          // CreateCustomLogSource sets up the provider role, the Glue crawler and the bucket prefix on our behalf.
          new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [glueRole.roleArn] }),
          new iam.PolicyStatement({ actions: ['glue:CreateCrawler', 'glue:CreateDatabase', 'glue:CreateTable', 'glue:StartCrawlerSchedule', 'iam:GetRole', 'iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'lakeformation:RegisterResource', 'lakeformation:GrantPermissions', 's3:ListBucket', 's3:PutObject', 'kms:CreateGrant', 'kms:DescribeKey'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
      });
      env[`AUDITLAKE_OCSF_LOCATION_${cls.uid}`] = source.getResponseField('source.provider.location');
      this.sources.push(source);
    }
    const dlq = queueWithDlq(this, 'ExportFailures', key, Duration.minutes(1)).dlq;
    this.exporter = auditlakeFunction(this, 'OcsfExport', { name: 'ocsf-export', description: 'auditlake ocsf-export: new lake rows as OCSF Parquet into the Security Lake custom sources', environment: env, memoryMb: 2048, timeout: Duration.minutes(15), asyncDlq: dlq, duckdb: true });
    (this.exporter.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = 1;
    storage.lake.grantReadWrite(this.exporter);
    key.grantEncryptDecrypt(this.exporter);
    this.exporter.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [`arn:${partition}:s3:::aws-security-data-lake-*/ext/${c.prefix}-*`] }));
    new events.Rule(this, 'ExportSchedule', {
      description: 'auditlake: OCSF export to Security Lake every hour',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [new targets.LambdaFunction(this.exporter, { deadLetterQueue: dlq, retryAttempts: 2, maxEventAge: Duration.hours(2) })],
    });
    justifyWildcards(this.exporter, 'the lake bucket and key grants of CDK (object-level *), and the ext/<prefix>-* prefixes of the Security Lake bucket');
    justifyWildcards(this, 'CreateCustomLogSource creates the crawler, Glue table, provider role and Lake Formation grants itself; their names are chosen by Security Lake');
    const provider = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (provider) suppress(provider, [{ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'AwsCustomResource\'s provider function uses AWSLambdaBasicExecutionRole for its own logs' }, { id: 'AwsSolutions-L1', reason: 'the AwsCustomResource provider runtime is chosen by aws-cdk-lib' }]);
    suppress(this, [{ id: 'AwsSolutions-IAM4', reason: 'AwsCustomResource\'s provider function uses AWSLambdaBasicExecutionRole for its own logs' }, { id: 'AwsSolutions-L1', reason: 'the AwsCustomResource provider runtime is chosen by aws-cdk-lib' }]);
  }
}
