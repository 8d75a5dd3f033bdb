import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AuditlakeError } from '../../core/errors.js';
import { partitionOf, readManifest, type Manifest, type ManifestFile } from '../../sinks/lake/manifest.js';
import { deriveKey } from '../../sinks/lake/parquet-key.js';
import { lit } from '../../sinks/lake/schema.js';
import { keyName, scanSql } from '../../sinks/lake/views.js';

export interface LakeReaderOptions {
  root: string;
  /** The lake's Parquet key (null for a plaintext lake). */
  masterKey: Buffer | null;
  /** DuckDB spill space. */
  tmpDir: string;
  threads?: number;
  memoryLimit?: string;
}

export interface LakePartitionFiles {
  /** `log_type=…/account=…/region=…/date=YYYY-MM-DD` */
  path: string;
  logType: string;
  account: string;
  region: string;
  date: string;
  files: ManifestFile[];
  overlapping: boolean;
}

export interface LakeReader {
  readonly conn: DuckDBConnection;
  readonly manifest: Manifest;
  partitions(): LakePartitionFiles[];
  /** SQL relation over the given files (de-duplicated by event_id when `dedupe`), with the views' columns. */
  relation(files: ManifestFile[], dedupe: boolean): string;
  close(): void;
}

function parsePartition(path: string): Omit<LakePartitionFiles, 'files' | 'overlapping'> {
  const kv = Object.fromEntries(path.split('/').map((p) => p.split('=', 2) as [string, string]));
  return { path, logType: kv.log_type ?? '', account: decodeURIComponent(kv.account ?? ''), region: decodeURIComponent(kv.region ?? ''), date: kv.date ?? '' };
}

/**
 * A DuckDB of its own over one manifest generation of the lake, for bulk reads (the export): unlike the query
 * engine it is not sandboxed, because it runs only SQL auditlake writes and must read and write export files.
 */
export async function openLakeReader(o: LakeReaderOptions): Promise<LakeReader> {
  const manifest = await readManifest(o.root);
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false', threads: String(o.threads ?? 2), memory_limit: o.memoryLimit ?? '256MB',
    temp_directory: `${o.tmpDir}/duckdb-export-${process.pid}`, preserve_insertion_order: 'true',
    // Spilled rows of an encrypted lake stay encrypted (a per-process key DuckDB keeps in memory).
    ...(o.masterKey ? { temp_file_encryption: 'true', force_mbedtls_unsafe: 'true' } : {}),
  });
  const conn = await instance.connect();
  for (const salt of new Set(manifest.files.map((f) => f.key).filter((k): k is string => !!k))) {
    if (!o.masterKey) throw new AuditlakeError('E_KEY', `export: the lake ${o.root} is encrypted; reading it needs its Parquet key`);
    const k = deriveKey(o.masterKey, salt);
    await conn.run(`PRAGMA add_parquet_key(${lit(keyName(salt))}, ${lit(k.base64)})`);
  }
  const overlapping = new Set(manifest.overlapping);
  return {
    conn,
    manifest,
    partitions() {
      const byPart = new Map<string, ManifestFile[]>();
      for (const f of manifest.files) {
        const p = partitionOf(f.path);
        let list = byPart.get(p);
        if (!list) byPart.set(p, (list = []));
        list.push(f);
      }
      return [...byPart].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, files]) => ({ ...parsePartition(p), files, overlapping: overlapping.has(p) }));
    },
    relation(files, dedupe) {
      const scan = scanSql(o.root, files);
      if (!scan) return `(SELECT NULL WHERE false)`;
      return dedupe ? `(SELECT * FROM (${scan}) QUALIFY row_number() OVER (PARTITION BY event_id) = 1)` : `(${scan})`;
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
