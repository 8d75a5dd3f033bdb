import { lit } from '../../sinks/lake/schema.js';
import type { LakePartitionFiles, LakeReader } from './lake-reader.js';

/** The columns the export reads, in the order row-to-export.ts expects them. */
const EVENT_COLUMNS = `ev.event_id, epoch_ms(ev.time)::DOUBLE AS time_ms, ev.log_type, ev.source_format, ev.account, ev.region, ev.service,
  ev.cluster, ev.database, ev."user", ev.session, ev.remote_host, ev.remote_port, ev.action, ev.statement, ev.success, ev.error_code,
  ev.object, CAST(ev.details AS VARCHAR) AS details, left(ev.raw, 2000) AS raw, ev.source_object, ev.source_line`;

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Partitions of `logType` in the same account and region on `date` or the day before (sessions cross midnight). */
export function neighbours(all: LakePartitionFiles[], p: LakePartitionFiles, logType: string): LakePartitionFiles[] {
  const prev = dayBefore(p.date);
  return all.filter((q) => q.logType === logType && q.account === p.account && q.region === p.region && (q.date === p.date || q.date === prev));
}

export interface SelectOptions {
  sinceMs: number | null;
  /** Parquet file of event ids already exported from this partition (anti-join), or null. */
  exportedIds: string | null;
}

/** The partition's events still to export (time ≥ since, not yet exported). */
export function todoSql(reader: LakeReader, p: LakePartitionFiles, o: SelectOptions): string {
  const where = [
    o.sinceMs !== null ? `time >= make_timestamp(${Math.trunc(o.sinceMs * 1000)})` : 'true',
    o.exportedIds ? `event_id NOT IN (SELECT event_id FROM read_parquet(${lit(o.exportedIds)}))` : 'true',
  ];
  return `SELECT * FROM ${reader.relation(p.files, p.overlapping)} WHERE ${where.join(' AND ')}`;
}

/**
 * One partition's events to export, in time order, with what the OCSF mapping joins:
 * - `c_*`: for Redshift activity/user-log records, the connection-log record of the same cluster and pid at or
 *   before the event (ASOF join; the activity log has second precision, so "before" allows the same second). A
 *   disconnect older than the event means the pid was reused by a session the log window does not hold: no match.
 * - `b_*`: for Redshift user-log records, the activity-log statement of the same pid and transaction (xid), which
 *   names who made the change and what it was (the user log itself does not).
 */
export function exportSql(reader: LakeReader, all: LakePartitionFiles[], p: LakePartitionFiles, o: SelectOptions): string {
  const todo = todoSql(reader, p, o);
  const redshiftJoins = p.logType === 'activity' || p.logType === 'user';
  if (!redshiftJoins) {
    return `SELECT ${EVENT_COLUMNS}, NULL AS c_host, NULL AS c_port, NULL AS c_time_ms, NULL AS c_sid, NULL AS b_user, NULL AS b_stmt, NULL AS b_time_ms
FROM (${todo}) ev ORDER BY ev.time, ev.event_id`;
  }
  const conns = neighbours(all, p, 'connection');
  const connRel = conns.length ? reader.relation(conns.flatMap((q) => q.files), conns.some((q) => q.overlapping)) : null;
  const conn = connRel
    ? `SELECT cluster AS c_cluster, session AS c_session, time AS c_time, action AS c_action, remote_host AS c_host0, remote_port AS c_port0,
         (details->>'sessionid') AS c_sid0 FROM ${connRel}
       WHERE source_format = 'redshift-connectionlog' AND remote_host IS NOT NULL AND session IS NOT NULL`
    : `SELECT NULL::VARCHAR AS c_cluster, NULL::VARCHAR AS c_session, NULL::TIMESTAMP AS c_time, NULL::VARCHAR AS c_action, NULL::VARCHAR AS c_host0, NULL::VARCHAR AS c_port0, NULL::VARCHAR AS c_sid0 WHERE false`;
  const acts = p.logType === 'user' ? neighbours(all, p, 'activity') : [];
  const actRel = acts.length ? reader.relation(acts.flatMap((q) => q.files), acts.some((q) => q.overlapping)) : null;
  // A CTE, not a subquery in the join: inside one, DuckDB binds `DATE` in read_parquet's hive_types to the
  // outer `date` column (lateral) and refuses.
  const act = actRel
    ? `SELECT cluster AS b_cluster, session AS b_session, (details->>'xid') AS b_xid, "user" AS b_user, statement AS b_stmt, time AS b_time, object AS b_object
         FROM ${actRel} WHERE source_format = 'redshift-useractivitylog' AND action LIKE '% USER'`
    : `SELECT NULL::VARCHAR AS b_cluster, NULL::VARCHAR AS b_session, NULL::VARCHAR AS b_xid, NULL::VARCHAR AS b_user, NULL::VARCHAR AS b_stmt, NULL::TIMESTAMP AS b_time, NULL::VARCHAR AS b_object WHERE false`;
  const byJoin = `LEFT JOIN act b ON ev.source_format = 'redshift-userlog' AND b.b_cluster = ev.cluster AND b.b_session = ev.session AND b.b_xid = (ev.details->>'xid')`;
  // Several account statements in one transaction: keep the one naming the changed user, then the closest in time.
  const qualify = actRel ? `QUALIFY row_number() OVER (PARTITION BY ev.event_id ORDER BY (b.b_object IS NOT DISTINCT FROM ev.object) DESC, abs(epoch_ms(b.b_time) - epoch_ms(ev.time))) = 1` : '';
  return `WITH conn AS (${conn}),
act AS (${act}),
todo AS (${todo}),
ev0 AS (SELECT ev.*, b.b_user, b.b_stmt, b.b_time,
  CASE WHEN ev.source_format IN ('redshift-useractivitylog', 'redshift-userlog') THEN ev.session END AS j_session FROM todo ev ${byJoin} ${qualify}),
j AS (SELECT ev0.*, c.* FROM ev0 ev0 ASOF LEFT JOIN conn c
  ON c.c_cluster = ev0.cluster AND c.c_session = ev0.j_session
  AND ev0.time + INTERVAL 1 SECOND > c.c_time)
SELECT ${EVENT_COLUMNS},
  CASE WHEN ev.c_action IS DISTINCT FROM 'disconnecting session' OR ev.c_time >= ev.time THEN ev.c_host0 END AS c_host,
  CASE WHEN ev.c_action IS DISTINCT FROM 'disconnecting session' OR ev.c_time >= ev.time THEN ev.c_port0 END AS c_port,
  epoch_ms(ev.c_time)::DOUBLE AS c_time_ms, ev.c_sid0 AS c_sid, ev.b_user, ev.b_stmt, epoch_ms(ev.b_time)::DOUBLE AS b_time_ms
FROM j ev ORDER BY ev.time, ev.event_id`;
}
