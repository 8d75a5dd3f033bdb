import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { fsyncDir, writeFileAtomicAsync } from '../../buffer/atomic-file.js';
import type { SourceObjectRef } from '../../core/lake.js';

/** File name of the manifest inside the lake root (`_` prefix: Athena/Hive skip it). */
export const MANIFEST_NAME = '_auditlake_manifest.json';

/** One live Parquet file. */
export interface ManifestFile {
  /** Path relative to the lake root, `/`-separated: `log_type=…/account=…/region=…/date=…/<name>.parquet`. */
  path: string;
  rows: number;
  bytes: number;
  /** Salt (hex) of the per-write Parquet key when the lake is encrypted; absent otherwise. */
  key?: string;
}

/**
 * The single source of truth of the lake: which data files are live, which source objects are in them.
 * Written to a temp file, fsynced, renamed over the old one (atomic on POSIX), so a reader or a crash
 * sees either the previous or the next generation, never a mix.
 */
export interface Manifest {
  format: 'auditlake-lake';
  version: 1;
  generation: number;
  updatedAt: string;
  /** null = plaintext lake; otherwise a keyed check value (never the key) to refuse a wrong key early. */
  encryption: { scheme: 'duckdb-parquet-footer-key/hkdf-sha256'; check: string } | null;
  files: ManifestFile[];
  /**
   * Partition paths whose files may hold the same event_id more than once (CloudTrail delivers the same
   * event in several files; a changed source object is re-read whole). The views de-duplicate only these;
   * compaction de-duplicates them on disk and clears the mark.
   */
  overlapping: string[];
  /** store URL → key → version ingested. */
  sources: Record<string, Record<string, { etag: string; size: number }>>;
}

export function emptyManifest(): Manifest {
  return { format: 'auditlake-lake', version: 1, generation: 0, updatedAt: new Date(0).toISOString(), encryption: null, files: [], overlapping: [], sources: {} };
}

/** Reads the manifest; an absent file is an empty lake. */
export async function readManifest(root: string): Promise<Manifest> {
  const path = join(root, MANIFEST_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw new AuditlakeError('E_IO', `lake: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new AuditlakeError('E_INTEGRITY', `lake: ${path} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (m.format !== 'auditlake-lake' || m.version !== 1 || !Array.isArray(m.files)) {
    throw new AuditlakeError('E_INTEGRITY', `lake: ${path} is not an auditlake lake manifest (format ${String(m.format)}, version ${String(m.version)})`);
  }
  m.overlapping ??= [];
  m.sources ??= {};
  return m;
}

/** Writes `m` durably: temp file → fsync → rename → fsync of the directory. */
export async function writeManifest(root: string, m: Manifest): Promise<void> {
  const path = join(root, MANIFEST_NAME);
  try {
    await writeFileAtomicAsync(path, JSON.stringify(m));
  } catch (err) {
    throw new AuditlakeError('E_IO', `lake: cannot replace ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export { fsyncDir };

/** The version of `ref`'s key recorded in `m`, or undefined. */
export function ingestedVersion(m: Manifest, ref: Pick<SourceObjectRef, 'store' | 'key'>): { etag: string; size: number } | undefined {
  return m.sources[ref.store]?.[ref.key];
}

export function isIngestedIn(m: Manifest, ref: SourceObjectRef): boolean {
  return ingestedVersion(m, ref)?.etag === ref.etag;
}

/** Partition path of a manifest file (its directory). */
export function partitionOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
