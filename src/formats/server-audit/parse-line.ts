import { AuditlakeError } from '../../core/errors.js';

/**
 * One MariaDB server_audit file line (plugin 1.4.x, also RDS's MySQL fork):
 * `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`.
 * Nothing but the query is quoted or escaped — a user `we,ird` or a database `d,b` contains bare commas — so the
 * line is matched by an anchored regex: fixed-shape fields from both ends, the free text in the middle.
 */
export interface ServerAuditLine {
  /** `YYYYMMDD HH:MM:SS`, server local time, no zone, 1-second resolution. */
  timestamp: string;
  serverHost: string;
  username: string;
  host: string;
  connectionId: string;
  queryId: string;
  operation: string;
  /** Session database (QUERY and CONNECT rows); for TABLE rows `database,table` joined (see `table`). */
  database: string;
  /** TABLE rows: the table, when the split is unambiguous (no comma in either name), else null. */
  table: string | null;
  /** QUERY rows: the statement, unescaped. */
  query: string | null;
  /** MariaDB error number; '' on TABLE rows. */
  retcode: string;
}

const LINE = /^(\d{8} \d\d:\d\d:\d\d),([^,]*),(.*?),([^,]*),(\d+),(\d+),(CONNECT|DISCONNECT|FAILED_CONNECT|CHANGEUSER|QUERY|READ|WRITE|CREATE|ALTER|RENAME|DROP),(.*),(-?\d*)$/s;
const TABLE_OPS = new Set(['READ', 'WRITE', 'CREATE', 'ALTER', 'RENAME', 'DROP']);
const ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0' };

/** Reverses server_audit's escaping inside the quoted query: `\'`, `\\`, `\n`, `\r`, `\t`. */
export function unescapeQuery(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => ESC[c] ?? c);
}

export function escapeQuery(s: string): string {
  return s.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
}

export function parseServerAuditLine(line: string): ServerAuditLine {
  const text = line.replace(/\r?\n$/, '');
  const m = LINE.exec(text);
  if (!m) throw new AuditlakeError('E_PARSE', 'server_audit: line does not match `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`');
  const [, timestamp, serverHost, username, host, connectionId, queryId, operation, rest, retcode] = m;
  let database = rest;
  let table: string | null = null;
  let query: string | null = null;
  if (operation === 'QUERY') {
    // the statement starts at the first `,'` (database names cannot contain a quote) and ends at the last `'`
    const i = rest.indexOf(",'");
    if (i < 0 || !rest.endsWith("'")) throw new AuditlakeError('E_PARSE', 'server_audit: QUERY row without a quoted statement in field 9 (object)');
    database = rest.slice(0, i);
    query = unescapeQuery(rest.slice(i + 2, -1));
  } else if (TABLE_OPS.has(operation)) {
    // `database,table` (retcode is empty, so the regex leaves the trailing comma in `rest`)
    const dt = rest.endsWith(',') ? rest.slice(0, -1) : rest;
    const parts = dt.split(',');
    if (parts.length === 2) [database, table] = parts;
    else database = dt;
  } else {
    // CONNECT-class: `database,` with an empty object
    database = rest.endsWith(',') ? rest.slice(0, -1) : rest;
  }
  return { timestamp, serverHost, username, host, connectionId, queryId, operation, database, table, query, retcode };
}

/** `20261122 23:13:42` → epoch ms; the plugin writes server local time without a zone: `utcOffsetMinutes` says it. */
export function parseServerAuditTime(ts: string, utcOffsetMinutes = 0): number {
  const m = /^(\d{4})(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(ts);
  if (!m) throw new AuditlakeError('E_PARSE', `server_audit: field 1 (timestamp) "${ts}" is not YYYYMMDD HH:MM:SS`);
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return t - utcOffsetMinutes * 60_000;
}
