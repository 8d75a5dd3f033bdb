import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { withLakeLock } from './lock.js';
import { partitionOf, readManifest, writeManifest, type Manifest } from '../manifest.js';
import type { LakePartition, LakePartitionId } from '../../../core/lake.js';

/** `log_type=a/account=b/region=c/date=d` → values (DuckDB percent-escapes special characters in the path). */
export function parsePartition(path: string): LakePartitionId | null {
  const v: Record<string, string> = {};
  for (const seg of path.split('/')) {
    const i = seg.indexOf('=');
    if (i < 0) return null;
    v[seg.slice(0, i)] = decodeURIComponent(seg.slice(i + 1));
  }
  if (v.log_type === undefined || v.account === undefined || v.region === undefined || v.date === undefined) return null;
  return { logType: v.log_type, account: v.account, region: v.region, date: v.date };
}

const idKey = (p: LakePartitionId) => `${p.logType}\0${p.account}\0${p.region}\0${p.date}`;

export function listPartitions(m: Manifest): LakePartition[] {
  const out = new Map<string, LakePartition>();
  for (const f of m.files) {
    const id = parsePartition(partitionOf(f.path));
    if (!id) continue;
    const k = idKey(id);
    const p = out.get(k) ?? { ...id, files: 0, bytes: 0 };
    p.files++;
    p.bytes += f.bytes;
    out.set(k, p);
  }
  return [...out.values()].sort((a, b) => (idKey(a) < idKey(b) ? -1 : 1));
}

/** Removes whole partitions: manifest swap first (under the lock), then the files. */
export async function dropPartitions(root: string, ids: LakePartitionId[], onPublished: (m: Manifest) => void): Promise<{ files: number; bytes: number }> {
  const drop = new Set(ids.map(idKey));
  const gone = await withLakeLock(root, async () => {
    const m = await readManifest(root);
    const isDropped = (path: string) => {
      const id = parsePartition(partitionOf(path));
      return id !== null && drop.has(idKey(id));
    };
    const removed = m.files.filter((f) => isDropped(f.path));
    if (removed.length === 0) return removed;
    const next: Manifest = {
      ...m, generation: m.generation + 1, updatedAt: new Date().toISOString(),
      files: m.files.filter((f) => !isDropped(f.path)), overlapping: m.overlapping.filter((p) => !isDropped(`${p}/x`)),
    };
    await writeManifest(root, next);
    onPublished(next);
    return removed;
  });
  for (const f of gone) await unlink(join(root, f.path)).catch(() => undefined);
  return { files: gone.length, bytes: gone.reduce((n, f) => n + f.bytes, 0) };
}
