import { AuditlakeError } from '../../core/errors.js';
import { parseCsvRow } from './csv.js';

/** A pgaudit record: the CSV row pgaudit puts after `AUDIT: ` in the log message (9 fields, 10 with log_rows). */
export interface PgAuditRecord {
  auditType: string;
  statementId: string;
  substatementId: string;
  klass: string;
  command: string;
  objectType: string;
  objectName: string;
  statement: string;
  /** `<none>`, `<not logged>`, `<previously logged>`, or the bind parameters (third CSV layer, decoded). */
  parameter: string | string[];
  rows: string | null;
}

export const AUDIT_PREFIX = 'AUDIT: ';

/** Parses the message column of a log record that starts with `AUDIT: `. */
export function parsePgAuditMessage(message: string): PgAuditRecord {
  const f = parseCsvRow(message.slice(AUDIT_PREFIX.length));
  if (f.length !== 9 && f.length !== 10) {
    throw new AuditlakeError('E_PARSE', `pgaudit: expected 9 or 10 fields in the AUDIT message, found ${f.length}`);
  }
  const p = f[8];
  const parameter = p.startsWith('<') && p.endsWith('>') ? p : parseCsvRow(p);
  return {
    auditType: f[0],
    statementId: f[1],
    substatementId: f[2],
    klass: f[3],
    command: f[4],
    objectType: f[5],
    objectName: f[6],
    statement: f[7],
    parameter,
    rows: f.length === 10 ? f[9] : null,
  };
}
