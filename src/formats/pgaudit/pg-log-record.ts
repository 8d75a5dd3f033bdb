import { AuditlakeError } from '../../core/errors.js';
import { parseCsvRow } from './csv.js';

/** One PostgreSQL log record, whichever destination (csvlog or jsonlog) it came from. Absent = null. */
export interface PgLogRecord {
  /** `2026-11-22 23:11:51.141 UTC` as written (server time zone). */
  logTime: string;
  user: string | null;
  database: string | null;
  pid: string | null;
  remoteHost: string | null;
  remotePort: string | null;
  sessionId: string | null;
  sessionLine: string | null;
  commandTag: string | null;
  severity: string;
  sqlState: string | null;
  message: string;
  detail: string | null;
  /** The client statement an ERROR/FATAL was about (csv `query`, json `statement`). */
  query: string | null;
  applicationName: string | null;
  backendType: string | null;
}

/** csvlog column order in PostgreSQL 15 (26 columns; 14/16 differ only at the end, we need none of those). */
const CSV_COLUMNS = 26;
const nz = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** Decodes one csvlog record (text of one CSV row). Throws E_PARSE naming the column count. */
export function pgRecordFromCsv(text: string): PgLogRecord {
  const f = parseCsvRow(text);
  // PG 13 has 23 columns, 14 has 24 (backend_type, leader_pid, query_id added over versions): accept ≥ 23
  if (f.length < 23 || f.length > CSV_COLUMNS) {
    throw new AuditlakeError('E_PARSE', `postgres csvlog: expected ${CSV_COLUMNS} columns, found ${f.length}`);
  }
  const from = f[4] ?? '';
  const colon = from.lastIndexOf(':');
  const isIp = from !== '' && from !== '[local]' && colon > 0;
  return {
    logTime: f[0],
    user: nz(f[1]),
    database: nz(f[2]),
    pid: nz(f[3]),
    remoteHost: from === '' ? null : isIp ? from.slice(0, colon) : from,
    remotePort: isIp ? from.slice(colon + 1) : null,
    sessionId: nz(f[5]),
    sessionLine: nz(f[6]),
    commandTag: nz(f[7]),
    severity: f[11],
    sqlState: nz(f[12]),
    message: f[13] ?? '',
    detail: nz(f[14]),
    query: nz(f[19]),
    applicationName: nz(f[22]),
    backendType: nz(f[23]),
  };
}

/** Decodes one jsonlog line. jsonlog omits keys whose value is empty/NULL. */
export function pgRecordFromJson(text: string): PgLogRecord {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new AuditlakeError('E_PARSE', `postgres jsonlog: not a JSON object (${(err as Error).message})`, { cause: err });
  }
  if (!o || typeof o !== 'object' || typeof o.timestamp !== 'string' || typeof o.message !== 'string') {
    throw new AuditlakeError('E_PARSE', 'postgres jsonlog: field "timestamp" or "message" missing');
  }
  const s = (k: string): string | null => (o[k] === undefined || o[k] === null || o[k] === '' ? null : String(o[k]));
  return {
    logTime: o.timestamp,
    user: s('user'),
    database: s('dbname'),
    pid: s('pid'),
    remoteHost: s('remote_host'),
    remotePort: s('remote_port'),
    sessionId: s('session_id'),
    sessionLine: s('line_num'),
    commandTag: s('ps'),
    severity: s('error_severity') ?? 'LOG',
    sqlState: s('state_code'),
    message: o.message,
    detail: s('detail'),
    query: s('statement'),
    applicationName: s('application_name'),
    backendType: s('backend_type'),
  };
}

/**
 * `2026-11-22 23:11:51.141 UTC` → epoch ms. PostgreSQL writes the zone as an abbreviation (log_timezone);
 * we accept UTC/GMT and numeric offsets (`+02`, `-0530`); a named zone we cannot resolve is an error.
 */
export function parsePgTime(s: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?)(?: (\S+))?$/.exec(s);
  if (!m) throw new AuditlakeError('E_PARSE', `postgres log: time "${s}" is not "YYYY-MM-DD HH:MM:SS[.mmm] ZONE"`);
  const zone = m[3] ?? 'UTC';
  let offset: string;
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') offset = 'Z';
  else if (/^[+-]\d\d(?::?\d\d)?$/.test(zone)) offset = zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  else throw new AuditlakeError('E_PARSE', `postgres log: time zone "${zone}" in "${s}" is not supported; set log_timezone = 'UTC'`);
  const t = Date.parse(`${m[1]}T${m[2]}${offset}`);
  if (Number.isNaN(t)) throw new AuditlakeError('E_PARSE', `postgres log: time "${s}" is not a valid date`);
  return t;
}
