/**
 * @module
 * One call to auditlake (API request or CLI command) as a CloudTrail-style record: what the self-audit trail
 * stores. Request parameters pass the same secret redaction as ingested records before they are written anywhere.
 */
import { randomUUID } from 'node:crypto';
import { redactJson, redactSecrets } from '../../transforms/redact/index.js';

export interface ApiCall {
  time: number;
  eventName: string;
  actor: { type: 'AuditlakeToken' | 'OIDC' | 'CLI' | 'Anonymous'; id: string; account: string | null };
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown>;
  /** null = succeeded. */
  errorCode: string | null;
  errorMessage?: string;
  requestId: string;
  /** true for reads (search, query, report), false for changes (intake, verify start, token changes). */
  readOnly: boolean;
  /** HTTP status (API) or exit code (CLI). */
  status?: number;
}

/** Secret-bearing parameters are dropped entirely, others redacted like ingested SQL. */
function cleanParams(p: Record<string, unknown>): Record<string, unknown> {
  const out = { ...redactJson(p) };
  for (const [k, v] of Object.entries(out)) {
    if (/token|authorization|passphrase|secret|password/i.test(k)) out[k] = '***';
    else if (typeof v === 'string') out[k] = redactSecrets(v);
  }
  return out;
}

/** The CloudTrail record (eventVersion 1.08 field names) for one call. */
export function toCloudTrailRecord(c: ApiCall): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: c.actor.type, principalId: c.actor.id, ...(c.actor.account ? { accountId: c.actor.account } : {}) },
    eventTime: new Date(c.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'auditlake.local',
    eventName: c.eventName,
    awsRegion: 'local',
    sourceIPAddress: c.sourceIPAddress,
    userAgent: c.userAgent.slice(0, 256),
    requestParameters: cleanParams(c.requestParameters),
    responseElements: null,
    ...(c.errorCode ? { errorCode: c.errorCode, errorMessage: redactSecrets(c.errorMessage ?? '') } : {}),
    requestID: c.requestId,
    eventID: randomUUID(),
    readOnly: c.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    ...(c.status !== undefined ? { additionalEventData: { status: c.status } } : {}),
  };
}
