import type { OcsfClassInfo } from '../../transforms/ocsf/index.js';

export type ExportFormat = 'parquet' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['parquet', 'jsonl'];

/**
 * Amazon Security Lake's custom-source layout, `ext/<source>/region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/`,
 * one OCSF class per source (Security Lake takes one class per object). Events without an AWS account or region
 * (a self-hosted PostgreSQL) go under `unknown`.
 */
export function exportPrefix(cls: OcsfClassInfo, account: string, region: string, date: string): string {
  return `${classRoot(cls)}${partitionPath(account, region, date)}`;
}

/** Where a class's objects go when no custom-source location is given: `ext/<source>/`. */
export function classRoot(cls: OcsfClassInfo): string {
  return `ext/${cls.sourceName}/`;
}

/** The partition below a class's root: `region=<region>/accountId=<account>/eventDay=<YYYYMMDD>/`. */
export function partitionPath(account: string, region: string, date: string): string {
  const safe = (s: string) => (s ? s.replace(/[^A-Za-z0-9_.-]/g, '_') : 'unknown');
  return `region=${safe(region)}/accountId=${safe(account)}/eventDay=${date.replace(/-/g, '')}/`;
}

/** Object name: the content (its event ids) decides it, so writing the same events again yields the same key. */
export function exportObjectKey(prefix: string, contentHash: string, format: ExportFormat): string {
  return `${prefix}${contentHash}.${format === 'parquet' ? 'parquet' : 'jsonl'}`;
}
