import { basename } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { DecodeResult, ObjectDecoder } from '../../core/decode.js';
import type { LiveLogContext } from '../pgaudit/context.js';
import { createRecordSplitter, type RawRecord } from '../pgaudit/split-records.js';
import { mapServerAuditLine, type ServerAuditOptions } from './map-line.js';
import { parseServerAuditLine } from './parse-line.js';

/** Decodes one server_audit line; a line that does not match becomes a MalformedRecord. */
export function decodeServerAuditRecord(rec: RawRecord, ctx: LiveLogContext, opts: ServerAuditOptions = {}): DecodeResult | null {
  const text = rec.bytes.toString('utf8');
  if (text.trim() === '') return null;
  try {
    const ev = mapServerAuditLine(parseServerAuditLine(text), text, ctx, { offset: rec.start, line: rec.line }, opts);
    return ev ? { kind: 'event', event: ev } : null;
  } catch (err) {
    return { kind: 'malformed', line: rec.line, reason: `${ctx.sourceObject}:${rec.line}: ${redactSecrets(errorMessage(err))}`, raw: redactSecrets(text.replace(/\n$/, '')) };
  }
}

/** ObjectDecoder over a whole server_audit file (e.g. RDS `audit/server_audit.log.N` in a store). */
export function createServerAuditDecoder(ctx: Omit<LiveLogContext, 'fileId'> & { fileId?: string }, opts: ServerAuditOptions = {}): ObjectDecoder {
  const full: LiveLogContext = { ...ctx, fileId: ctx.fileId ?? basename(ctx.sourceObject) };
  const splitter = createRecordSplitter('line');
  const run = (recs: RawRecord[]): DecodeResult[] => recs.map((r) => decodeServerAuditRecord(r, full, opts)).filter((r): r is DecodeResult => r !== null);
  return { push: (chunk) => run(splitter.push(chunk)), end: () => run(splitter.flush()) };
}
