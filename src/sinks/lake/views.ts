import { join } from 'node:path';
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
 * The `events` relation: files of clean partitions are read as they are; files of partitions marked
 * overlapping are de-duplicated by event_id (one row per id), so the cost of de-duplication is paid only
 * where a duplicate is possible, and compaction removes it.
 */
export function eventsSql(root: string, m: Manifest): string {
  const overlapping = new Set(m.overlapping);
  const clean = m.files.filter((f) => !overlapping.has(partitionOf(f.path)));
  const dirty = m.files.filter((f) => overlapping.has(partitionOf(f.path)));
  const parts: string[] = [];
  const c = scanSql(root, clean);
  if (c) parts.push(c);
  const d = scanSql(root, dirty);
  // A window, not DISTINCT ON: it spills to disk, so a large overlapping partition cannot exhaust memory.
  if (d) parts.push(`SELECT * FROM (${d}) QUALIFY row_number() OVER (PARTITION BY event_id) = 1`);
  return parts.length ? parts.join('\nUNION ALL\n') : emptyRelationSql();
}

/** CREATE OR REPLACE VIEW statements for every view. */
export function viewStatements(root: string, m: Manifest): string[] {
  const stmts = [`CREATE OR REPLACE VIEW events AS ${eventsSql(root, m)}`];
  for (const v of VIEWS) if (v.logType) stmts.push(`CREATE OR REPLACE VIEW ${v.name} AS SELECT * FROM events WHERE log_type = ${lit(v.logType)}`);
  return stmts;
}
