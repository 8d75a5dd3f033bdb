import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { apiColumnsSql } from './api-columns.js';
import type { Manifest, ManifestFile } from './manifest.js';
import { partitionOf } from './manifest.js';
import { emptyRelationSql, hiveTypesArg, lit, viewSelectList, VIEWS } from './schema.js';

/** DuckDB key name for a file's per-write key salt. */
export const keyName = (salt: string) => `k_${salt}`;

/**
 * read_parquet over `files`, one scan per encryption key (read_parquet takes one key), glued with
 * UNION ALL. Partition columns come from the paths (hive_partitioning) with fixed types.
 */
export function scanSql(root: string, files: ManifestFile[]): string | null {
  if (files.length === 0) return null;
  const byKey = new Map<string, string[]>();
  for (const f of files) {
    const k = f.key ?? '';
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(join(root, f.path));
  }
  const scans = [...byKey].map(([k, paths]) =>
    `SELECT ${viewSelectList()} FROM read_parquet([${paths.map(lit).join(', ')}], hive_partitioning=true, hive_types=${hiveTypesArg()}` +
    `${k ? `, encryption_config={footer_key: ${lit(keyName(k))}}` : ''})`,
  );
  return scans.join('\nUNION ALL\n');
}

/**
 * The relation over `files`: files of clean partitions are read as they are; files of partitions marked
 * overlapping are de-duplicated by event_id (one row per id), so the cost of de-duplication is paid only
 * where a duplicate is possible, and compaction removes it.
 */
function relationSql(root: string, files: ManifestFile[], overlapping: ReadonlySet<string>): string {
  const clean = files.filter((f) => !overlapping.has(partitionOf(f.path)));
  const dirty = files.filter((f) => overlapping.has(partitionOf(f.path)));
  const parts: string[] = [];
  const c = scanSql(root, clean);
  if (c) parts.push(c);
  const d = scanSql(root, dirty);
  // A window, not DISTINCT ON: it spills to disk, so a large overlapping partition cannot exhaust memory.
  if (d) parts.push(`SELECT * FROM (${d}) QUALIFY row_number() OVER (PARTITION BY event_id) = 1`);
  return parts.length ? parts.join('\nUNION ALL\n') : emptyRelationSql();
}

/** The `events` relation: every live file. */
export function eventsSql(root: string, m: Manifest): string {
  return relationSql(root, m.files, new Set(m.overlapping));
}

/** The log type of a manifest file, from its first path segment (`log_type=activity/…`). */
function logTypeOf(path: string): string {
  const first = path.slice(0, path.indexOf('/'));
  return first.startsWith('log_type=') ? first.slice('log_type='.length) : '';
}

/**
 * The CREATE OR REPLACE VIEW statement of one view. A log-type view scans only that log type's files
 * (the manifest knows them): binding a read_parquet costs a footer read per file, so `activity` must not
 * pay for every connection-log and CloudTrail file of the lake.
 */
export function viewStatement(root: string, m: Manifest, view: string): string {
  const v = VIEWS.find((x) => x.name === view);
  if (!v) throw new AuditlakeError('E_INTERNAL', `lake: no view named ${view}`);
  const files = viewFiles(m, view);
  const relation = relationSql(root, files, new Set(m.overlapping));
  // api_calls adds the CloudTrail columns investigators filter on (api-columns.ts), derived from `raw`.
  return `CREATE OR REPLACE VIEW ${v.name} AS ${v.name === 'api_calls' ? apiColumnsSql(relation) : relation}`;
}

/** CREATE OR REPLACE VIEW statements for every view. */
export function viewStatements(root: string, m: Manifest): string[] {
  return VIEWS.map((v) => viewStatement(root, m, v.name));
}

/**
 * The views a statement may read: every view whose name occurs in it as a word. An over-approximation
 * (a name inside a string literal counts too) costs a view that is not needed, never a missing one.
 */
export function viewsReferencedBy(sql: string): string[] {
  const words = new Set(sql.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  // Catalog questions (SHOW TABLES, DESCRIBE, information_schema, duckdb_views()) see every view.
  const catalog = [...words].some((w) => CATALOG_WORDS.has(w) || w.startsWith('duckdb_'));
  return VIEWS.filter((v) => catalog || words.has(v.name)).map((v) => v.name);
}

const CATALOG_WORDS = new Set(['show', 'describe', 'summarize', 'information_schema', 'pragma', 'pg_catalog']);

/** The files a view scans. */
export function viewFiles(m: Manifest, view: string): ManifestFile[] {
  const v = VIEWS.find((x) => x.name === view);
  return v?.logType ? m.files.filter((f) => logTypeOf(f.path) === v.logType) : m.files;
}
