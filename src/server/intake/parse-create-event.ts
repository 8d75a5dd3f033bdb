/**
 * @module
 * An EventBridge event carrying a CloudTrail record ("AWS API Call via CloudTrail") → the database it announces.
 * CreateDBInstance / CreateDBCluster (and the restore variants, which also create a database) start auditing an RDS
 * database; CreateCluster / RestoreFromClusterSnapshot a Redshift cluster. Anything else is accepted and recorded
 * but starts nothing.
 */
import { createHash } from 'node:crypto';
import { AuditlakeError } from '../../core/errors.js';

export interface IntakeEvent {
  /** EventBridge event id (envelope `id`), else the CloudTrail `eventID`: the de-duplication key. */
  id: string;
  account: string;
  region: string;
  time: string;
  eventName: string;
  eventSource: string;
  /** The announced database, when this is a create event. */
  target: { kind: 'rds' | 'redshift'; resource: string; engine: string | null; cluster: boolean } | null;
}

const RDS_CREATE = new Set(['CreateDBInstance', 'CreateDBCluster', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBClusterFromSnapshot', 'RestoreDBInstanceToPointInTime', 'CreateDBInstanceReadReplica']);
const REDSHIFT_CREATE = new Set(['CreateCluster', 'RestoreFromClusterSnapshot']);

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Throws E_USAGE naming the missing field; the route answers 400 with it. */
export function parseIntakeEvent(body: unknown, index = 0): IntakeEvent {
  const e = obj(body);
  const d = obj(e.detail);
  const where = `event[${index}]`;
  const id = str(e.id) ?? str(d.eventID);
  if (!id || id.length > 200) throw new AuditlakeError('E_USAGE', `intake: ${where}: "id" (EventBridge) or "detail.eventID" (CloudTrail) is required (≤ 200 characters)`);
  const account = str(e.account) ?? str(d.recipientAccountId) ?? str(obj(d.userIdentity).accountId);
  if (!account || !/^\d{12}$/.test(account)) throw new AuditlakeError('E_USAGE', `intake: ${where}: "account" must be a 12-digit AWS account id`);
  const region = str(e.region) ?? str(d.awsRegion);
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new AuditlakeError('E_USAGE', `intake: ${where}: "region" (or detail.awsRegion) must be an AWS region like eu-west-1`);
  const eventName = str(d.eventName);
  const eventSource = str(d.eventSource) ?? '';
  if (!eventName) throw new AuditlakeError('E_USAGE', `intake: ${where}: "detail.eventName" is required (the CloudTrail-in-EventBridge shape)`);
  const time = str(e.time) ?? str(d.eventTime) ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(time))) throw new AuditlakeError('E_USAGE', `intake: ${where}: "time" is not an ISO-8601 time`);
  if (str(d.errorCode)) return { id, account, region, time, eventName, eventSource, target: null }; // the create call failed
  const req = obj(d.requestParameters);
  const resp = obj(d.responseElements);
  let target: IntakeEvent['target'] = null;
  if (eventSource === 'rds.amazonaws.com' && RDS_CREATE.has(eventName)) {
    const cluster = eventName.includes('Cluster');
    const resource = str(cluster ? req.dBClusterIdentifier : req.dBInstanceIdentifier);
    if (!resource) throw new AuditlakeError('E_USAGE', `intake: ${where}: ${eventName} without requestParameters.${cluster ? 'dBClusterIdentifier' : 'dBInstanceIdentifier'}`);
    target = { kind: 'rds', resource: resource.toLowerCase(), engine: str(resp.engine) ?? str(req.engine) ?? null, cluster };
  } else if (eventSource === 'redshift.amazonaws.com' && REDSHIFT_CREATE.has(eventName)) {
    const resource = str(req.clusterIdentifier);
    if (!resource) throw new AuditlakeError('E_USAGE', `intake: ${where}: ${eventName} without requestParameters.clusterIdentifier`);
    target = { kind: 'redshift', resource: resource.toLowerCase(), engine: 'redshift', cluster: true };
  }
  return { id, account, region, time, eventName, eventSource, target };
}

/** Same database → same workflow, however many events announce it. */
export function workflowIdFor(e: IntakeEvent): string | null {
  if (!e.target) return null;
  return 'wf_' + createHash('sha256').update(`${e.account}/${e.region}/${e.target.kind}/${e.target.resource}`).digest('hex').slice(0, 24);
}
