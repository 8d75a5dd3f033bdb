import { parseRedshiftTimestamp, formatRedshiftTimestamp } from '../timestamp.js';
import { encodeField, isDigits, trimField, type Verbatim } from '../pipe-fields.js';
import { fieldError, lineError } from '../parse-error.js';
import { CONNECTION_LOG_COLUMNS, CONNECTION_LOG_MIN_FIELDS, type ConnectionLogRecord } from './record.js';

const LOG = 'connection log';
const KNOWN = CONNECTION_LOG_COLUMNS.length;
/** Integer columns that must hold digits when present (pid is always required). */
const INTEGER_FIELDS = new Set([8, 11, 19]);

/**
 * Parses one connection-log line (without its `\n`). Fields are split on `|` (Redshift neither quotes nor
 * escapes), right-trimmed and mapped by position; every historical width (15, 16, 19, 21) and wider lines
 * are accepted, extra fields kept. Throws AuditlakeError E_PARSE naming the line and field.
 */
export function parseConnectionLogLine(line: string, lineNo: number): ConnectionLogRecord {
  const raw = line.split('|');
  if (raw.length < CONNECTION_LOG_MIN_FIELDS) {
    throw lineError(LOG, lineNo, `${raw.length} fields, expected at least ${CONNECTION_LOG_MIN_FIELDS} separated by "|"`);
  }
  const rec: Record<string, unknown> = { fieldCount: raw.length };
  let verbatim: Verbatim | undefined;
  let extra: string[] | undefined;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i];
    const value = trimField(text);
    let canonical: string;
    if (i === 1) {
      const t = parseRedshiftTimestamp(value);
      if (t === null) throw fieldError(LOG, lineNo, i, 'recordtime', value, 'is not a Redshift timestamp');
      rec.recordtime = t;
      canonical = formatRedshiftTimestamp(t);
    } else if (i < KNOWN) {
      const col = CONNECTION_LOG_COLUMNS[i];
      if (i === 4 ? !isDigits(value) : INTEGER_FIELDS.has(i) && value !== '' && !isDigits(value)) {
        throw fieldError(LOG, lineNo, i, col.name, value, 'is not an integer');
      }
      rec[col.name] = value;
      canonical = encodeField(value, col.kind);
    } else {
      (extra ??= []).push(value);
      canonical = value;
    }
    if (text !== canonical) (verbatim ??= {})[i] = text;
  }
  if (extra) rec.extra = extra;
  if (verbatim) rec.verbatim = verbatim;
  return rec as unknown as ConnectionLogRecord;
}
