import { basename } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { DecodeResult, ObjectDecoder } from '../../core/decode.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import type { LiveLogContext } from './context.js';
import { mapPgRecord } from './map-pg-record.js';
import { pgRecordFromCsv, pgRecordFromJson } from './pg-log-record.js';
import { pgRecordFromStderr } from './pg-stderr-record.js';
import { createRecordSplitter, type RawRecord } from './split-records.js';

/** `stderr`: RDS's `%t:%r:%u@%d:[%p]:` prefix or Debian's `%m [%p] %q%u@%d ` (RDS's default log files). */
export type PgLogDestination = 'csvlog' | 'jsonlog' | 'stderr';

/**
 * Decodes one whole record (csvlog row or jsonlog line) into a DecodeResult, or null when the record is not
 * audit-relevant. Never throws for bad input: a broken record becomes a MalformedRecord (quarantine).
 */
export function decodePgRecord(dest: PgLogDestination, rec: RawRecord, ctx: LiveLogContext): DecodeResult | null {
  const text = rec.bytes.toString('utf8');
  if (text.trim() === '') return null;
  try {
    const pg = dest === 'csvlog' ? pgRecordFromCsv(text) : dest === 'jsonlog' ? pgRecordFromJson(text) : pgRecordFromStderr(text);
    const ev = mapPgRecord(pg, text, ctx, { offset: rec.start, line: rec.line });
    return ev ? { kind: 'event', event: ev } : null;
  } catch (err) {
    return { kind: 'malformed', line: rec.line, reason: `${ctx.sourceObject}:${rec.line}: ${redactSecrets(errorMessage(err))}`, raw: redactSecrets(text) };
  }
}

/**
 * ObjectDecoder over a whole PostgreSQL log file (e.g. an RDS `postgresql.log.*.csv` downloaded to a store).
 * `ctx.fileId` defaults to the key's basename so a copy under another prefix yields the same event ids.
 */
export function createPgLogDecoder(dest: PgLogDestination, ctx: Omit<LiveLogContext, 'fileId'> & { fileId?: string }): ObjectDecoder {
  const full: LiveLogContext = { ...ctx, fileId: ctx.fileId ?? basename(ctx.sourceObject) };
  const splitter = createRecordSplitter(dest === 'csvlog' ? 'csv' : dest === 'jsonlog' ? 'line' : 'stderr');
  const run = (recs: RawRecord[]): DecodeResult[] => recs.map((r) => decodePgRecord(dest, r, full)).filter((r): r is DecodeResult => r !== null);
  return { push: (chunk) => run(splitter.push(chunk)), end: () => run(splitter.flush()) };
}
