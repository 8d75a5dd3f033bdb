import { parseRedshiftTimestamp, formatRedshiftTimestamp } from '../timestamp.js';
import { encodeField, isDigits, trimField, type Verbatim } from '../pipe-fields.js';
import { fieldError, lineError } from '../parse-error.js';
import { USER_LOG_COLUMNS, type UserLogRecord } from './record.js';

const LOG = 'user log';
const KNOWN = USER_LOG_COLUMNS.length;
/** Columns that must be digits: userid, pid, xid. (Flags and valuntil are kept as written.) */
const DIGIT_FIELDS = new Set([0, 8, 9]);

/**
 * Parses one user-log line (without its `\n`): 11 `|`-separated fields, right-trimmed, mapped by position;
 * fields beyond 11 are kept as `extra`. Throws AuditlakeError E_PARSE naming the line and field.
 */
export function parseUserLogLine(line: string, lineNo: number): UserLogRecord {
  const raw = line.split('|');
  if (raw.length < KNOWN) {
    throw lineError(LOG, lineNo, `${raw.length} fields, expected ${KNOWN} separated by "|"`);
  }
  const rec: Record<string, unknown> = {};
  let verbatim: Verbatim | undefined;
  let extra: string[] | undefined;
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i];
    const value = trimField(text);
    let canonical: string;
    if (i === 10) {
      const t = parseRedshiftTimestamp(value);
      if (t === null) throw fieldError(LOG, lineNo, i, 'recordtime', value, 'is not a Redshift timestamp');
      rec.recordtime = t;
      canonical = formatRedshiftTimestamp(t);
    } else if (i < KNOWN) {
      const col = USER_LOG_COLUMNS[i];
      if (DIGIT_FIELDS.has(i) && !isDigits(value)) throw fieldError(LOG, lineNo, i, col.name, value, 'is not an integer');
      if (i === 3 && value === '') throw fieldError(LOG, lineNo, i, col.name, value, 'is empty');
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
  return rec as unknown as UserLogRecord;
}
