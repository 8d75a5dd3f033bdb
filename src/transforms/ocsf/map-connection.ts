import { baseEvent, compact, unmappedOf, type MapContext } from './base.js';
import { AUTHENTICATION, DATASTORE_ACTIVITY } from './classes.js';
import { networkEndpoint, UNKNOWN_ENDPOINT } from './endpoint.js';
import { databaseOf } from './map-statement.js';
import type { ExportRow, OcsfEvent } from './types.js';

const LOGON = new Set(['authenticated', 'authentication failure', 'change user']);
const LOGOFF = 'disconnecting session';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The session: Redshift's `sessionid` (a UUID) when logged, else the pid; pgaudit's session id; MariaDB's connection id. */
function sessionOf(row: ExportRow): Record<string, unknown> | undefined {
  const uuid = str(row.details.sessionid);
  if (!uuid && !row.session) return undefined;
  return compact({ uid: uuid ?? row.session, uid_alt: uuid ? row.session ?? undefined : undefined, is_remote: row.remoteHost ? row.remoteHost !== '[local]' : undefined });
}

/**
 * Connection records: authenticated / authentication failure / change user → 3002 Logon (status from success),
 * disconnecting session → 3002 Logoff with the session's duration; `initiating session` → 6005 Connect (the
 * session opening the database); anything else (`set application_name` …) → 6005 Other with the event's name.
 */
export function mapConnection(row: ExportRow, ctx: MapContext): OcsfEvent {
  const src = networkEndpoint(row.remoteHost, row.remotePort) ?? UNKNOWN_ENDPOINT;
  const auth = LOGON.has(row.action) ? 1 : row.action === LOGOFF ? 2 : 0;
  const unmapped = unmappedOf(row, ['sessionid', 'authmethod', 'duration', 'application_name']);
  if (auth) {
    const ev = baseEvent(row, AUTHENTICATION, auth, row.success === false ? 3 : 1, ctx);
    const method = str(row.details.authmethod);
    const durationUs = Number(row.details.duration);
    Object.assign(ev, compact({
      user: compact({ name: row.user ?? undefined, type_id: row.user ? undefined : 0 }),
      src_endpoint: src,
      dst_endpoint: compact({ name: row.cluster || undefined, svc_name: row.service || undefined }),
      service: compact({ name: row.service || row.sourceFormat, uid: row.cluster || undefined }),
      session: sessionOf(row),
      auth_protocol_id: method ? 99 : undefined,
      auth_protocol: method,
      is_remote: row.remoteHost ? row.remoteHost !== '[local]' : undefined,
      // Redshift logs the session's length in microseconds on disconnect; OCSF's duration is milliseconds.
      duration: auth === 2 && Number.isFinite(durationUs) && durationUs > 0 ? Math.round(durationUs / 1000) : undefined,
      status_detail: row.success === false ? row.action : undefined,
      actor: row.user ? { user: { name: row.user }, ...(str(row.details.application_name) ? { app_name: str(row.details.application_name) } : {}) } : undefined,
      unmapped,
    }));
    if (!(ev.user as Record<string, unknown>).name) ev.user = { name: 'unknown' };
    return ev;
  }
  const connect = row.action === 'initiating session';
  const ev = baseEvent(row, DATASTORE_ACTIVITY, connect ? 3 : 99, 1, ctx, connect ? undefined : row.action);
  return Object.assign(ev, compact({
    actor: compact({ user: row.user ? { name: row.user } : { name: 'unknown' }, session: sessionOf(row), app_name: str(row.details.application_name) }),
    src_endpoint: src,
    database: databaseOf(row),
    type_id: 1,
    type: 'Database',
    unmapped,
  }));
}
