import { join } from 'node:path';
import type { LakeContext } from '../context.js';
import { partitionOf, type ManifestFile } from '../manifest.js';
import { deriveKey } from '../parquet-key.js';
import { lit } from '../schema.js';
import { keyName } from '../views.js';

/** A Parquet file to look at: its absolute path and the salt of its key ('' = plaintext). */
export interface IdFile {
  path: string;
  salt: string;
}

export const manifestIdFiles = (root: string, files: ManifestFile[]): IdFile[] => files.map((f) => ({ path: join(root, f.path), salt: f.key ?? '' }));

/** `SELECT event_id` over `files`, one read_parquet per key (read_parquet takes one key). */
function idScan(files: IdFile[]): string {
  const bySalt = new Map<string, string[]>();
  for (const f of files) {
    let l = bySalt.get(f.salt);
    if (!l) bySalt.set(f.salt, (l = []));
    l.push(f.path);
  }
  return [...bySalt]
    .map(([salt, paths]) => `SELECT event_id FROM read_parquet([${paths.map(lit).join(', ')}], hive_partitioning=false${salt ? `, encryption_config={footer_key: ${lit(keyName(salt))}}` : ''})`)
    .join(' UNION ALL ');
}

/**
 * Which partitions hold an event_id more than once across `files` (grouped by partition). Reads only the
 * event_id column (Parquet is columnar), so checking a partition costs a fraction of reading it. This is what
 * makes de-duplication independent of where an object came from: the same records ingested again under a second
 * prefix, a re-delivered Firehose object, a replicated bucket — the ids repeat, the partition is marked, and the
 * views and compaction keep one row per id.
 */
export async function partitionsWithDuplicates(ctx: LakeContext, byPartition: Map<string, IdFile[]>): Promise<Set<string>> {
  const out = new Set<string>();
  if (ctx.masterKey) {
    const salts = new Set([...byPartition.values()].flat().map((f) => f.salt).filter((s) => s !== ''));
    for (const salt of salts) await ctx.addKey(deriveKey(ctx.masterKey, salt));
  }
  for (const [partition, files] of byPartition) {
    if (files.length === 0) continue;
    const [r] = await ctx.write(`SELECT count(*) - count(DISTINCT event_id) AS d FROM (${idScan(files)})`);
    if (Number(r.d) > 0) out.add(partition);
  }
  return out;
}

/** Groups manifest files by partition, skipping the partitions in `skip`. */
export function groupByPartition(root: string, files: ManifestFile[], skip: Set<string>): Map<string, IdFile[]> {
  const by = new Map<string, IdFile[]>();
  for (const f of files) {
    const p = partitionOf(f.path);
    if (skip.has(p)) continue;
    let l = by.get(p);
    if (!l) by.set(p, (l = []));
    l.push(...manifestIdFiles(root, [f]));
  }
  return by;
}
