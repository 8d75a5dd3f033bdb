import type { AuditEvent } from '../../../core/event.js';
import { errorMessage } from '../../../core/errors.js';
import { redactSecrets } from '../../../core/redact/redact-secrets.js';
import type { ObjectDecoder, ObjectKeyInfo } from '../../../core/decode.js';
import { parseConnectionLogLine } from '../connection-log/parse-connection-log.js';
import { CONNECTION_LOG_COLUMNS, type ConnectionLogRecord } from '../connection-log/record.js';
import { createEventContext } from './event-context.js';
import { createLineDecoder, shortenRaw } from './line-decoder.js';

/** Columns that have an event-model field of their own; the rest go to `details`. */
const MAPPED = new Set(['event', 'recordtime', 'remotehost', 'remoteport', 'pid', 'dbname', 'username']);
const DETAIL_COLUMNS = CONNECTION_LOG_COLUMNS.map((c) => c.name).filter((n) => !MAPPED.has(n));

const UNUSUAL_WIDTHS = new Set([17, 18, 20]);

/** Events that report a step that happened. */
const SUCCEEDED = new Set(['authenticated', 'initiating session', 'disconnecting session', 'set application_name']);

function successOf(event: string): boolean | null {
  if (event === 'authentication failure') return false;
  return SUCCEEDED.has(event) ? true : null;
}

function detailsOf(rec: ConnectionLogRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const values = rec as unknown as Record<string, string | undefined>;
  for (const name of DETAIL_COLUMNS) {
    const v = values[name];
    if (v !== undefined && v !== '') details[name] = v;
  }
  if (rec.extra) details.extra = rec.extra;
  // Redshift has written 15, 16, 19 and 21 fields (and may append more); 17, 18 or 20 suggest a `|` inside a
  // value such as application_name (the format has no escaping), so the positional mapping may be shifted.
  if (rec.fieldCount !== undefined && UNUSUAL_WIDTHS.has(rec.fieldCount)) details.unusual_field_count = rec.fieldCount;
  return details;
}

/**
 * Decodes a Redshift connection log object: one event per line, logType `connection`, action = the event text
 * (`authenticated`, `authentication failure`, …), success = false for `authentication failure`, true for the
 * known events that report a completed step, null for others.
 */
export function createConnectionLogDecoder(info: ObjectKeyInfo): ObjectDecoder {
  const ctx = createEventContext('redshift-connectionlog', info);
  return createLineDecoder((text, lineNo, truncated, out) => {
    if (truncated) {
      out.push(ctx.malformed(lineNo, `connection log line ${lineNo}: line too long, cut`, shortenRaw(text)));
      return;
    }
    let rec: ConnectionLogRecord;
    try {
      rec = parseConnectionLogLine(text, lineNo);
    } catch (err) {
      out.push(ctx.malformed(lineNo, errorMessage(err), shortenRaw(text)));
      return;
    }
    const event: AuditEvent = {
      eventId: ctx.eventId(lineNo, text),
      time: rec.recordtime,
      logType: 'connection',
      sourceFormat: ctx.format,
      account: ctx.account,
      region: ctx.region,
      service: 'redshift',
      cluster: ctx.cluster,
      database: rec.dbname || null,
      user: rec.username || null,
      session: rec.pid,
      remoteHost: rec.remotehost || null,
      remotePort: rec.remoteport || null,
      action: rec.event,
      statement: null,
      success: successOf(rec.event),
      errorCode: null,
      object: rec.dbname || null,
      details: detailsOf(rec),
      raw: redactSecrets(text),
      sourceObject: ctx.sourceObject,
      sourceLine: lineNo,
    };
    out.push({ kind: 'event', event });
  });
}
