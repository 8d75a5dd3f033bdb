import { rm } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { AuditlakeError } from '../../core/errors.js';
import { openDuck } from './duck.js';
import type { WriteKey } from './parquet-key.js';
import { lit } from './schema.js';

/** What the lake's parts share: paths, the lake key, and the writer DuckDB (created on first use). */
export interface LakeContext {
  readonly root: string;
  readonly tmpDir: string;
  /** 32-byte lake key, or null for a plaintext lake. Never logged. */
  readonly masterKey: Buffer | null;
  readonly tuning: LakeTuning;
  /** Runs one statement on the writer DuckDB; statements run one at a time, in call order. */
  write(sql: string): Promise<Record<string, unknown>[]>;
  /** Makes `key` usable in ENCRYPTION_CONFIG on the writer connection. */
  addKey(key: WriteKey): Promise<void>;
  close(): Promise<void>;
}

export interface LakeTuning {
  /**
   * A batch's temp CSV is converted to Parquet once it holds this many bytes. DuckDB streams the CSV, so this
   * bounds temp disk (two spills at most), not memory; each spill makes one file per partition, so it also
   * decides how many small files compaction has to merge later.
   */
  spillBytes: number;
  /** … or this many distinct partitions (each open partition costs DuckDB a write buffer). */
  spillPartitions: number;
  /** Files smaller than this are "small" and get merged by compaction. */
  smallFileBytes: number;
  threads: number;
  memoryLimit: string;
  /** The query DuckDB (views, reports): its own threads and memory; it spills to disk beyond that. */
  queryThreads: number;
  queryMemoryLimit: string;
  /** Row-group size cap for batch files (each open partition buffers one row group). */
  rowGroupBytes: number;
}

/**
 * Defaults for a 2-core machine and a 300 MB RSS budget (Node + DuckDB ≈ 95 MB at rest). DuckDB's
 * partitioned COPY keeps ≈ 22 columns × 256 KiB per open partition and cannot spill that to disk, so
 * a spill holds at most 12 partitions; one writer thread keeps the other core for the JS parser. 128 MB spills
 * (≈ 58 MB of log; the CSV is ≈ 2.2× the log): at 16 MB a 205 MB ingest wrote 28 files into one partition,
 * which the closing compaction then rewrote (≈ 4 s of an 11 s run); at 128 MB it writes 4 and none is needed.
 */
export const DEFAULT_TUNING: LakeTuning = {
  spillBytes: 128 << 20,
  spillPartitions: 12,
  smallFileBytes: 64 << 20,
  threads: 1,
  memoryLimit: '128MB',
  queryThreads: 2,
  queryMemoryLimit: '512MB',
  rowGroupBytes: 4 << 20,
};

export function createLakeContext(root: string, tmpDir: string, masterKey: Buffer | null, tuning: LakeTuning): LakeContext {
  let duck: Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const keys = new Set<string>();
  const conn = async () => {
    duck ??= openDuck({ threads: tuning.threads, memoryLimit: tuning.memoryLimit, tempDirectory: `${tmpDir}/duckdb-${process.pid}`, encryptWrites: masterKey !== null });
    return (await duck).conn;
  };
  const write = (sql: string): Promise<Record<string, unknown>[]> => {
    const run = queue.then(async () => {
      const c = await conn();
      try {
        const reader = await c.runAndReadAll(sql);
        return reader.getRowObjectsJS() as Record<string, unknown>[];
      } catch (err) {
        throw new AuditlakeError('E_IO', `lake: DuckDB failed: ${(err as Error).message.split('\n')[0]}`, { cause: err });
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    root, tmpDir, masterKey, tuning, write,
    async addKey(key) {
      if (keys.has(key.name)) return;
      try {
        await write(`PRAGMA add_parquet_key(${lit(key.name)}, ${lit(key.base64)})`);
      } catch {
        // Never pass DuckDB's message on: it could quote the statement, and with it the key.
        throw new AuditlakeError('E_KEY', `lake: DuckDB refused Parquet key ${key.name}`);
      }
      keys.add(key.name);
    },
    async close() {
      if (!duck) return;
      await queue;
      const d = await duck;
      d.conn.closeSync();
      d.instance.closeSync();
      duck = null;
      await rm(`${tmpDir}/duckdb-${process.pid}`, { recursive: true, force: true });
    },
  };
}
