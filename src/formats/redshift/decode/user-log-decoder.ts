import type { AuditEvent } from '../../../core/event.js';
import { errorMessage } from '../../../core/errors.js';
import { redactSecrets } from '../../../core/redact/redact-secrets.js';
import type { ObjectDecoder, ObjectKeyInfo } from '../../../core/decode.js';
import { parseUserLogLine } from '../user-log/parse-user-log.js';
import type { UserLogRecord } from '../user-log/record.js';
import { createEventContext } from './event-context.js';
import { createLineDecoder, shortenRaw } from './line-decoder.js';

function detailsOf(rec: UserLogRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {
    userid: rec.userid,
    usecreatedb: rec.usecreatedb,
    usesuper: rec.usesuper,
    usecatupd: rec.usecatupd,
    valuntil: rec.valuntil,
    xid: rec.xid,
  };
  if (rec.oldusername) details.oldusername = rec.oldusername;
  if (rec.extra) details.extra = rec.extra;
  return details;
}

/**
 * Decodes a Redshift user log object: logType `user`, action = create | alter | drop | rename, object = the
 * affected user (`old -> new` for a rename). `user` is null: Redshift's user log names the user that was
 * changed, never who changed it (join on pid/xid with the activity log for that). `success` is null: the log
 * does not say whether the transaction committed.
 */
export function createUserLogDecoder(info: ObjectKeyInfo): ObjectDecoder {
  const ctx = createEventContext('redshift-userlog', info);
  return createLineDecoder((text, lineNo, truncated, out) => {
    if (truncated) {
      out.push(ctx.malformed(lineNo, `user log line ${lineNo}: line too long, cut`, shortenRaw(text)));
      return;
    }
    let rec: UserLogRecord;
    try {
      rec = parseUserLogLine(text, lineNo);
    } catch (err) {
      out.push(ctx.malformed(lineNo, errorMessage(err), shortenRaw(text)));
      return;
    }
    const object = rec.action === 'rename' && rec.oldusername ? `${rec.oldusername} -> ${rec.username}` : rec.username;
    const event: AuditEvent = {
      eventId: ctx.eventId(lineNo, text),
      time: rec.recordtime,
      logType: 'user',
      sourceFormat: ctx.format,
      account: ctx.account,
      region: ctx.region,
      service: 'redshift',
      cluster: ctx.cluster,
      database: null,
      user: null,
      session: rec.pid,
      remoteHost: null,
      remotePort: null,
      action: rec.action,
      statement: null,
      success: null,
      errorCode: null,
      object: object || null,
      details: detailsOf(rec),
      raw: redactSecrets(text),
      sourceObject: ctx.sourceObject,
      sourceLine: lineNo,
    };
    out.push({ kind: 'event', event });
  });
}
