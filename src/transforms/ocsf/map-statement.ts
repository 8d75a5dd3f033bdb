import { baseEvent, clip, compact, unmappedOf, type MapContext } from './base.js';
import { DATASTORE_ACTIVITY } from './classes.js';
import { datastoreActivity } from './activities.js';
import { networkEndpoint, UNKNOWN_ENDPOINT } from './endpoint.js';
import type { ExportRow, OcsfEvent } from './types.js';

/** Statements whose object is not a table (accounts, schemas, databases, privileges …). */
const NOT_A_TABLE = /^\W*(?:(?:CREATE|ALTER|DROP)\s+(?:USER|ROLE|GROUP|SCHEMA|DATABASE|FUNCTION|PROCEDURE|DATASHARE|LIBRARY|MODEL|EXTENSION)|GRANT|REVOKE|SET|RENAME\s+USER|CALL|EXECUTE)\b/i;

/**
 * The datastore: the database the statement ran in, as a relational database. When the source names none (a
 * MariaDB statement before `USE`), the server itself is the datastore, by its uid.
 */
export function databaseOf(row: ExportRow): Record<string, unknown> {
  const id = row.database ? { name: row.database } : { uid: row.cluster || row.service || row.sourceFormat };
  return { ...id, type_id: 1, type: 'Relational' };
}

/** The table a statement touches, when the lake's best-effort `object` is one (see NOT_A_TABLE). */
function tableOf(row: ExportRow): Record<string, unknown> | undefined {
  if (!row.object || NOT_A_TABLE.test(row.statement ?? row.action) || NOT_A_TABLE.test(row.action)) return undefined;
  return { name: row.object };
}

/** Where a statement came from: its own record (pgaudit, server_audit), else the Redshift connection joined by pid. */
export function sourceEndpoint(row: ExportRow): Record<string, unknown> {
  return networkEndpoint(row.remoteHost, row.remotePort) ?? networkEndpoint(row.conn?.host, row.conn?.port) ?? UNKNOWN_ENDPOINT;
}

/**
 * A SQL statement (Redshift user activity log, pgaudit, server_audit, and GRANT/REVOKE from the user-change logs)
 * → 6005 Datastore Activity, activity by verb (activities.ts), the statement in `query_info` (already redacted by
 * ingest), database and table where known.
 */
export function mapStatement(row: ExportRow, ctx: MapContext): OcsfEvent {
  const [activityId, label] = datastoreActivity(row.action);
  const privilege = /^(GRANT|REVOKE)\b/i.test(row.action);
  const severity = row.success === false || privilege ? 2 : 1;
  const unmapped = unmappedOf(row, ['xid']);
  const ev = baseEvent(row, DATASTORE_ACTIVITY, activityId, severity, ctx, label);
  const table = tableOf(row);
  const xid = typeof row.details.xid === 'string' ? row.details.xid : undefined;
  if (xid) (ev.metadata as Record<string, unknown>).correlation_uid = xid;
  return Object.assign(ev, compact({
    actor: compact({
      user: row.user ? { name: row.user, ...(typeof row.details.userid === 'string' ? { uid: row.details.userid } : {}) } : { name: 'unknown' },
      session: row.session ? compact({ uid: row.conn?.sessionId ?? row.session, uid_alt: row.conn?.sessionId ? row.session : undefined }) : undefined,
      app_name: typeof row.details.applicationName === 'string' && row.details.applicationName ? row.details.applicationName : undefined,
    }),
    src_endpoint: sourceEndpoint(row),
    database: databaseOf(row),
    table,
    type_id: table ? 3 : 1,
    type: table ? 'Table' : 'Database',
    // query_info is an entity (name or uid required): the transaction id where the source has one, else the event id.
    query_info: row.statement ? { query_string: clip(row.statement, unmapped, 'query_string'), uid: xid ?? row.eventId } : undefined,
    status_detail: row.success === false ? row.errorCode ?? undefined : undefined,
    unmapped,
  }));
}
