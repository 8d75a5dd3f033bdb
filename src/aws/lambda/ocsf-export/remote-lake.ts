import { createWriteStream } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hasErrorCode } from '../../../core/errors.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { MANIFEST_NAME, type ManifestFile } from '../../../sinks/lake/manifest.js';
import { LAKE_PREFIX } from '../../lake-incoming.js';

async function download(store: ObjectStore, key: string, path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  try {
    await pipeline(await store.get(key), createWriteStream(path));
    return true;
  } catch (err) {
    if (hasErrorCode(err, 'E_NOT_FOUND')) return false;
    throw err;
  }
}

/**
 * A local stand-in for the S3 home's lake, filled on demand: the manifest at open, a partition's Parquet files just
 * before it is exported (streamed to disk, never whole in memory), removed after it so /tmp holds one partition
 * and its joined neighbours at a time, however large the lake.
 */
export function createRemoteLake(home: ObjectStore, root: string) {
  const fetched = new Set<string>();
  return {
    root,
    /** The manifest of the moment (absent: an empty lake). */
    async pullManifest(): Promise<void> {
      await mkdir(root, { recursive: true });
      await download(home, LAKE_PREFIX + MANIFEST_NAME, join(root, MANIFEST_NAME));
    },
    async fetch(files: ManifestFile[]): Promise<void> {
      for (const f of files) {
        const path = join(root, f.path);
        if (fetched.has(f.path) && (await access(path).then(() => true, () => false))) continue;
        // A file the manifest names but S3 lacks is compacted away by a newer manifest: the next run sees that one.
        if (await download(home, LAKE_PREFIX + f.path, path)) fetched.add(f.path);
      }
    },
    async dropAll(): Promise<void> {
      for (const p of fetched) await rm(join(root, p), { force: true });
      fetched.clear();
    },
  };
}
