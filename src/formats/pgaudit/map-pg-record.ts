import type { AuditEvent, LogType } from '../../core/event.js';
import { eventIdFor } from '../../core/event-id.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import { redactStatement, scrub } from '../../core/redact/redact-sql.js';
import type { LiveLogContext, RecordPosition } from './context.js';
import { AUDIT_PREFIX, parsePgAuditMessage } from './parse-pgaudit.js';
import { parsePgTime, type PgLogRecord } from './pg-log-record.js';
import { classifySql } from './sql-verb.js';

/**
 * Maps one PostgreSQL log record to the event model, or null when it is not audit-relevant (postmaster chatter,
 * `connection received`, checkpoints…). Three sources feed the three log types:
 *  - core `log_connections`/`log_disconnections` lines and authentication FATALs → `connection`
 *    (pgaudit logs nothing about logins);
 *  - pgaudit `AUDIT:` records → `user` (class ROLE: CREATE/ALTER/DROP ROLE, GRANT, REVOKE) or `activity`;
 *  - core ERROR records with a statement → failed statements, which pgaudit never logs (success=false).
 * Actions use the Redshift connection-log vocabulary (`authenticated`, `authentication failure`,
 * `disconnecting session`) so one query covers every source.
 */
export function mapPgRecord(rec: PgLogRecord, raw: string, ctx: LiveLogContext, pos: RecordPosition): AuditEvent | null {
  const base = (logType: LogType, action: string): AuditEvent => ({
    eventId: eventIdFor(['postgres-pgaudit', ctx.server, ctx.fileId, String(pos.offset)]),
    time: parsePgTime(rec.logTime),
    logType,
    sourceFormat: 'postgres-pgaudit',
    account: ctx.account,
    region: ctx.region,
    service: 'postgres',
    cluster: ctx.server,
    database: rec.database,
    user: rec.user,
    session: rec.sessionId ?? rec.pid,
    remoteHost: rec.remoteHost,
    remotePort: rec.remotePort,
    action,
    statement: null,
    success: true,
    errorCode: null,
    object: null,
    details: compact({ pid: rec.pid, sessionLine: rec.sessionLine, applicationName: rec.applicationName, backendType: rec.backendType, severity: rec.severity }),
    raw: redactSecrets(raw.replace(/\r?\n$/, '')),
    sourceObject: ctx.sourceObject,
    sourceLine: pos.line,
  });
  const msg = rec.message;

  if (rec.severity === 'LOG' && msg.startsWith(AUDIT_PREFIX)) {
    const a = parsePgAuditMessage(msg);
    const red = a.statement.startsWith('<') && a.statement.endsWith('>') ? null : redactStatement(a.statement);
    const statement = red?.statement ?? null;
    // Bind parameters of a statement that mentions a secret are the secret (`ALTER … PASSWORD $1` is not
    // allowed, but `select set_config('app.password', $1)` / `insert … (password) values ($1)` are).
    const params = typeof a.parameter === 'string' ? [] : a.parameter;
    const hidden = [...(red?.masked ?? []), ...(red?.secretBearing ? params : [])];
    const isRole = a.klass === 'ROLE';
    // the command comes with the record; the SQL is only classified where the affected user must be read off it
    const verb = statement && (isRole || !a.command) ? classifySql(statement) : null;
    const ev = base(isRole ? 'user' : 'activity', a.command || verb?.action || 'UNKNOWN');
    if (isRole && verb?.isUserChange) ev.action = verb.action;
    ev.statement = statement;
    ev.object = a.objectName || (isRole ? verb?.target ?? null : null);
    ev.details = {
      ...ev.details,
      auditType: a.auditType,
      statementId: a.statementId,
      substatementId: a.substatementId,
      class: a.klass,
      command: a.command,
      ...(a.objectType ? { objectType: a.objectType } : {}),
      parameter: typeof a.parameter === 'string' ? a.parameter : a.parameter.map((p) => (red?.secretBearing ? '***' : redactSecrets(p))),
      ...(a.rows !== null ? { rows: a.rows } : {}),
    };
    if (hidden.length) ev.raw = scrub(ev.raw, hidden);
    return ev;
  }

  if (rec.severity === 'LOG') {
    if (msg.startsWith('connection authorized: ')) {
      const ev = base('connection', 'authenticated');
      ev.details = { ...ev.details, message: msg };
      return ev;
    }
    if (msg.startsWith('disconnection: ')) {
      const ev = base('connection', 'disconnecting session');
      const m = /session time: (\S+)/.exec(msg);
      ev.details = { ...ev.details, ...(m ? { sessionTime: m[1] } : {}) };
      return ev;
    }
    return null;
  }

  // Authentication failures: FATAL during startup/authentication, SQLSTATE class 28 (invalid authorization),
  // 3D000 (unknown database). The user is the *claimed* one, also for roles that do not exist.
  if (rec.severity === 'FATAL' && (rec.sqlState?.startsWith('28') || rec.commandTag === 'authentication' || rec.commandTag === 'startup')) {
    const ev = base('connection', 'authentication failure');
    ev.success = false;
    ev.errorCode = rec.sqlState;
    ev.details = { ...ev.details, message: redactSecrets(msg), ...(rec.detail ? { detail: redactSecrets(rec.detail) } : {}) };
    return ev;
  }

  // A statement that failed: not in the pgaudit stream at all, and the place where PostgreSQL itself leaks
  // passwords (the `query` column of `CREATE ROLE … PASSWORD '…'` that errored) — hence the redaction.
  if ((rec.severity === 'ERROR' || rec.severity === 'FATAL') && rec.query) {
    const red = redactStatement(rec.query);
    const statement = red.statement;
    const verb = classifySql(statement);
    const ev = base(verb.isUserChange ? 'user' : 'activity', verb.action);
    ev.statement = statement;
    ev.success = false;
    ev.errorCode = rec.sqlState;
    ev.object = verb.target;
    ev.details = { ...ev.details, message: scrub(redactSecrets(msg), red.masked) };
    if (red.masked.length) ev.raw = scrub(ev.raw, red.masked);
    return ev;
  }
  // Same, with the statement text withheld (log_min_error_statement = panic, which `auditlake enable` sets so
  // failing statements cannot leak passwords): the command tag still says what failed.
  if (rec.severity === 'ERROR' && rec.backendType === 'client backend') {
    const verb = classifySql(rec.commandTag ?? '');
    const ev = base(verb.isUserChange ? 'user' : 'activity', rec.commandTag || 'UNKNOWN');
    ev.success = false;
    ev.errorCode = rec.sqlState;
    ev.details = { ...ev.details, message: redactSecrets(msg) };
    return ev;
  }
  return null;
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== null && o[k] !== undefined) out[k] = o[k];
  return out;
}
