import { Aws, BootstraplessSynthesizer, CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LANDING_PREFIX, names, type DeployConfig } from './config.js';
import { acknowledgeWildcards, justifyWildcards, suppress } from './nag.js';
import { FORWARDED_EVENTS } from './rds-workflow.js';

/** The cluster parameter group the enable workflow attaches (its name is what redshift-audit.ts creates). */
export const REDSHIFT_PARAMETER_GROUP = 'auditlake-redshift-1-0';

/**
 * What each workload account needs, with no account id baked in and no assets, so one template serves every
 * account (CloudFormation StackSet, or `cdk deploy` per account): the Redshift audit parameter group, a trail into
 * the central landing bucket (unless an organization trail already covers the account), the rule forwarding
 * database creation to the central bus, and the role the central workflow assumes — trusted for exactly the
 * central enable role, allowed only the calls the steps make.
 */
export class WorkloadStack extends Stack {
  constructor(scope: Construct, id: string, c: DeployConfig, region: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: { region }, synthesizer: new BootstraplessSynthesizer(), description: `auditlake workload account (${region}): Redshift/RDS audit to the central account ${c.centralAccount}` });
    Tags.of(this).add('auditlake', 'workload');
    const n = names(c, region);
    const landing = s3.Bucket.fromBucketName(this, 'CentralLanding', n.landingBucket);

    new redshift.CfnClusterParameterGroup(this, 'RedshiftAuditParameters', {
      parameterGroupName: REDSHIFT_PARAMETER_GROUP,
      parameterGroupFamily: 'redshift-1.0',
      description: 'auditlake: user activity log on (static: takes effect at the next reboot)',
      parameters: [{ parameterName: 'enable_user_activity_logging', parameterValue: 'true' }, { parameterName: 'require_ssl', parameterValue: 'true' }],
    });

    if (!c.orgTrailArn && region === c.regions[0]) {
      const trail = new cloudtrail.Trail(this, 'Trail', {
        trailName: `${c.prefix}-api`,
        bucket: landing,
        s3KeyPrefix: LANDING_PREFIX.cloudtrail.replace(/\/$/, ''),
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableFileValidation: true,
        managementEvents: cloudtrail.ReadWriteType.ALL,
      });
      suppress(trail, [{ id: 'AwsSolutions-S1', reason: 'the trail writes to the central landing bucket, whose access logging is configured in the central stack' }]);
    }

    const forwardFailures = new sqs.Queue(this, 'ForwardFailures', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    suppress(forwardFailures, [{ id: 'AwsSolutions-SQS3', reason: 'this queue is itself the dead-letter queue of the forwarding rule' }]);
    new events.Rule(this, 'ForwardDatabaseEvents', {
      description: 'auditlake: new or modified RDS/Redshift databases → central governance bus (seed 004)',
      eventPattern: { source: FORWARDED_EVENTS.source, detailType: FORWARDED_EVENTS.detailType, detail: { eventSource: FORWARDED_EVENTS.eventSource, eventName: FORWARDED_EVENTS.eventName } },
      targets: [new targets.EventBus(events.EventBus.fromEventBusArn(this, 'CentralBus', n.busArn), { deadLetterQueue: forwardFailures })],
    });

    const role = new iam.Role(this, 'MemberRole', {
      roleName: n.memberRoleName,
      description: 'auditlake: assumed by the central enable workflow to switch database audit logging on',
      assumedBy: new iam.AccountPrincipal(c.centralAccount).withConditions({ ArnEquals: { 'aws:PrincipalArn': n.enableRoleArn } }),
      maxSessionDuration: Duration.hours(1),
    });
    // RDS for SQL Server uploads its .sqlaudit files itself, as this role (SQLSERVER_AUDIT IAM_ROLE_ARN).
    const sqlAudit = new iam.Role(this, 'SqlServerAuditRole', {
      roleName: `${n.memberRoleName}-sqlserver-audit`,
      description: 'auditlake: RDS for SQL Server writes its audit files to the central landing bucket',
      assumedBy: new iam.ServicePrincipal('rds.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    sqlAudit.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'], resources: [`arn:${Aws.PARTITION}:s3:::${n.landingBucket}/${LANDING_PREFIX.sqlserver}AWSLogs/${Aws.ACCOUNT_ID}/*`] }));
    sqlAudit.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket', 's3:GetBucketACL', 's3:GetBucketLocation'], resources: [`arn:${Aws.PARTITION}:s3:::${n.landingBucket}`] }));
    justifyWildcards(sqlAudit, 'SQL Server writes new audit files under this account\'s own prefix of the landing bucket only');
    memberPolicy(role, region, n.landingBucket);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [sqlAudit.roleArn], conditions: { StringEquals: { 'iam:PassedToService': 'rds.amazonaws.com' } } }));
    justifyWildcards(role, 'each wildcard is a resource type in this account and region (db:*, pg:auditlake-*, log-group:/aws/rds/*, secret:rds!*): the member role serves databases that do not exist yet');
    new CfnOutput(this, 'MemberRoleArn', { value: role.roleArn });
    acknowledgeWildcards(this);
  }
}

