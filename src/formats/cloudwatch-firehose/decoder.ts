import { StringDecoder } from 'node:string_decoder';
import { eventIdFor } from '../../core/event-id.js';
import { errorMessage } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { DecodeResult, ObjectDecoder } from '../../core/decode.js';
import { mapPgRecord } from '../pgaudit/map-pg-record.js';
import { pgRecordFromStderr } from '../pgaudit/pg-stderr-record.js';
import { mapServerAuditLine } from '../server-audit/map-line.js';
import { parseServerAuditLine } from '../server-audit/parse-line.js';
import { createJsonObjectSplitter } from './split-json-objects.js';

/** One CloudWatch Logs subscription message (what each gzip member of a Firehose object holds). */
export interface CwlMessage {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE' | string;
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters?: string[];
  /** `id` is a 56-digit decimal string: kept as a string (it exceeds Number precision). */
  logEvents: Array<{ id: string; timestamp: number; message: string }>;
}

export interface FirehoseDecodeStats {
  messages: number;
  controlMessages: number;
  logEvents: number;
}

/** `/aws/rds/instance/<id>/<type>` or `/aws/rds/cluster/<id>/<type>` → instance id and log type. */
function rdsGroup(group: string): { server: string; type: string } | null {
  const m = /^\/aws\/rds\/(?:instance|cluster)\/([^/]+)\/([^/]+)$/.exec(group);
  return m ? { server: m[1], type: m[2] } : null;
}

/**
 * ObjectDecoder over the *decompressed* bytes of a CloudWatch Logs → Firehose → S3 object (gunzip handles the
 * concatenated gzip members; Node's gunzip reads all members). Each DATA_MESSAGE's logEvents become events:
 * log group `…/postgresql` → RDS stderr-format PostgreSQL lines (pgaudit, connections), `…/audit` → server_audit
 * lines. CONTROL_MESSAGEs (Firehose health checks) are skipped and counted, never quarantined. Event ids come from
 * (log group, log stream, CloudWatch event id), so Firehose's at-least-once duplicates collapse in the lake.
 */
export function createFirehoseDecoder(ctx: { account: string; region: string; sourceObject: string }, stats?: FirehoseDecodeStats): ObjectDecoder {
  const text = new StringDecoder('utf8');
  const split = createJsonObjectSplitter();
  let n = 0;
  const handle = (objs: string[]): DecodeResult[] => {
    const out: DecodeResult[] = [];
    for (const o of objs) {
      n++;
      let msg: CwlMessage;
      try {
        msg = JSON.parse(o) as CwlMessage;
      } catch (err) {
        out.push({ kind: 'malformed', line: n, reason: `${ctx.sourceObject}: message ${n}: not JSON (${errorMessage(err)})`, raw: redactSecrets(o.slice(0, 2000)) });
        continue;
      }
      // JSON that is not an object (`null`, a number, a list) is not a message: refuse it with a reason, never crash.
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
        out.push({ kind: 'malformed', line: n, reason: `${ctx.sourceObject}: message ${n}: not a CloudWatch Logs message object`, raw: redactSecrets(o.slice(0, 2000)) });
        continue;
      }
      if (stats) stats.messages++;
      if (msg.messageType === 'CONTROL_MESSAGE') {
        if (stats) stats.controlMessages++;
        continue;
      }
      const g = rdsGroup(msg.logGroup ?? '');
      if (msg.messageType !== 'DATA_MESSAGE' || !Array.isArray(msg.logEvents) || !g || (g.type !== 'postgresql' && g.type !== 'audit')) {
        out.push({ kind: 'malformed', line: n, reason: `${ctx.sourceObject}: message ${n}: not an RDS postgresql/audit DATA_MESSAGE (messageType ${msg.messageType}, logGroup ${msg.logGroup})`, raw: '' });
        continue;
      }
      for (const le of msg.logEvents) {
        if (stats) stats.logEvents++;
        // A log event without a text message (mutated, truncated by a producer) is refused, the others are kept.
        if (!le || typeof le !== 'object' || typeof le.message !== 'string') {
          out.push({ kind: 'malformed', line: n, reason: `${ctx.sourceObject}: message ${n}: log event ${String((le as { id?: unknown } | null)?.id ?? '?')} has no text message`, raw: redactSecrets(JSON.stringify(le ?? null).slice(0, 2000)) });
          continue;
        }
        const lctx = { server: g.server, account: msg.owner || ctx.account, region: ctx.region, fileId: `${msg.logGroup}/${msg.logStream}/${String(le.id)}`, sourceObject: ctx.sourceObject };
        try {
          const ev =
            g.type === 'audit'
              ? mapServerAuditLine(parseServerAuditLine(le.message), le.message, lctx, { offset: 0, line: n })
              : mapPgRecord(pgRecordFromStderr(le.message), le.message, lctx, { offset: 0, line: n });
          if (ev) {
            ev.eventId = eventIdFor(['cloudwatch-firehose', msg.logGroup, msg.logStream, String(le.id)]);
            ev.service = 'rds';
            ev.details = { ...ev.details, logGroup: msg.logGroup, logStream: msg.logStream, cwlEventId: String(le.id) };
            out.push({ kind: 'event', event: ev });
          }
        } catch (err) {
          out.push({ kind: 'malformed', line: n, reason: `${ctx.sourceObject}: message ${n} event ${le.id}: ${redactSecrets(errorMessage(err))}`, raw: redactSecrets(le.message) });
        }
      }
    }
    return out;
  };
  return {
    push: (chunk) => handle(split.push(text.write(chunk))),
    end: () => {
      const out = handle(split.push(text.end()));
      const rest = split.rest().trim();
      if (rest) out.push({ kind: 'malformed', line: n + 1, reason: `${ctx.sourceObject}: truncated JSON message at the end of the object`, raw: redactSecrets(rest.slice(0, 2000)) });
      return out;
    },
  };
}
