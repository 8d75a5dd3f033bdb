import type { AuditEvent } from '../../core/event.js';
import { eventIdFor } from '../../core/event-id.js';
import { redactSecrets } from '../../core/redact/redact-secrets.js';
import { redactStatement, scrub } from '../../core/redact/redact-sql.js';
import type { LiveLogContext, RecordPosition } from '../pgaudit/context.js';
import { classifySql } from '../pgaudit/sql-verb.js';
import { classifyDdl } from './classify-ddl.js';
import { escapeQuery, parseServerAuditTime, type ServerAuditLine } from './parse-line.js';

export interface ServerAuditOptions {
  /** The plugin writes server-local time without a zone; minutes east of UTC (0 = the server logs UTC). */
  utcOffsetMinutes?: number;
  /** Keep TABLE rows on the `mysql` schema (grant tables, engine statistics the server touches itself). Default false. */
  keepSystemTableRows?: boolean;
}

/**
 * Maps one server_audit line to the event model (null = deliberately skipped). CONNECT-class rows →
 * `connection` (FAILED_CONNECT is a failed login, success=false, errorCode = MariaDB errno such as 1045);
 * QUERY rows → `user` for CREATE/ALTER/DROP/RENAME USER|ROLE, GRANT, REVOKE, SET PASSWORD, else `activity`
 * (success from retcode; DDL gets pgaudit's shape: action `CREATE TABLE`, object `schema.table`, details.class `DDL`); TABLE rows → `activity` with the table as object.
 */
export function mapServerAuditLine(l: ServerAuditLine, raw: string, ctx: LiveLogContext, pos: RecordPosition, opts: ServerAuditOptions = {}): AuditEvent | null {
  const rawLine = raw.replace(/\r?\n$/, '');
  const ev: AuditEvent = {
    eventId: eventIdFor(['mariadb-server-audit', ctx.server, ctx.fileId, String(pos.offset)]),
    time: parseServerAuditTime(l.timestamp, opts.utcOffsetMinutes ?? 0),
    logType: 'connection',
    sourceFormat: 'mariadb-server-audit',
    account: ctx.account,
    region: ctx.region,
    service: 'mariadb',
    cluster: ctx.server,
    database: l.database === '' ? null : l.database,
    user: l.username === '' ? null : l.username,
    session: l.connectionId,
    remoteHost: l.host === '' ? null : l.host,
    remotePort: null,
    action: '',
    statement: null,
    success: l.retcode === '' ? null : l.retcode === '0',
    errorCode: l.retcode === '' || l.retcode === '0' ? null : l.retcode,
    object: null,
    details: { serverHost: l.serverHost, queryId: l.queryId, operation: l.operation },
    raw: redactSecrets(rawLine),
    sourceObject: ctx.sourceObject,
    sourceLine: pos.line,
  };
  switch (l.operation) {
    case 'CONNECT':
      ev.action = 'authenticated';
      return ev;
    case 'FAILED_CONNECT':
      ev.action = 'authentication failure';
      ev.success = false;
      return ev;
    case 'DISCONNECT':
      ev.action = 'disconnecting session';
      return ev;
    case 'CHANGEUSER':
      ev.action = 'change user';
      return ev;
    case 'QUERY': {
      const red = redactStatement(l.query ?? '');
      const statement = red.statement;
      if (red.masked.length) ev.raw = scrub(ev.raw, red.masked);
      const verb = classifySql(statement);
      ev.logType = verb.isUserChange ? 'user' : 'activity';
      ev.action = verb.action;
      ev.statement = statement;
      // When every literal was masked the account (`'u'@'%'`) went too: it is read off the pattern-redacted text,
      // whose literals after the secret keyword are never part of the target.
      ev.object = red.masked.length ? classifySql(redactSecrets(l.query ?? '')).target : verb.target;
      const ddl = verb.isUserChange ? null : classifyDdl(statement, ev.database);
      if (ddl) {
        // like pgaudit's DDL class: the command as action, the schema-qualified object
        ev.action = ddl.command;
        ev.object = ddl.object;
        ev.details = { ...ev.details, class: 'DDL', command: ddl.command, objectType: ddl.objectType };
      }
      // the raw line holds the statement escaped (`\'pw\'`), which a redactor may not recognise:
      // rebuild it from the redacted statement whenever redaction changed anything
      if (statement !== l.query) ev.raw = rebuildQueryLine(rawLine, l, statement);
      return ev;
    }
    default:
      if (l.database === 'mysql' && !opts.keepSystemTableRows) return null;
      ev.logType = 'activity';
      ev.action = l.operation;
      ev.object = l.table !== null ? `${l.database}.${l.table}` : l.database;
      return ev;
  }
}

function rebuildQueryLine(rawLine: string, l: ServerAuditLine, statement: string): string {
  const head = rawLine.slice(0, rawLine.length - l.retcode.length - 1);
  const i = head.indexOf(",'", head.indexOf(`,${l.operation},`));
  return `${head.slice(0, i)},'${escapeQuery(statement)}',${l.retcode}`;
}
