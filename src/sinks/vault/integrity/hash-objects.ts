import { createHash } from 'node:crypto';
import { hasErrorCode } from '../../../core/errors.js';
import type { ObjectStore } from '../../../core/object-store.js';

export interface HashStats {
  objects: number;
  bytes: number;
  ms: number;
}

/** Streams one object through SHA-256; null when it vanished meanwhile. */
export async function hashObject(store: ObjectStore, key: string): Promise<{ sha256: string; size: number } | null> {
  let stream;
  try {
    stream = await store.get(key);
  } catch (err) {
    if (hasErrorCode(err, 'E_NOT_FOUND')) return null;
    throw err;
  }
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    size += b.length;
    h.update(b);
  }
  return { sha256: h.digest('hex'), size };
}

/**
 * Hashes many objects with `concurrency` reads in flight: reading is I/O-bound, SHA-256 runs on the main thread
 * at ~1.8 GB/s (SHA-NI), so a few overlapping reads keep it busy.
 */
export async function hashObjects(store: ObjectStore, keys: string[], concurrency = 8): Promise<{ hashes: Map<string, { sha256: string; size: number } | null>; stats: HashStats }> {
  const hashes = new Map<string, { sha256: string; size: number } | null>();
  const t0 = process.hrtime.bigint();
  let next = 0;
  let bytes = 0;
  async function worker(): Promise<void> {
    while (next < keys.length) {
      const key = keys[next++];
      const r = await hashObject(store, key);
      if (r) bytes += r.size;
      hashes.set(key, r);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, keys.length)) }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { hashes, stats: { objects: keys.length, bytes, ms } };
}
