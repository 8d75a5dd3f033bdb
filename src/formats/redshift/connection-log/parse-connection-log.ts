import { isDigits } from '../pipe-fields.js';
import { lineError } from '../parse-error.js';
import { mapPipeFields, type PipeLogSpec } from '../parse-pipe-fields.js';
import { CONNECTION_LOG_COLUMNS, CONNECTION_LOG_MIN_FIELDS, type ConnectionLogRecord } from './record.js';

/** Integer columns that must hold digits when present (pid is always required). */
const INTEGER_FIELDS = new Set([8, 11, 19]);

const SPEC: PipeLogSpec = {
  log: 'connection log',
  columns: CONNECTION_LOG_COLUMNS,
  timeIndex: 1,
  check: (i, value) => ((i === 4 ? !isDigits(value) : INTEGER_FIELDS.has(i) && value !== '' && !isDigits(value)) ? 'is not an integer' : undefined),
};

/**
 * Parses one connection-log line (without its `\n`). Fields are split on `|` (Redshift neither quotes nor
 * escapes), right-trimmed and mapped by position; every historical width (15, 16, 19, 21) and wider lines
 * are accepted, extra fields kept. Throws AuditlakeError E_PARSE naming the line and field.
 */
export function parseConnectionLogLine(line: string, lineNo: number): ConnectionLogRecord {
  const raw = line.split('|');
  if (raw.length < CONNECTION_LOG_MIN_FIELDS) {
    throw lineError(SPEC.log, lineNo, `${raw.length} fields, expected at least ${CONNECTION_LOG_MIN_FIELDS} separated by "|"`);
  }
  const rec: Record<string, unknown> = { fieldCount: raw.length };
  mapPipeFields(raw, lineNo, SPEC, rec);
  return rec as unknown as ConnectionLogRecord;
}
