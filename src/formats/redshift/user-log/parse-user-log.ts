import { isDigits } from '../pipe-fields.js';
import { lineError } from '../parse-error.js';
import { mapPipeFields, type PipeLogSpec } from '../parse-pipe-fields.js';
import { USER_LOG_COLUMNS, type UserLogRecord } from './record.js';

const KNOWN = USER_LOG_COLUMNS.length;
/** Columns that must be digits: userid, pid, xid. (Flags and valuntil are kept as written.) */
const DIGIT_FIELDS = new Set([0, 8, 9]);

const SPEC: PipeLogSpec = {
  log: 'user log',
  columns: USER_LOG_COLUMNS,
  timeIndex: 10,
  check: (i, value) => (DIGIT_FIELDS.has(i) && !isDigits(value) ? 'is not an integer' : i === 3 && value === '' ? 'is empty' : undefined),
};

/**
 * Parses one user-log line (without its `\n`): 11 `|`-separated fields, right-trimmed, mapped by position;
 * fields beyond 11 are kept as `extra`. Throws AuditlakeError E_PARSE naming the line and field.
 */
export function parseUserLogLine(line: string, lineNo: number): UserLogRecord {
  const raw = line.split('|');
  if (raw.length < KNOWN) {
    throw lineError(SPEC.log, lineNo, `${raw.length} fields, expected ${KNOWN} separated by "|"`);
  }
  const rec: Record<string, unknown> = {};
  mapPipeFields(raw, lineNo, SPEC, rec);
  return rec as unknown as UserLogRecord;
}
