import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LANDING_PREFIX, type DeployConfig } from './config.js';

export interface AlarmInputs {
  functions: Record<string, lambda.IFunction>;
  dlqs: Record<string, sqs.IQueue>;
  stateMachine: sfn.IStateMachine;
  landing: s3.Bucket;
}

/**
 * One topic (KMS, TLS-only) and three kinds of alarm: a message in any DLQ, any handler error, any failed
 * enablement; and silence — no Redshift or CloudTrail object from an account for `silenceHours`. Silence uses S3
 * request metrics filtered by the account's landing prefix (no handler cooperation needed); a missing datapoint
 * counts as silence.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, c: DeployConfig, key: kms.IKey, x: AlarmInputs) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'auditlake alarms', masterKey: key, enforceSSL: true });
    if (c.alarmEmail) this.topic.addSubscription(new subs.EmailSubscription(c.alarmEmail));
    const action = new cwActions.SnsAction(this.topic);
    const add = (a: cw.Alarm) => {
      a.addAlarmAction(action);
      a.addOkAction(action);
    };
    for (const [name, q] of Object.entries(x.dlqs)) {
      add(q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }).createAlarm(this, `Dlq-${name}`, {
        alarmDescription: `auditlake: messages in the ${name} DLQ — inspect, fix, redrive`, threshold: 1, evaluationPeriods: 1, comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }));
    }
    for (const [name, fn] of Object.entries(x.functions)) {
      add(fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, `Errors-${name}`, {
        alarmDescription: `auditlake: ${name} failed`, threshold: 1, evaluationPeriods: 1, comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      }));
    }
    add(x.stateMachine.metricFailed({ period: Duration.minutes(5) }).createAlarm(this, 'EnableFailed', {
      alarmDescription: 'auditlake: an RDS/Redshift auto-enable run failed (see the outcomes table)', threshold: 1, evaluationPeriods: 1, comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    }));
    this.silence(c, x.landing, add);
  }

  private silence(c: DeployConfig, landing: s3.Bucket, add: (a: cw.Alarm) => void): void {
    const cfn = landing.node.defaultChild as s3.CfnBucket;
    const configs: s3.CfnBucket.MetricsConfigurationProperty[] = [];
    for (const acct of c.memberAccounts) {
      const sources = [
        { what: 'redshift', prefix: `${LANDING_PREFIX.redshift}AWSLogs/${acct}/` },
        { what: 'cloudtrail', prefix: c.orgTrailArn && c.organizationId ? `${LANDING_PREFIX.cloudtrail}AWSLogs/${c.organizationId}/${acct}/` : `${LANDING_PREFIX.cloudtrail}AWSLogs/${acct}/` },
      ];
      for (const s of sources) {
        const filterId = `${s.what}-${acct}`;
        configs.push({ id: filterId, prefix: s.prefix });
        const metric = new cw.Metric({ namespace: 'AWS/S3', metricName: 'PutRequests', dimensionsMap: { BucketName: landing.bucketName, FilterId: filterId }, statistic: 'Sum', period: Duration.hours(1) });
        add(metric.createAlarm(this, `Silence-${filterId}`, {
          alarmDescription: `auditlake: no ${s.what} object from account ${acct} for ${c.silenceHours}h (is logging still on? run auditlake aws doctor)`,
          threshold: 1,
          comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: c.silenceHours,
          datapointsToAlarm: c.silenceHours,
          treatMissingData: cw.TreatMissingData.BREACHING,
        }));
      }
    }
    if (configs.length) cfn.metricsConfigurations = configs;
  }
}
