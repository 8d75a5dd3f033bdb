import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hasErrorCode } from '../../../core/errors.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { readAll } from '../../../stores/read-all.js';
import type { ExportState } from '../../../export/ocsf/index.js';

const STATE = 'state.json';

/**
 * The export state (src/export/ocsf/export-state.ts) of one destination, kept in the S3 home and mirrored in a
 * local directory the exporter works on. `sync` publishes it after every partition: new id files first, then
 * state.json with If-Match on the etag it was read at (two exporters cannot both move it: the loser gets
 * E_CONFLICT, and its objects, named by their content, are the same ones the winner wrote), then the id files the
 * state no longer names. A crash between the steps leaves either state, each consistent with the objects published.
 */
export function createRemoteState(store: ObjectStore, dir: string) {
  let etag: string | null = null;
  let published = new Set<string>();
  const idsOf = (s: ExportState | null) => new Set(Object.values(s?.partitions ?? {}).map((p) => p.ids).filter((x): x is string => !!x));
  const readLocal = async (): Promise<ExportState | null> => {
    try {
      return JSON.parse(await readFile(join(dir, STATE), 'utf8')) as ExportState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  };
  return {
    dir,
    async pull(): Promise<void> {
      await mkdir(dir, { recursive: true });
      const info = await store.head(STATE);
      if (!info) return;
      await writeFile(join(dir, STATE), await readAll(await store.get(STATE)));
      etag = info.etag;
      published = idsOf(await readLocal());
    },
    /** Makes the id file of an already exported partition available locally (the anti-join reads it). */
    async fetchIds(ids: string | null | undefined): Promise<void> {
      if (!ids) return;
      const path = join(dir, ids);
      if (await access(path).then(() => true, () => false)) return;
      await mkdir(dirname(path), { recursive: true });
      await pipeline(await store.get(ids), createWriteStream(path));
    },
    async state(): Promise<ExportState | null> {
      return readLocal();
    },
    async sync(): Promise<void> {
      const s = await readLocal();
      if (!s) return;
      const now = idsOf(s);
      for (const ids of now) {
        if (published.has(ids)) continue;
        try {
          await store.put(ids, createReadStream(join(dir, ids)), { contentType: 'application/vnd.apache.parquet' });
        } catch (err) {
          if (!hasErrorCode(err, 'E_EXISTS')) throw err;
        }
      }
      const body = await readFile(join(dir, STATE));
      const info = etag ? await store.replace(STATE, body, { ifMatch: etag, contentType: 'application/json' }) : await store.put(STATE, body, { contentType: 'application/json' });
      etag = info.etag;
      for (const old of published) if (!now.has(old)) await store.delete(old).catch((err: unknown) => { if (!hasErrorCode(err, 'E_NOT_FOUND')) throw err; });
      published = now;
    },
  };
}
