import { formatActivityTimestamp } from '../timestamp.js';
import type { ActivityLogRecord } from './record.js';

/** The header up to and including ` LOG: ` (`stamp`: the time already formatted, when the caller has it). */
export function renderActivityLogHeader(rec: Omit<ActivityLogRecord, 'sql'>, stamp = formatActivityTimestamp(rec.time)): string {
  return (
    `'${stamp} UTC [ db=${rec.db} user=${rec.user} pid=${rec.pid} ` +
    `userid=${rec.userid} xid=${rec.xid} ]' LOG: `
  );
}

/**
 * Renders one record exactly as Redshift writes it, without the final `\n` (a multi-line statement keeps
 * its inner newlines). A file is the records each followed by `\n`.
 */
export function renderActivityLogRecord(rec: ActivityLogRecord): string {
  return renderActivityLogHeader(rec) + rec.sql;
}
