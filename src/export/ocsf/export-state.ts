import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import type { ManifestFile } from '../../sinks/lake/manifest.js';

/** What one destination has received from one lake partition. */
export interface PartitionState {
  /** The partition's files when it was last exported: unchanged files = nothing new to look at. */
  fingerprint: string;
  /** Parquet file (relative to the state dir) of every event id exported from the partition. */
  ids: string | null;
  /** The `--since` of that export (ms; null = everything): an earlier since must look again. */
  sinceMs: number | null;
  events: number;
}

export interface ExportState {
  format: 'auditlake-ocsf-export';
  version: 1;
  destination: string;
  partitions: Record<string, PartitionState>;
}

const STATE_FILE = 'state.json';

export function fingerprintOf(files: ManifestFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) h.update(`${f.path}\u001f${f.rows}\n`);
  return h.digest('hex').slice(0, 32);
}

/** The state directory of one destination under `root` (the home's `exports/`): one per `--out`. */
export function stateDirFor(root: string, destination: string): string {
  const id = createHash('sha256').update(destination).digest('hex').slice(0, 16);
  return join(root, `ocsf-${id}`);
}

export async function readExportState(dir: string, destination: string): Promise<ExportState> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'auditlake-ocsf-export', version: 1, destination, partitions: {} };
    throw new AuditlakeError('E_IO', `export: cannot read ${join(dir, STATE_FILE)}: ${(err as Error).message}`, { cause: err });
  }
  const s = JSON.parse(text) as ExportState;
  if (s.format !== 'auditlake-ocsf-export' || s.version !== 1) throw new AuditlakeError('E_INTEGRITY', `export: ${join(dir, STATE_FILE)} is not an auditlake export state`);
  return s;
}

/** Temp file + rename: a crash leaves the previous state or the next, never half of one. */
export async function writeExportState(dir: string, s: ExportState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${STATE_FILE}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, JSON.stringify(s));
  await rename(tmp, join(dir, STATE_FILE));
}

/** A fresh name for a partition's id file (the old one is removed once the state no longer names it). */
export function idsFileName(partition: string): string {
  return `ids/${createHash('sha256').update(partition).digest('hex').slice(0, 16)}-${Date.now()}-${randomBytes(3).toString('hex')}.parquet`;
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true });
}
