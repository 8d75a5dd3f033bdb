/**
 * @module
 * Event search → one SQL statement over the `events` view. Values are validated by the API schema first and
 * quoted with `lit` here; confinement does not rely on this text (the engine a scoped caller gets cannot read
 * other accounts' files at all), it only narrows what the caller asked for.
 */
import { AuditlakeError } from '../../core/errors.js';
import { lit } from '../../sinks/lake/schema.js';

export interface SearchParams {
  from?: string;
  to?: string;
  account?: string;
  database?: string;
  user?: string;
  logType?: string;
  action?: string;
  success?: 'true' | 'false';
  q?: string;
  limit: number;
  cursor?: string;
}

/** Columns of a search hit, in the order the API returns them (camelCase keys built from these). */
export const SUMMARY_COLUMNS = [
  ['event_id', 'eventId'], ['time', 'time'], ['log_type', 'logType'], ['account', 'account'], ['region', 'region'],
  ['service', 'service'], ['cluster', 'cluster'], ['database', 'database'], ['user', 'user'], ['action', 'action'],
  ['object', 'object'], ['success', 'success'], ['error_code', 'errorCode'], ['remote_host', 'remoteHost'], ['statement', 'statement'],
] as const;

export const DETAIL_COLUMNS = [
  ...SUMMARY_COLUMNS, ['source_format', 'sourceFormat'], ['session', 'session'], ['remote_port', 'remotePort'],
  ['details', 'details'], ['raw', 'raw'], ['source_object', 'sourceObject'], ['source_line', 'sourceLine'],
] as const;

const ts = (iso: string) => `CAST(${lit(new Date(iso).toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;

/** Cursor = the (time, event_id) of the last row of the page, so the next page starts strictly after it. */
export function encodeCursor(time: string, eventId: string): string {
  return Buffer.from(JSON.stringify([time, eventId])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) return [v[0], v[1]];
  } catch { /* fall through to the error */ }
  throw new AuditlakeError('E_USAGE', 'search: cursor is not one this server issued');
}

const col = (c: string) => `"${c}"`;

export function searchSql(p: SearchParams): string {
  const where: string[] = [];
  if (p.from) where.push(`time >= ${ts(p.from)}`);
  if (p.to) where.push(`time < ${ts(p.to)}`);
  if (p.account) where.push(`account = ${lit(p.account)}`);
  if (p.database) where.push(`(database = ${lit(p.database)} OR cluster = ${lit(p.database)})`);
  if (p.user) where.push(`"user" = ${lit(p.user)}`);
  if (p.logType) where.push(`log_type = ${lit(p.logType)}`);
  if (p.action) where.push(`action = ${lit(p.action)}`);
  if (p.success) where.push(`success = ${p.success}`);
  if (p.q) {
    const needle = lit(p.q.toLowerCase());
    where.push(`(contains(lower(coalesce(statement, '')), ${needle}) OR contains(lower(coalesce(object, '')), ${needle}) OR contains(lower(raw), ${needle}))`);
  }
  if (p.cursor) {
    const [t, id] = decodeCursor(p.cursor);
    where.push(`(time < ${ts(t)} OR (time = ${ts(t)} AND event_id < ${lit(id)}))`);
  }
  const cols = SUMMARY_COLUMNS.map(([c]) => (c === 'statement' ? `left(statement, 300) AS statement` : col(c))).join(', ');
  return `SELECT ${cols} FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, event_id DESC LIMIT ${p.limit + 1}`;
}

export function detailSql(eventId: string): string {
  return `SELECT ${DETAIL_COLUMNS.map(([c]) => col(c)).join(', ')} FROM events WHERE event_id = ${lit(eventId)} LIMIT 1`;
}

/** Result rows → objects keyed by the API's camelCase names. */
export function rowsToObjects<T extends readonly (readonly [string, string])[]>(cols: T, rows: unknown[][]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(cols.map(([, k], i) => [k, typeof r[i] === 'bigint' ? Number(r[i]) : r[i]])));
}
