import { CreateLogGroupCommand, PutRetentionPolicyCommand, PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { classify, type EnableState } from './state.js';
import { stepHandler, type StepDeps } from './step-handler.js';

/** The CloudWatch Logs group RDS exports an engine's audit log to. */
export function auditLogGroup(engine: string, id: string): string | null {
  if (engine === 'aurora-postgresql') return `/aws/rds/cluster/${id}/postgresql`;
  if (engine === 'aurora-mysql') return `/aws/rds/cluster/${id}/audit`;
  if (engine === 'postgres') return `/aws/rds/instance/${id}/postgresql`;
  if (engine === 'mysql' || engine === 'mariadb') return `/aws/rds/instance/${id}/audit`;
  return null; // SQL Server and Redshift write to S3 themselves
}

export const SUBSCRIPTION_NAME = 'auditlake';

/**
 * Step 4: ship the exported audit log to S3 — create the log group before RDS does (so no record escapes the
 * subscription), retention 1 day (the logs live in S3), subscription filter → the central destination → Firehose.
 * All three calls are idempotent.
 */
export async function shipStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  const group = auditLogGroup(s.engine, s.id);
  if (s.kind === 'redshift' || !group) return { ...s, logGroups: [] };
  try {
    await d.clients.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e: Error) => {
      if (e.name !== 'ResourceAlreadyExistsException') throw e;
    });
    await d.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: d.config.logRetentionDays }));
    await d.clients.logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: SUBSCRIPTION_NAME, filterPattern: '', destinationArn: d.config.destinationArn }));
  } catch (e) {
    throw classify(e, `ship ${s.account}/${s.region}/${s.id}`);
  }
  return { ...s, logGroups: [group], notes: [...s.notes, `${group}: retention ${d.config.logRetentionDays}d, subscribed to ${d.config.destinationArn}`] };
}

export const handler = stepHandler(shipStep);
