import type { AuditEvent } from '../../core/event.js';
import { AuditlakeError } from '../../core/errors.js';
import { eventIdFor } from '../../core/event-id.js';
import { redactJson } from '../../core/redact/redact-json.js';
import { mayContainSecret, redactSecrets } from '../../core/redact/redact-secrets.js';
import type { ObjectKeyInfo } from '../../core/decode.js';
import type { CloudTrailRecord, CloudTrailUserIdentity } from './record.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Who: the most specific name the record carries, across every userIdentity variant
 * (Root, IAMUser, AssumedRole, Role, FederatedUser, AWSService, AWSAccount, SAMLUser,
 * WebIdentityUser, Directory, Unknown): userName (IAMUser, Root alias, SAML/WebIdentity users,
 * `HIDDEN_DUE_TO_SECURITY_REASONS` for a mistyped console user name), else arn (AssumedRole,
 * FederatedUser, Root), else the session issuer's userName, else invokedBy (AWSService), else
 * principalId / accountId (AWSAccount), else the type.
 */
export function cloudTrailUser(id: CloudTrailUserIdentity | null | undefined): string | null {
  if (!id || typeof id !== 'object') return null;
  return (
    str(id.userName) ??
    str(id.arn) ??
    str(id.sessionContext?.sessionIssuer?.userName) ??
    str(id.invokedBy) ??
    str(id.principalId) ??
    (str(id.accountId) && `account:${id.accountId}`) ??
    str(id.type) ??
    null
  );
}

/** Request parameters that name the affected resource, most specific first. */
const OBJECT_PARAMS = [
  'clusterIdentifier',
  'dBInstanceIdentifier',
  'dBClusterIdentifier',
  'workgroupName',
  'namespaceName',
  'dataShareArn',
  'secretId',
  'keyId',
  'roleName',
  'userName',
  'groupName',
  'policyArn',
  'functionName',
  'tableName',
  'trailName',
  'instanceId',
  'snapshotIdentifier',
  'dbUser',
];

/** The affected object: first resources[].ARN, else an identifier from requestParameters. */
export function cloudTrailObject(r: CloudTrailRecord): string | null {
  if (Array.isArray(r.resources)) {
    for (const res of r.resources) {
      const arn = str(res?.ARN);
      if (arn) return arn;
    }
  }
  const p = r.requestParameters;
  if (!p || typeof p !== 'object') return null;
  const bucket = str(p.bucketName);
  if (bucket) return str(p.key) ? `${bucket}/${p.key as string}` : bucket;
  for (const k of OBJECT_PARAMS) {
    const v = str(p[k]);
    if (v) return v;
  }
  // CloudTrail's own trail APIs call the trail `name`; other services' `name` is too vague to guess at.
  if (r.eventSource === 'cloudtrail.amazonaws.com') return str(p.name) ?? null;
  return null;
}

/** Redshift cluster / RDS instance the call is about, when the request says so. */
function cloudTrailCluster(r: CloudTrailRecord, info: ObjectKeyInfo): string {
  const p = r.requestParameters;
  if (p && typeof p === 'object') {
    const c = str(p.clusterIdentifier) ?? str(p.dBInstanceIdentifier) ?? str(p.dBClusterIdentifier) ?? str(p.workgroupName);
    if (c) return c;
  }
  return info.cluster;
}

/** Console sign-in failures carry no errorCode, only responseElements.ConsoleLogin = "Failure" (formats.md B.5). */
function cloudTrailSuccess(r: CloudTrailRecord): boolean {
  if (str(r.errorCode)) return false;
  const resp = r.responseElements;
  if (resp && typeof resp === 'object' && resp.ConsoleLogin === 'Failure') return false;
  return true;
}

/** The record's text for the lake: verbatim when it holds no secret, else the record re-serialised with secrets removed. */
function redactedRaw(text: string, record: CloudTrailRecord): string {
  const clean = redactJson(record);
  // redactJson returns its input when nothing changed; both checks pass for nearly every record.
  if (clean === record && redactSecrets(text) === text) return text;
  // Re-serialised (valid JSON, secrets masked per member); the text pass catches what sits across members.
  return redactSecrets(JSON.stringify(clean));
}

export interface RecordPosition {
  line: number;
  index: number;
  offset: number;
}

/**
 * Maps one CloudTrail record to the event model (docs/reference/event-model.md, "CloudTrail").
 * Throws E_PARSE naming the record and field when eventTime is missing or not a time.
 */
export function mapCloudTrailRecord(record: CloudTrailRecord, text: string, info: ObjectKeyInfo, pos: RecordPosition): AuditEvent {
  const where = `cloudtrail: ${info.key}: record ${pos.index} at byte ${pos.offset}`;
  const timeText = record.eventTime;
  if (typeof timeText !== 'string') throw new AuditlakeError('E_PARSE', `${where}: field eventTime is missing`);
  const time = Date.parse(timeText);
  if (!Number.isFinite(time)) throw new AuditlakeError('E_PARSE', `${where}: field eventTime ${JSON.stringify(timeText.slice(0, 60))} is not a time`);

  const id = record.userIdentity && typeof record.userIdentity === 'object' ? record.userIdentity : undefined;
  const eventSource = str(record.eventSource);
  const service = eventSource ? eventSource.replace(/\.amazonaws\.com$/, '') : (str((record.insightDetails as { eventSource?: string } | undefined)?.eventSource)?.replace(/\.amazonaws\.com$/, '') ?? '');
  const params = record.requestParameters && typeof record.requestParameters === 'object' ? record.requestParameters : undefined;
  const sql = str(params?.sql) ?? str(params?.queryString);
  const eventID = str(record.eventID);

  // Most records hold no trigger word at all: skip the per-value walk for them.
  const secretish = mayContainSecret(text);
  const details = (secretish ? redactJson : <T>(v: T): T => v)({
    eventSource: eventSource ?? null,
    eventType: record.eventType ?? null,
    userIdentityType: id?.type ?? null,
    userAgent: record.userAgent ?? null,
    readOnly: record.readOnly ?? null,
    requestID: record.requestID ?? null,
    eventID: eventID ?? null,
    errorMessage: record.errorMessage ?? null,
    requestParameters: record.requestParameters ?? null,
    responseElements: record.responseElements ?? null,
    additionalEventData: record.additionalEventData ?? null,
  });

  return {
    eventId: eventID ? eventIdFor(['cloudtrail', eventID]) : eventIdFor(['cloudtrail', info.key, String(pos.offset), text]),
    time,
    logType: 'api',
    sourceFormat: 'cloudtrail',
    account: str(record.recipientAccountId) ?? str(id?.accountId) ?? info.account,
    region: str(record.awsRegion) ?? info.region,
    service,
    cluster: cloudTrailCluster(record, info),
    database: str(params?.database) ?? null,
    user: cloudTrailUser(id),
    session: str(id?.accessKeyId) ?? null,
    remoteHost: str(record.sourceIPAddress) ?? null,
    remotePort: null,
    action: str(record.eventName) ?? str(record.eventType) ?? 'unknown',
    statement: sql ? redactSecrets(sql) : null,
    success: cloudTrailSuccess(record),
    errorCode: str(record.errorCode) ?? null,
    object: cloudTrailObject(record),
    details,
    raw: secretish ? redactedRaw(text, record) : text,
    sourceObject: info.key,
    sourceLine: pos.line,
  };
}
