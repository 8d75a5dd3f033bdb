import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LANDING_PREFIX, names, type DeployConfig } from './config.js';
import { auditlakeFunction, queueWithDlq } from './lambda-entry.js';
import { justifyWildcards, suppress } from './nag.js';

/** The events the workload accounts forward (seed 004, plus Redshift clusters created later). */
export const FORWARDED_EVENTS = {
  source: ['aws.rds', 'aws.redshift'],
  detailType: ['AWS API Call via CloudTrail'],
  eventSource: ['rds.amazonaws.com', 'redshift.amazonaws.com'],
  eventName: ['CreateDBInstance', 'CreateDBCluster', 'ModifyDBInstance', 'CreateCluster'],
};

export const STEPS = ['describe', 'configure', 'reboot', 'setup', 'ship', 'verify'] as const;
export type Step = (typeof STEPS)[number];

/** Errors the steps throw on purpose so the state machine retries them with backoff (see src/aws/lambda/rds-auto-enable/errors.ts). */
export const RETRYABLE = ['Auditlake.NotReady', 'Auditlake.GroupBusy', 'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException'];

/**
 * Seed 004 as one workflow in the central account: the governance bus (resource policy for the member accounts or
 * the organization) → rule → Step Functions → per-step Lambdas that assume the member role. Outcomes per database
 * go to a DynamoDB table (`auditlake aws rds-outcomes` lists it); failures also to a DLQ. RDS audit logs reach
 * S3 through a CloudWatch Logs destination → Firehose → the landing bucket's `firehose/rds/` prefix.
 */
