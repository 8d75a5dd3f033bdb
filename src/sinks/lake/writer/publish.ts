import { open, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import type { PublishRequest, StagedFile } from './batch.js';
import { withLakeLock } from './lock.js';
import { fsyncDir, ingestedVersion, isIngestedIn, readManifest, writeManifest, type Manifest, type ManifestFile } from '../manifest.js';
import { keyCheck } from '../parquet-key.js';
import type { CommitStats } from '../../../core/lake.js';

/** Refuses to mix keys: a lake is plaintext or encrypted under one lake key, decided by its first write. */
export function checkEncryption(m: Manifest, masterKey: Buffer | null, root: string): void {
  if (m.encryption) {
    if (!masterKey) throw new AuditlakeError('E_KEY', `lake: ${root} is encrypted; open it with its Parquet key`);
    if (m.encryption.check !== keyCheck(masterKey)) throw new AuditlakeError('E_KEY', `lake: ${root} is encrypted under a different key (key check mismatch)`);
  } else if (masterKey && m.files.length > 0) {
    throw new AuditlakeError('E_KEY', `lake: ${root} holds plaintext Parquet files; it cannot be opened with a Parquet key (start a new lake or open it without one)`);
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Moves staged files into their partition directories and records them in a new manifest generation.
 * Order (crash safety): fsync data → rename into place → fsync dirs → manifest swap. A crash before
 * the swap leaves only unlisted files, which garbage collection deletes; after it, the commit is whole.
 */
export async function placeFiles(root: string, prefix: string, files: StagedFile[], key: string | null): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const dirs = new Set<string>();
  for (const [i, f] of files.entries()) {
    await fsyncFile(f.tmpPath);
    const path = `${f.partition}/${prefix}-${i}.parquet`;
    const dir = join(root, f.partition);
    await mkdir(dir, { recursive: true });
    await rename(f.tmpPath, join(root, path));
    dirs.add(dir);
    out.push({ path, rows: f.rows, bytes: f.bytes, ...(key ? { key } : {}) });
  }
  for (const d of dirs) await fsyncDir(d);
  return out;
}

/**
 * Finds the partitions where the request's files repeat an event_id (among themselves or with the files the
 * partition already has); called under the lake lock with the current manifest, before the files are placed.
 */
export type DuplicateFinder = (req: PublishRequest, m: Manifest, skip: Set<string>) => Promise<Set<string>>;

export function createPublisher(root: string, masterKey: Buffer | null, onPublished: (m: Manifest) => void, findDuplicates?: DuplicateFinder) {
  return async (req: PublishRequest): Promise<CommitStats> =>
    withLakeLock(root, async () => {
      const m = await readManifest(root);
      checkEncryption(m, masterKey, root);
      const seen = new Set<string>();
      let changed = false;
      for (const ref of req.sources) {
        if (isIngestedIn(m, ref)) {
          throw new AuditlakeError('E_EXISTS', `lake: source ${ref.store} ${ref.key} (etag ${ref.etag}) is already ingested; batch ${req.id} was not committed`);
        }
        if (ingestedVersion(m, ref)) changed = true; // same key, new content: its events may repeat old ones
        const k = `${ref.store}\0${ref.key}`;
        if (seen.has(k)) throw new AuditlakeError('E_USAGE', `lake: source ${ref.store} ${ref.key} is listed twice in batch ${req.id}`);
        seen.add(k);
      }
      const overlapping = new Set(m.overlapping);
      for (const f of req.files) {
        // CloudTrail delivers some events in more than one file (formats.md); the other log types repeat when a
        // source object changed and is read again, when the caller says so — or when the same records arrive
        // under another name (a second prefix, a re-delivery), which only their ids reveal: findDuplicates.
        if (changed || req.mayOverlap || f.partition.startsWith('log_type=api/')) overlapping.add(f.partition);
      }
      if (findDuplicates) for (const p of await findDuplicates(req, m, overlapping)) overlapping.add(p);
      const placed = await placeFiles(root, req.id, req.files, req.key?.salt ?? null);
      const next: Manifest = {
        ...m,
        generation: m.generation + 1,
        updatedAt: new Date().toISOString(),
        encryption: m.encryption ?? (masterKey ? { scheme: 'duckdb-parquet-footer-key/hkdf-sha256', check: keyCheck(masterKey) } : null),
        files: [...m.files, ...placed],
        overlapping: [...overlapping].sort(),
        sources: m.sources, // m was just read from disk and is ours to change
      };
      for (const ref of req.sources) (next.sources[ref.store] ??= {})[ref.key] = { etag: ref.etag, size: ref.size };
      await writeManifest(root, next);
      onPublished(next);
      return { events: placed.reduce((n, f) => n + f.rows, 0), files: placed.length, bytes: placed.reduce((n, f) => n + f.bytes, 0) };
    });
}
