/**
 * The lake's column layout: one column per AuditEvent field, in snake_case, plus the Hive partition
 * columns (`log_type`, `account`, `region`, `date`) that live in the directory names, not in the files
 * (Athena/Trino convention), and come back through `hive_partitioning`.
 */

import { DERIVED_RAW_SQL } from './derived-raw.js';

/** Columns stored inside each Parquet file, in file order, with their DuckDB types. */
export const FILE_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['event_id', 'VARCHAR'],
  ['time', 'TIMESTAMP'],
  ['source_format', 'VARCHAR'],
  ['service', 'VARCHAR'],
  ['cluster', 'VARCHAR'],
  ['database', 'VARCHAR'],
  ['user', 'VARCHAR'],
  ['session', 'VARCHAR'],
  ['remote_host', 'VARCHAR'],
  ['remote_port', 'VARCHAR'],
  ['action', 'VARCHAR'],
  ['statement', 'VARCHAR'],
  ['success', 'BOOLEAN'],
  ['error_code', 'VARCHAR'],
  ['object', 'VARCHAR'],
  ['details', 'VARCHAR'],
  ['raw', 'VARCHAR'],
  ['source_object', 'VARCHAR'],
  ['source_line', 'INTEGER'],
];

/** Hive partition columns, outermost first: `log_type=…/account=…/region=…/date=YYYY-MM-DD/`. */
export const PARTITION_COLUMNS: ReadonlyArray<readonly [name: string, type: string]> = [
  ['log_type', 'VARCHAR'],
  ['account', 'VARCHAR'],
  ['region', 'VARCHAR'],
  ['date', 'DATE'],
];

/** Double-quotes an identifier (`user` is a keyword in most SQL dialects). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQL string literal. Only for paths and names the lake itself produced. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The column order every view exposes (AuditEvent order, then `date`). */
export const VIEW_COLUMNS: readonly string[] = [
  'event_id', 'time', 'log_type', 'source_format', 'account', 'region', 'service', 'cluster', 'database', 'user',
  'session', 'remote_host', 'remote_port', 'action', 'statement', 'success', 'error_code', 'object', 'details', 'raw',
  'source_object', 'source_line', 'date',
];

/** Select list for the views: `details` exposed as JSON so `details->>'userid'` works. */
export function viewSelectList(): string {
  return VIEW_COLUMNS.map((c) => (c === 'details' ? `CAST(details AS JSON) AS details` : c === 'raw' ? DERIVED_RAW_SQL : ident(c))).join(', ');
}

/** `hive_types` argument for read_parquet: keeps `account` text (12-digit ids must not become BIGINT). */
export function hiveTypesArg(): string {
  return `{${PARTITION_COLUMNS.map(([n, t]) => `${lit(n)}: ${t}`).join(', ')}}`;
}

/** An empty relation with the views' columns and types (what the views read when the lake has no files). */
export function emptyRelationSql(): string {
  const types = new Map<string, string>([...FILE_COLUMNS, ...PARTITION_COLUMNS]);
  const cols = VIEW_COLUMNS.map((c) => `CAST(NULL AS ${types.get(c)}) AS ${ident(c)}`).join(', ');
  return `SELECT ${cols} WHERE false`;
}

/** The views `lake.query()` offers, with the log type each filters on (null = every event). */
export const VIEWS: ReadonlyArray<{ name: string; logType: string | null; about: string }> = [
  { name: 'events', logType: null, about: 'every event, de-duplicated by event_id' },
  { name: 'connections', logType: 'connection', about: 'logins, logouts, failed authentications' },
  { name: 'user_changes', logType: 'user', about: 'create/alter/drop/rename user' },
  { name: 'activity', logType: 'activity', about: 'SQL statements' },
  { name: 'api_calls', logType: 'api', about: 'CloudTrail API calls' },
];