export class RdsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: Record<string, lambda.Function> = {};
  readonly dlqs: Record<string, sqs.Queue> = {};
  readonly outcomes: dynamodb.Table;
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string, c: DeployConfig, region: string, landing: s3.IBucket, key: kms.IKey) {
    super(scope, id);
    const n = names(c, region);
    this.outcomes = new dynamodb.Table(this, 'Outcomes', {
      tableName: n.outcomesTable,
      partitionKey: { name: 'database', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deliveryStream = this.shipping(c, region, landing);
    const role = new iam.Role(this, 'EnableRole', {
      roleName: n.enableRoleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'auditlake: the RDS/Redshift enable steps; can only assume the member roles',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [`arn:aws:iam::*:role/${n.memberRoleName}`] }));
    const env = {
      MEMBER_ROLE_NAME: n.memberRoleName,
      LOGS_DESTINATION_ARN: n.logsDestinationArn,
      LANDING_BUCKET: n.landingBucket,
      REDSHIFT_PREFIX: LANDING_PREFIX.redshift,
      ALLOW_REBOOT: String(c.allowReboot),
      LOG_RETENTION_DAYS: '1',
      IN_DATABASE_SETUP: String(c.inDatabaseSetup ?? false),
      ...(c.masterSecretArns && Object.keys(c.masterSecretArns).length ? { MASTER_SECRET_ARNS: JSON.stringify(c.masterSecretArns) } : {}),
      // pg verifies the RDS certificate against the CA bundle the Lambda runtime ships (setup step)
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
    };
    for (const step of STEPS) {
      this.functions[step] = auditlakeFunction(this, `Step${step[0].toUpperCase()}${step.slice(1)}`, {
        name: 'rds-auto-enable', file: step, description: `auditlake rds-auto-enable: ${step}`, environment: env, timeout: Duration.minutes(2), role,
      });
    }
    const failures = queueWithDlq(this, 'Failures', key, Duration.minutes(1)).dlq;
    this.dlqs.failures = failures;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${c.prefix}-auto-enable`,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(failures)),
      timeout: Duration.hours(26),
      tracingEnabled: true,
      logs: { destination: new logs.LogGroup(this, 'StateMachineLogs', { retention: logs.RetentionDays.ONE_MONTH }), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.bus = this.governanceBus(c, n.bus, key);
    justifyWildcards(this.stateMachine, 'CDK grants: <fn>:* are versions of the six step functions, kms:GenerateDataKey* the failure queue key, Resource::* the X-Ray trace actions (no resource-level support)');
    justifyWildcards(role, 'the member role has one fixed name in every member account; which accounts exist is decided by their trust policy');
  }

  /**
   * Describe (wait while the database is still being created) → configure groups → reboot only if allowed →
   * ship (log group, 1-day retention, subscription) → verify by effect (loop) → record. Any failure after retries:
   * record the failure and put the execution input on the DLQ.
   */
  private definition(failures: sqs.IQueue): sfn.IChainable {
    const task = (step: Step) => {
      const t = new tasks.LambdaInvoke(this, `${step[0].toUpperCase()}${step.slice(1)}`, { lambdaFunction: this.functions[step], payloadResponseOnly: true, resultPath: '$' });
      t.addRetry({ errors: RETRYABLE, interval: Duration.seconds(30), maxAttempts: 6, backoffRate: 2, maxDelay: Duration.minutes(10), jitterStrategy: sfn.JitterType.FULL });
      return t;
    };
    const dbKey = sfn.JsonPath.format('{}/{}/{}', sfn.JsonPath.stringAt('$.account'), sfn.JsonPath.stringAt('$.region'), sfn.JsonPath.stringAt('$.id'));
    const record = (id: string, status?: string) =>
      new tasks.DynamoPutItem(this, id, {
        table: this.outcomes,
        item: {
          database: tasks.DynamoAttributeValue.fromString(dbKey),
          status: tasks.DynamoAttributeValue.fromString(status ?? sfn.JsonPath.stringAt('$.outcome')),
          engine: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.engine')),
          detail: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(status ? sfn.JsonPath.objectAt('$.error') : sfn.JsonPath.objectAt('$.notes'))),
          execution: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.executionId),
          updatedAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stateEnteredTime),
        },
        resultPath: sfn.JsonPath.DISCARD,
      });
    const failed = record('RecordFailure', 'failed')
      .next(new tasks.SqsSendMessage(this, 'ToDlq', { queue: failures, messageBody: sfn.TaskInput.fromJsonPathAt('$'), resultPath: sfn.JsonPath.DISCARD }))
      .next(new sfn.Fail(this, 'Failed', { error: 'Auditlake.EnableFailed', cause: 'see the outcomes table and the DLQ' }));
    const describe = task('describe');
    const configure = task('configure');
    const reboot = task('reboot');
    const setup = task('setup');
    const ship = task('ship');
    const verify = task('verify');
    for (const t of [describe, configure, reboot, setup, ship, verify]) t.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    // The state every step reads and returns (src/aws/lambda/rds-auto-enable/state.ts); `id` is the event id until
    // describe has found the database, so even an early failure is recorded under a findable key.
    const start = new sfn.Pass(this, 'Start', {
      parameters: {
        'account.$': '$.account',
        'region.$': '$.region',
        'id.$': "States.Format('event-{}', $.id)",
        'eventName.$': '$.detail.eventName',
        'requestParameters.$': '$.detail.requestParameters',
        'userIdentity.$': '$.detail.userIdentity',
        engine: 'unknown',
        attempt: 0,
        ready: false,
        verified: false,
        outcome: 'started',
        notes: [],
      },
    });
    const notReady = new sfn.Pass(this, 'NotReadyInTime', { result: sfn.Result.fromObject({ Error: 'Auditlake.NotReady', Cause: 'the database did not become available within 3 hours' }), resultPath: '$.error' }).next(failed);
    const waitReady = new sfn.Wait(this, 'WaitUntilAvailable', { time: sfn.WaitTime.duration(Duration.minutes(5)) }).next(describe);
    const waitEffect = new sfn.Wait(this, 'WaitForAuditRecords', { time: sfn.WaitTime.duration(Duration.minutes(10)) }).next(verify);
    const done = record('RecordOutcome').next(new sfn.Succeed(this, 'Done'));
    return start
      .next(describe)
      .next(new sfn.Choice(this, 'Ready?')
        .when(sfn.Condition.stringEquals('$.outcome', 'skipped'), record('RecordSkipped').next(new sfn.Succeed(this, 'Skipped')))
        .when(sfn.Condition.and(sfn.Condition.booleanEquals('$.ready', false), sfn.Condition.numberLessThan('$.attempt', 36)), waitReady)
        .when(sfn.Condition.booleanEquals('$.ready', false), notReady)
        .otherwise(configure.next(reboot).next(setup).next(ship).next(verify).next(new sfn.Choice(this, 'Verified?')
          .when(sfn.Condition.booleanEquals('$.verified', true), done)
          .when(sfn.Condition.numberLessThan('$.attempt', 24), waitEffect)
          .otherwise(done))));
  }

  /** CloudWatch Logs destination (member subscriptions point here) → Firehose → landing `firehose/rds/`. */
  private shipping(c: DeployConfig, region: string, landing: s3.IBucket): firehose.CfnDeliveryStream {
    const n = names(c, region);
    const deliveryRole = new iam.Role(this, 'FirehoseDeliveryRole', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': c.centralAccount } } }) });
    deliveryRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [landing.arnForObjects(`${LANDING_PREFIX.firehose}*`), landing.arnForObjects('firehose-errors/*')] }));
    deliveryRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [landing.bucketArn] }));
    const errors = new logs.LogGroup(this, 'FirehoseErrors', { retention: logs.RetentionDays.ONE_MONTH });
    const errStream = new logs.LogStream(this, 'FirehoseErrorStream', { logGroup: errors });
    deliveryRole.addToPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [errors.logGroupArn] }));
    const stream = new firehose.CfnDeliveryStream(this, 'RdsAuditStream', {
      deliveryStreamName: `${c.prefix}-rds-audit`,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: landing.bucketArn,
        roleArn: deliveryRole.roleArn,
        prefix: LANDING_PREFIX.firehose,
        errorOutputPrefix: 'firehose-errors/!{firehose:error-output-type}/',
        // CloudWatch Logs records arrive gzip'd already: leave them as they are (the ingest decoder reads them).
        compressionFormat: 'UNCOMPRESSED',
        bufferingHints: { intervalInSeconds: 300, sizeInMBs: 5 },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: errors.logGroupName, logStreamName: errStream.logStreamName },
      },
    });
    stream.node.addDependency(deliveryRole);
    justifyWildcards(deliveryRole, 'Firehose writes new objects under its own two prefixes of the landing bucket only');
    const toFirehose = new iam.Role(this, 'LogsToFirehoseRole', { assumedBy: new iam.ServicePrincipal('logs.amazonaws.com', { conditions: { StringLike: { 'aws:SourceArn': sourceArns(c, region) } } }) });
    toFirehose.addToPolicy(new iam.PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [stream.attrArn] }));
    const dest = new logs.CfnDestination(this, 'LogsDestination', {
      destinationName: n.logsDestination,
      roleArn: toFirehose.roleArn,
      targetArn: stream.attrArn,
      destinationPolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: c.organizationId ? '*' : { AWS: (c.memberAccounts.length ? c.memberAccounts : [c.centralAccount]) },
          Action: 'logs:PutSubscriptionFilter',
          Resource: n.logsDestinationArn,
          ...(c.organizationId ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': c.organizationId } } } : {}),
        }],
      }),
    });
    dest.node.addDependency(toFirehose);
    return stream;
  }

  /** The bus the member accounts' rules forward to; its policy admits exactly them (or the organization). */
  private governanceBus(c: DeployConfig, busName: string, key: kms.IKey): events.EventBus {
    const bus = new events.EventBus(this, 'GovernanceBus', { eventBusName: busName });
    const members = c.memberAccounts.length ? c.memberAccounts : [c.centralAccount];
    if (c.organizationId) {
      bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'OrgPutEvents', principals: [new iam.AnyPrincipal()], actions: ['events:PutEvents'], resources: [bus.eventBusArn], conditions: { StringEquals: { 'aws:PrincipalOrgID': c.organizationId } } }));
    } else {
      bus.addToResourcePolicy(new iam.PolicyStatement({ sid: 'MemberPutEvents', principals: members.map((a) => new iam.AccountPrincipal(a)), actions: ['events:PutEvents'], resources: [bus.eventBusArn] }));
    }
    const dlq = queueWithDlq(this, 'BusTargetFailures', key, Duration.minutes(1)).dlq;
    this.dlqs.busTarget = dlq;
    new events.Rule(this, 'DatabaseCreated', {
      eventBus: bus,
      description: 'auditlake: a database was created or modified in a member account → switch its audit log on',
      eventPattern: { source: FORWARDED_EVENTS.source, detailType: FORWARDED_EVENTS.detailType, detail: { eventSource: FORWARDED_EVENTS.eventSource, eventName: FORWARDED_EVENTS.eventName } },
      targets: [new targets.SfnStateMachine(this.stateMachine, { deadLetterQueue: dlq, retryAttempts: 10, maxEventAge: Duration.hours(24) })],
    });
    return bus;
  }
}

/** Log groups of the member accounts (or any account of the org) that may feed the destination. */
function sourceArns(c: DeployConfig, region: string): string[] {
  if (c.organizationId || c.memberAccounts.length === 0) return [`arn:aws:logs:${region}:*:*`];
  return c.memberAccounts.map((a) => `arn:aws:logs:${region}:${a}:*`);
}

export function stackOf(scope: Construct): Stack {
  return Stack.of(scope);
}
