import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { hasErrorCode } from '../../core/errors.js';
import { lit } from '../../sinks/lake/schema.js';
import type { ObjectStore } from '../../core/object-store.js';
import type { OcsfEvent } from '../../transforms/ocsf/index.js';
import { exportObjectKey, type ExportFormat } from './object-key.js';

export interface WrittenObject {
  key: string;
  events: number;
  bytes: number;
  /** Largest uncompressed Parquet column chunk (an upper bound of its data pages); 0 for JSON lines. */
  maxColumnChunk: number;
  /** false when the object was already there (an interrupted run wrote the same events). */
  created: boolean;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Events of one class for one Security Lake partition, in time order: appended to a temp JSON-lines file (memory
 * stays at one 1 MB buffer), then published — as is (jsonl) or through DuckDB as zstd Parquet — under a key
 * derived from its event ids.
 */
export function createBucketWriter(o: { conn: DuckDBConnection; store: ObjectStore; tmpDir: string; prefix: string; format: ExportFormat; tag: string }) {
  const tmpJson = join(o.tmpDir, `${o.tag}.jsonl`);
  const hash = createHash('sha256');
  let fh: FileHandle | null = null;
  let buf: string[] = [];
  let bufBytes = 0;
  let events = 0;
  const flush = async () => {
    if (!buf.length) return;
    fh ??= await open(tmpJson, 'w');
    await fh.write(buf.join(''));
    buf = [];
    bufBytes = 0;
  };
  return {
    get events() {
      return events;
    },
    async add(ev: OcsfEvent): Promise<void> {
      const uid = (ev.metadata as { uid: string }).uid;
      hash.update(uid).update('\n');
      // Parquet: `unmapped` travels as JSON text and becomes MAP(VARCHAR, VARCHAR), one type whatever its keys.
      const line = JSON.stringify(o.format === 'parquet' ? { ...ev, unmapped: JSON.stringify(ev.unmapped ?? {}) } : ev) + '\n';
      buf.push(line);
      bufBytes += line.length;
      events++;
      if (bufBytes >= FLUSH_BYTES) await flush();
    },
    async finish(): Promise<WrittenObject | null> {
      await flush();
      await fh?.close();
      fh = null;
      if (events === 0) return null;
      const key = exportObjectKey(o.prefix, hash.digest('hex').slice(0, 32), o.format);
      let file = tmpJson;
      let maxColumnChunk = 0;
      try {
        if (o.format === 'parquet') {
          file = join(o.tmpDir, `${o.tag}.parquet`);
          // ROW_GROUP_SIZE 2048 (DuckDB's smallest): a data page never exceeds its column chunk, so columns whose
          // 2048 values fit in 1 MB meet Security Lake's ≤ 1 MB page rule; maxColumnChunk reports when they do not.
          await o.conn.run(`COPY (SELECT * REPLACE (CAST(CAST(unmapped AS JSON) AS MAP(VARCHAR, VARCHAR)) AS unmapped)
            FROM read_json(${lit(tmpJson)}, format = 'newline_delimited', sample_size = -1, maximum_object_size = 16777216))
            TO ${lit(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)`);
          const r = await o.conn.runAndReadAll(`SELECT coalesce(max(total_uncompressed_size), 0)::DOUBLE AS m FROM parquet_metadata(${lit(file)})`);
          maxColumnChunk = Number(r.getRowObjectsJS()[0]?.m ?? 0);
        }
        const bytes = (await stat(file)).size;
        let created = true;
        try {
          await o.store.put(key, createReadStream(file), { contentType: o.format === 'parquet' ? 'application/vnd.apache.parquet' : 'application/x-ndjson' });
        } catch (err) {
          // Same key = same events: an earlier, interrupted run already published this object.
          if (!hasErrorCode(err, 'E_EXISTS')) throw err;
          created = false;
        }
        return { key, events, bytes, maxColumnChunk, created };
      } finally {
        await rm(tmpJson, { force: true });
        if (file !== tmpJson) await rm(file, { force: true });
      }
    },
  };
}

export type BucketWriter = ReturnType<typeof createBucketWriter>;