/** Exactly the calls of src/aws/lambda/rds-auto-enable/* and src/sources/aws-databases/{rds,redshift}-audit.ts, scoped to this account and region. */
function memberPolicy(role: iam.Role, region: string, landingBucket: string): void {
  const arn = (service: string, res: string) => `arn:${Aws.PARTITION}:${service}:${region}:${Aws.ACCOUNT_ID}:${res}`;
  const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) => role.addToPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
  const rdsRes = [arn('rds', 'db:*'), arn('rds', 'cluster:*'), arn('rds', 'pg:*'), arn('rds', 'og:*')];
  allow(['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'rds:DescribeDBParameterGroups', 'rds:DescribeDBParameters', 'rds:DescribeOptionGroups'], rdsRes);
  allow(['rds:ModifyDBInstance', 'rds:RebootDBInstance'], [arn('rds', 'db:*'), arn('rds', 'pg:*'), arn('rds', 'og:*')]);
  allow(['redshift:DescribeClusters', 'redshift:DescribeLoggingStatus'], [arn('redshift', 'cluster:*')]);
  allow(['redshift:DescribeClusterParameters'], [arn('redshift', 'parametergroup:*')]);
  allow(['rds:CreateDBParameterGroup', 'rds:ModifyDBParameterGroup'], [arn('rds', 'pg:auditlake-*')]);
  allow(['rds:CreateOptionGroup', 'rds:ModifyOptionGroup'], [arn('rds', 'og:auditlake-*')]);
  allow(['redshift:EnableLogging', 'redshift:ModifyCluster', 'redshift:RebootCluster'], [arn('redshift', 'cluster:*')]);
  allow(['redshift:CreateClusterParameterGroup', 'redshift:ModifyClusterParameterGroup'], [arn('redshift', 'parametergroup:auditlake-*')]);
  // EnableLogging checks that the caller itself may write the target bucket.
  allow(['s3:PutObject'], [`arn:${Aws.PARTITION}:s3:::${landingBucket}/${LANDING_PREFIX.redshift}*`]);
  allow(['s3:GetBucketAcl'], [`arn:${Aws.PARTITION}:s3:::${landingBucket}`]);
  allow(['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:PutSubscriptionFilter', 'logs:DescribeSubscriptionFilters', 'logs:FilterLogEvents'], [arn('logs', 'log-group:/aws/rds/*')]);
  allow(['logs:DescribeLogGroups'], [arn('logs', 'log-group:*')]);
  allow(['rds:DescribeDBClusterParameterGroups', 'rds:DescribeDBClusterParameters'], [arn('rds', 'cluster-pg:*')]);
  allow(['rds:CreateDBClusterParameterGroup', 'rds:ModifyDBClusterParameterGroup'], [arn('rds', 'cluster-pg:auditlake-*')]);
  allow(['rds:ModifyDBCluster'], [arn('rds', 'cluster:*'), arn('rds', 'cluster-pg:*')]);
  // Master logins (setup step): RDS-managed secrets (names start with rds!), or secrets the owner tagged for auditlake.
  allow(['secretsmanager:GetSecretValue'], [arn('secretsmanager', 'secret:rds!*')]);
  allow(['secretsmanager:GetSecretValue'], [arn('secretsmanager', 'secret:*')], { StringEquals: { 'aws:ResourceTag/auditlake-access': 'master-secret' } });
  // A secret under a customer key: decrypt only on behalf of Secrets Manager in this region.
  allow(['kms:Decrypt'], [arn('kms', 'key/*')], { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } });
}
