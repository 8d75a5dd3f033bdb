import type { AuditEvent } from '../../core/event.js';
import { renderActivityLogHeader } from '../../formats/redshift/activity-log/render-activity-log.js';
import { formatActivityTimestamp } from '../../formats/redshift/timestamp.js';

/**
 * `raw` is not stored when the format renders it back exactly from the parsed fields: a Redshift user activity
 * record is its header (time, db, user, pid, userid, xid — all columns) followed by the (redacted) statement.
 * That is about 40 % of an activity lake's bytes and of the text the writer encodes, compresses and writes.
 * The views compute it back (DERIVED_RAW_SQL), so `select raw from activity` answers what it always did; the
 * evidence copy of the original bytes stays in the vault.
 */
const DERIVABLE_FORMAT = 'redshift-useractivitylog';

/** What the lake stores in `raw`: null when the view's expression renders exactly `e.raw`, else `e.raw`. */
export function storedRaw(e: AuditEvent): string | null {
  if (e.raw === null || e.sourceFormat !== DERIVABLE_FORMAT || e.statement === null) return e.raw;
  const d = e.details as { userid?: unknown; xid?: unknown } | null;
  if (typeof d?.userid !== 'string' || typeof d.xid !== 'string' || e.session === null) return e.raw;
  // Cheap length test first; the full comparison only runs when the lengths agree (almost always).
  if (e.raw.length < e.statement.length || !e.raw.endsWith(e.statement)) return e.raw;
  const header = renderActivityLogHeader({ time: e.time, db: e.database ?? '', user: e.user ?? '', pid: e.session, userid: d.userid, xid: d.xid }, stampOf(e.time));
  return header.length + e.statement.length === e.raw.length && e.raw.startsWith(header) ? null : e.raw;
}

/** Records of one second arrive together: one Date→text per second, not per record. */
let lastStampMs = NaN;
let lastStamp = '';
function stampOf(ms: number): string {
  if (ms !== lastStampMs) {
    lastStamp = formatActivityTimestamp(ms);
    lastStampMs = ms;
  }
  return lastStamp;
}

/**
 * The view expression for `raw`: the stored text, or the rendering of an elided record. Mirrors
 * renderActivityLogHeader (proved equal on real files by derived-raw.test.ts). A NULL database/user was an
 * empty field in the record.
 */
export const DERIVED_RAW_SQL =
  `coalesce("raw", CASE WHEN source_format = '${DERIVABLE_FORMAT}' THEN ` +
  `'''' || strftime("time", '%Y-%m-%dT%H:%M:%SZ') || ' UTC [ db=' || coalesce("database", '') || ' user=' || coalesce("user", '') || ` +
  `' pid=' || "session" || ' userid=' || json_extract_string(details, '$.userid') || ' xid=' || json_extract_string(details, '$.xid') || ` +
  `' ]'' LOG: ' || statement END) AS raw`;
