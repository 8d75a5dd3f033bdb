import { apiActivity } from './activities.js';
import { baseEvent, compact, unmappedOf, type MapContext } from './base.js';
import { API_ACTIVITY, AUTHENTICATION } from './classes.js';
import { networkEndpoint, UNKNOWN_ENDPOINT } from './endpoint.js';
import type { ExportRow, OcsfEvent } from './types.js';

/** Calls that blind an audit trail: High severity, whoever makes them. */
const TAMPER = /^(StopLogging|DeleteTrail|UpdateTrail|PutEventSelectors|DisableLogging|DeleteFlowLogs|DeleteLogGroup|DeleteDetector|DisableSecurityHub|DeregisterDataLakeDelegatedAdministrator)$/;

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function actorOf(row: ExportRow): Record<string, unknown> {
  const d = row.details;
  return compact({
    user: compact({
      name: row.user ?? 'unknown',
      type: str(d.userIdentityType),
      type_id: str(d.userIdentityType) ? 99 : undefined,
      credential_uid: row.session ?? undefined,
      account: row.account ? { uid: row.account } : undefined,
    }),
    invoked_by: d.userIdentityType === 'AWSService' ? row.user ?? undefined : undefined,
  });
}

/** CloudTrail ConsoleLogin → 3002 Logon (sign-in to the console; success from `responseElements.ConsoleLogin`). */
function mapConsoleLogin(row: ExportRow, ctx: MapContext): OcsfEvent {
  const ev = baseEvent(row, AUTHENTICATION, 1, row.success === false ? 3 : 1, ctx);
  const extra = obj(row.details.additionalEventData);
  const mfa = extra?.MFAUsed;
  return Object.assign(ev, compact({
    user: compact({ name: row.user ?? 'unknown', type: str(row.details.userIdentityType), type_id: str(row.details.userIdentityType) ? 99 : undefined, account: row.account ? { uid: row.account } : undefined }),
    src_endpoint: networkEndpoint(row.remoteHost) ?? UNKNOWN_ENDPOINT,
    service: { name: 'AWS Management Console', uid: 'signin.amazonaws.com' },
    is_mfa: mfa === 'Yes' ? true : mfa === 'No' ? false : undefined,
    is_remote: true,
    http_request: str(row.details.userAgent) ? { user_agent: str(row.details.userAgent) } : undefined,
    status_detail: str(row.details.errorMessage),
    unmapped: unmappedOf(row, ['userAgent', 'errorMessage']),
  }));
}

/**
 * CloudTrail → 6003 API Activity (activity from the eventName's verb), ConsoleLogin → 3002. The call's
 * requestParameters/responseElements stay in `unmapped` as JSON text (already stripped of secrets by ingest).
 */
export function mapApi(row: ExportRow, ctx: MapContext): OcsfEvent {
  if (row.action === 'ConsoleLogin') return mapConsoleLogin(row, ctx);
  const d = row.details;
  const [activityId, label] = apiActivity(row.action, d.readOnly);
  const severity = TAMPER.test(row.action) ? 4 : row.success === false ? 3 : 1;
  const ev = baseEvent(row, API_ACTIVITY, activityId, severity, ctx, label);
  const service = str(d.eventSource) ?? `${row.service}.amazonaws.com`;
  return Object.assign(ev, compact({
    api: compact({
      operation: row.action,
      service: { name: service },
      request: str(d.requestID) ? { uid: str(d.requestID) } : undefined,
      response: row.errorCode ? compact({ error: row.errorCode, error_message: str(d.errorMessage) }) : undefined,
    }),
    actor: actorOf(row),
    src_endpoint: networkEndpoint(row.remoteHost) ?? UNKNOWN_ENDPOINT,
    http_request: str(d.userAgent) ? { user_agent: str(d.userAgent) } : undefined,
    resources: row.object ? [compact({ uid: row.object, region: row.region || undefined, owner: row.account ? { account: { uid: row.account } } : undefined })] : undefined,
    status_detail: str(d.errorMessage),
    unmapped: unmappedOf(row, ['userAgent', 'errorMessage', 'requestID', 'eventSource', 'userIdentityType']),
  }));
}
