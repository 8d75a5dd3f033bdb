import { AuditlakeError } from '../../core/errors.js';
import type { PgLogRecord } from './pg-log-record.js';

/**
 * One PostgreSQL stderr-format message with RDS's `log_line_prefix = '%t:%r:%u@%d:[%p]:'`, the format RDS for
 * PostgreSQL exports to CloudWatch Logs: `2026-11-22 23:15:27 UTC:127.0.0.1(56714):postgres@postgres:[19597]:LOG:  …`.
 * `%r` is `host(port)` or `[local]`, `%u@%d` is `[unknown]@[unknown]` before authentication and `@` for background
 * processes. The stderr format has no SQLSTATE column; the authentication failures are recognised by their text.
 */
const PREFIX = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [A-Za-z0-9+-]+):([^:]*?(?:\(\d+\))?):(.*?)@(.*?):\[(\d+)\]:(LOG|ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|DEBUG\d?|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION):\s\s([\s\S]*)$/;

const AUTH_FAILURES: Array<[RegExp, string]> = [
  [/^password authentication failed for user /, '28P01'],
  [/^pg_hba\.conf rejects connection /, '28000'],
  [/^no pg_hba\.conf entry for /, '28000'],
  [/^role ".*" is not permitted to log in/, '28000'],
  [/^database ".*" does not exist$/, '3D000'],
];

/** Debian's default `log_line_prefix = '%m [%p] %q%u@%d '`: `2026-11-22 23:11:51.464 UTC [15709] postgres@postgres LOG:  …`. */
const DEBIAN_PREFIX = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [A-Za-z0-9+-]+) \[(\d+)\] (?:(\S*?)@(\S*?) )?(LOG|ERROR|FATAL|PANIC|WARNING|NOTICE|INFO|DEBUG\d?|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION):\s\s([\s\S]*)$/;

/**
 * One stderr-format record (first line plus its TAB-continued lines), RDS prefix or Debian's default prefix.
 * Continuation lines lose their leading TAB, so a multi-line statement reads as it was sent.
 */
export function pgRecordFromStderr(text: string): PgLogRecord {
  const t = text.replace(/\r?\n$/, '').replace(/\n\t/g, '\n');
  if (PREFIX.test(t)) return pgRecordFromRdsStderr(t);
  const m = DEBIAN_PREFIX.exec(t);
  if (!m) throw new AuditlakeError('E_PARSE', "postgres stderr log: line starts with neither the RDS prefix '%t:%r:%u@%d:[%p]:' nor '%m [%p] %q%u@%d '");
  const [, time, pid, user, db, severity, message] = m;
  const rec = pgRecordFromRdsStderr(`${time}::${user ?? ''}@${db ?? ''}:[${pid}]:${severity}:  ${message}`);
  // this prefix has no client address: a record with a user comes from a client backend
  rec.backendType = user ? 'client backend' : null;
  return rec;
}

export function pgRecordFromRdsStderr(text: string): PgLogRecord {
  const m = PREFIX.exec(text.replace(/\r?\n$/, ''));
  if (!m) throw new AuditlakeError('E_PARSE', "postgres stderr log: line does not start with the RDS prefix '%t:%r:%u@%d:[%p]:SEVERITY:'");
  const [, time, from, user, db, pid, severity, message] = m;
  const hp = /^(.*)\((\d+)\)$/.exec(from);
  const unknown = (s: string) => (s === '' || s === '[unknown]' ? null : s);
  let sqlState: string | null = null;
  if (severity === 'FATAL') for (const [re, code] of AUTH_FAILURES) if (re.test(message)) sqlState = code;
  return {
    logTime: time,
    user: unknown(user),
    database: unknown(db),
    pid,
    remoteHost: hp ? hp[1] : from === '' ? null : from,
    remotePort: hp ? hp[2] : null,
    sessionId: null,
    sessionLine: null,
    commandTag: sqlState ? 'authentication' : null,
    severity,
    sqlState,
    message,
    detail: null,
    query: null,
    applicationName: null,
    // stderr does not say; a line with a client address comes from a client backend
    backendType: from === '' ? null : 'client backend',
  };
}
