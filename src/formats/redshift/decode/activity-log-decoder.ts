import type { AuditEvent } from '../../../core/event.js';
import { redactSql } from '../../../core/redact/redact-sql.js';
import type { DecodeResult, ObjectDecoder, ObjectKeyInfo } from '../../../core/decode.js';
import { createActivityLogParser, type ActivityLogEntry } from '../activity-log/parse-activity-log.js';
import { classifyStatement } from '../activity-log/classify-statement.js';
import { createEventContext } from './event-context.js';
import { createLineDecoder, shortenRaw } from './line-decoder.js';

/**
 * Decodes a Redshift user activity log object: one event per record (a record may span many lines),
 * logType `activity`, action = the statement verb (`SELECT`, `CREATE USER`, …), statement = the SQL with
 * secrets redacted, object = best-effort target, success = null (the log is written before the query runs).
 */
export function createActivityLogDecoder(info: ObjectKeyInfo): ObjectDecoder {
  const ctx = createEventContext('redshift-useractivitylog', info);
  // The parser emits a record only inside line()/end() (when the next header or the end arrives), so its
  // callbacks append to the array the line decoder handed to that call.
  let sink: DecodeResult[] = [];

  function onRecord({ record, line, text }: ActivityLogEntry): void {
    const statement = redactSql(record.sql);
    const { action, object } = classifyStatement(record.sql);
    // The header holds no secrets, so redacting the SQL once gives the redacted raw record as well.
    const raw = statement === record.sql ? text : text.slice(0, text.length - record.sql.length) + statement;
    const event: AuditEvent = {
      eventId: ctx.eventId(line, text),
      time: record.time,
      logType: 'activity',
      sourceFormat: ctx.format,
      account: ctx.account,
      region: ctx.region,
      service: 'redshift',
      cluster: ctx.cluster,
      database: record.db || null,
      user: record.user || null,
      session: record.pid,
      remoteHost: null,
      remotePort: null,
      action,
      statement,
      success: null,
      errorCode: null,
      object,
      details: { userid: record.userid, xid: record.xid },
      raw,
      sourceObject: ctx.sourceObject,
      sourceLine: line,
    };
    sink.push({ kind: 'event', event });
  }

  const parser = createActivityLogParser(onRecord, (p) => sink.push(ctx.malformed(p.line, p.reason, shortenRaw(p.text))));
  return createLineDecoder(
    (text, lineNo, truncated, out) => {
      sink = out;
      parser.line(text, lineNo, truncated);
    },
    (out) => {
      sink = out;
      parser.end();
    },
  );
}
