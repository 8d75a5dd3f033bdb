import { OCSF_VERSION } from './classes.js';
import { originalTime } from './original-time.js';
import type { ExportRow, OcsfClassInfo, OcsfEvent } from './types.js';

/** OCSF string_t holds at most 65,535 characters; longer SQL is cut and the cut is recorded in `unmapped`. */
export const MAX_STRING = 65535;

const SEVERITY: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other' };
const STATUS: Record<number, string> = { 0: 'Unknown', 1: 'Success', 2: 'Failure', 99: 'Other' };

export interface MapContext {
  /** auditlake's version, stamped in metadata.product.version. */
  productVersion: string;
}

export function clip(s: string, unmapped: Record<string, string>, field: string): string {
  if (s.length <= MAX_STRING) return s;
  unmapped[`${field}_truncated_from`] = String(s.length);
  return s.slice(0, MAX_STRING);
}

/**
 * What every class carries: classification (class, category, activity, `type_uid = class_uid * 100 + activity_id`),
 * time, severity, status, metadata and (when the event has an AWS account or region) the `cloud` profile.
 * `activityName` is the source's own label, used only with activity 99 (Other).
 */
export function baseEvent(row: ExportRow, cls: OcsfClassInfo, activityId: number, severityId: number, ctx: MapContext, activityName?: string): OcsfEvent {
  const statusId = row.success === true ? 1 : row.success === false ? 2 : 0;
  const inCloud = row.account !== '' || row.region !== '';
  const ev: OcsfEvent = {
    class_uid: cls.uid,
    class_name: cls.name,
    category_uid: cls.categoryUid,
    category_name: cls.categoryName,
    activity_id: activityId,
    activity_name: activityId === 99 ? activityName ?? 'Other' : cls.activities[activityId],
    type_uid: cls.uid * 100 + activityId,
    type_name: `${cls.name}: ${cls.activities[activityId]}`,
    time: row.time,
    severity_id: severityId,
    severity: SEVERITY[severityId],
    status_id: statusId,
    status: STATUS[statusId],
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'auditlake', vendor_name: 'auditlake', version: ctx.productVersion },
      uid: row.eventId,
      original_time: originalTime(row),
      log_name: row.sourceFormat,
      log_provider: row.service || row.sourceFormat,
      ...(inCloud ? { profiles: ['cloud'] } : {}),
    },
  };
  if (row.errorCode) ev.status_code = row.errorCode;
  if (inCloud) ev.cloud = { provider: 'AWS', ...(row.account ? { account: { uid: row.account } } : {}), ...(row.region ? { region: row.region } : {}) };
  return ev;
}

/**
 * `unmapped`: what OCSF has no attribute for, as text values (one stable Parquet type, MAP(VARCHAR, VARCHAR)):
 * provenance (source object and line), the cluster / server, the lake's action, and the source's own fields.
 */
export function unmappedOf(row: ExportRow, skip: readonly string[] = []): Record<string, string> {
  const u: Record<string, string> = { source_object: row.sourceObject, source_line: String(row.sourceLine), action: row.action };
  if (row.cluster) u.cluster = row.cluster;
  if (row.service) u.service = row.service;
  for (const [k, v] of Object.entries(row.details)) {
    if (v === null || v === undefined || skip.includes(k)) continue;
    u[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return u;
}

/** Drops `undefined`/`null` members so the JSON (and the Parquet inferred from it) holds only what is known. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}
