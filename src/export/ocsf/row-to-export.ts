import type { LogType, SourceFormat } from '../../core/event.js';
import type { ExportRow } from '../../transforms/ocsf/index.js';

/** A row of exportSql() (column names as there) → the mapping's input. */
export function rowToExport(r: Record<string, unknown>): ExportRow {
  const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  let details: Record<string, unknown> = {};
  if (typeof r.details === 'string' && r.details) {
    try {
      details = JSON.parse(r.details) as Record<string, unknown>;
    } catch {
      details = { details: r.details };
    }
  }
  const host = s(r.c_host);
  const byUser = s(r.b_user);
  return {
    eventId: String(r.event_id),
    time: Number(r.time_ms),
    logType: r.log_type as LogType,
    sourceFormat: r.source_format as SourceFormat,
    account: s(r.account) ?? '',
    region: s(r.region) ?? '',
    service: s(r.service) ?? '',
    cluster: s(r.cluster) ?? '',
    database: s(r.database),
    user: s(r.user),
    session: s(r.session),
    remoteHost: s(r.remote_host),
    remotePort: s(r.remote_port),
    action: s(r.action) ?? '',
    statement: s(r.statement),
    success: r.success === null || r.success === undefined ? null : Boolean(r.success),
    errorCode: s(r.error_code),
    object: s(r.object),
    details,
    raw: s(r.raw) ?? '',
    sourceObject: s(r.source_object) ?? '',
    sourceLine: Number(r.source_line ?? 0),
    conn: host ? { host, port: s(r.c_port), time: Number(r.c_time_ms), sessionId: s(r.c_sid) } : null,
    by: byUser ? { user: byUser, statement: s(r.b_stmt), time: Number(r.b_time_ms) } : null,
  };
}
