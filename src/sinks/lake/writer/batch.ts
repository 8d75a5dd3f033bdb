import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import type { AuditEvent } from '../../../core/event.js';
import type { LakeContext } from '../context.js';
import { createSpillWriter, spillRelationSql, type SpillWriter } from './csv-spill.js';
import { feedFifo, makeFifo } from './fifo-feed.js';
import { freshKey, type WriteKey } from '../parquet-key.js';
import { ident, lit } from '../schema.js';
import type { CommitStats, EncodedEvents, LakeBatch, SourceObjectRef } from '../../../core/lake.js';

/** A Parquet file a batch (or compaction) wrote to temp space, not yet published. */
export interface StagedFile {
  tmpPath: string;
  /** Partition directory relative to the lake root, exactly as DuckDB escaped it. */
  partition: string;
  rows: number;
  bytes: number;
}

export interface BatchOptions {
  /** The caller knows these events may repeat ones already in the lake (e.g. a live collector replaying a window). */
  mayOverlap?: boolean;
}

/** What commit() hands to the publisher (which runs under the lake lock). */
export interface PublishRequest {
  id: string;
  files: StagedFile[];
  sources: SourceObjectRef[];
  key: WriteKey | null;
  mayOverlap: boolean;
}

export type Publisher = (req: PublishRequest) => Promise<CommitStats>;

/** The file columns in order, computed from the CSV columns (partition columns last, for PARTITION_BY). */
const SELECT_FOR_WRITE = [
  'event_id', 'epoch_ms(time_ms) AS "time"', 'source_format', 'service', 'cluster', 'database', '"user"', 'session', 'remote_host',
  'remote_port', 'action', 'statement', 'success', 'error_code', 'object', 'details', 'raw', 'source_object', 'source_line',
  'log_type', 'account', 'region', 'CAST(epoch_ms(time_ms) AS DATE) AS "date"',
].join(', ');

/** Parses COPY … RETURN_STATS rows into staged files under `outDir`. */
export function stagedFromStats(rows: Record<string, unknown>[], outDir: string): StagedFile[] {
  return rows.map((r) => {
    const tmpPath = String(r.filename);
    const rel = relative(outDir, tmpPath).split(sep).join('/');
    return { tmpPath, partition: rel.slice(0, rel.lastIndexOf('/')), rows: Number(r.count), bytes: Number(r.file_size_bytes) };
  });
}

export function encryptionClause(key: WriteKey | null): string {
  return key ? `, ENCRYPTION_CONFIG {footer_key: ${lit(key.name)}}` : '';
}

/**
 * A batch: events go to a temp CSV; every `spillBytes` (or `spillPartitions` partitions) the CSV is
 * converted to Hive-partitioned Parquet by DuckDB on its own threads while JS fills the next CSV
 * (at most one conversion in flight, so memory and temp disk stay bounded). Nothing is visible
 * until commit() publishes the staged files and the sources in one manifest swap.
 */
export function createLakeBatch(ctx: LakeContext, publish: Publisher, opts: BatchOptions = {}): LakeBatch {
  const id = `b${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = join(ctx.tmpDir, `batch-${process.pid}-${id}`);
  mkdirSync(dir, { recursive: true });
  const key = ctx.masterKey ? freshKey(ctx.masterKey) : null;
  const staged: StagedFile[] = [];
  let spillNo = 0;
  // An encrypted lake gets encrypted spills: the CSV holds every statement of the batch.
  const newWriter = (n: number) => createSpillWriter(join(dir, `s${n}.csv`), undefined, { encrypt: key !== null });
  let writer: SpillWriter = newWriter(spillNo);
  let inflight: Promise<void> | null = null;
  let failure: unknown = null;
  let state: 'open' | 'committing' | 'done' = 'open';

  const convert = async (w: SpillWriter, n: number): Promise<void> => {
    const outDir = join(dir, `out${n}`);
    if (key) await ctx.addKey(key);
    // Encrypted spills reach DuckDB decrypted through two named pipes, never as a plaintext file.
    const from = w.encrypted ? { path: `${w.path}.fifo`, sourcesPath: `${w.sourcesPath}.fifo`, longestLine: w.longestLine } : w;
    if (w.encrypted) for (const p of [from.path, from.sourcesPath]) makeFifo(p);
    const copy = ctx.write(
      `COPY (SELECT ${SELECT_FOR_WRITE} FROM ${spillRelationSql(from)}) TO ${lit(outDir)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ` +
        `PARTITION_BY (${['log_type', 'account', 'region', 'date'].map(ident).join(', ')}), FILENAME_PATTERN 'f_{uuid}', ` +
        `FILE_EXTENSION 'parquet-tmp', ROW_GROUP_SIZE_BYTES ${ctx.tuning.rowGroupBytes}, RETURN_STATS${encryptionClause(key)})`,
    );
    const feeds = w.encrypted ? Promise.all([feedFifo(from.path, () => w.openEvents(), copy), feedFifo(from.sourcesPath, () => w.openSources(), copy)]) : null;
    let rows: Record<string, unknown>[];
    try {
      rows = await copy;
      await feeds;
    } finally {
      // A failed COPY is the error to report; the feeds then only stop.
      await feeds?.catch(() => undefined);
      if (w.encrypted) for (const p of [from.path, from.sourcesPath]) await unlink(p).catch(() => undefined);
    }
    staged.push(...stagedFromStats(rows, outDir));
    await unlink(w.path).catch(() => undefined);
    await unlink(w.sourcesPath).catch(() => undefined);
  };

  /** Closes the current CSV and starts converting it, after the previous conversion finished. */
  const spill = async (): Promise<void> => {
    const w = writer;
    w.close();
    const n = spillNo++;
    if (inflight) await inflight;
    if (failure) throw failure;
    if (w.rows > 0) {
      inflight = convert(w, n).catch((err) => { failure = err; });
    } else {
      await unlink(w.path).catch(() => undefined);
      await unlink(w.sourcesPath).catch(() => undefined);
    }
    writer = newWriter(spillNo);
  };

  const assertOpen = () => {
    if (state !== 'open') throw new AuditlakeError('E_USAGE', `lake: batch ${id} is already ${state === 'done' ? 'committed or aborted' : 'committing'}`);
    if (failure) throw failure;
  };

  return {
    add(event: AuditEvent): void | Promise<void> {
      assertOpen();
      // A partition beyond the limit goes to the next spill (DuckDB keeps a write buffer per open partition).
      if (writer.partitions >= ctx.tuning.spillPartitions && writer.isNewPartition(event)) return spill().then(() => writer.add(event));
      writer.add(event);
      if (writer.bytes >= ctx.tuning.spillBytes) return spill();
    },
    addEncoded(chunk: EncodedEvents): void | Promise<void> {
      assertOpen();
      const fresh = writer.newPartitions(chunk.partitions);
      // Chunk granularity: a chunk that would open too many partitions goes to the next spill whole.
      if (fresh > 0 && writer.rows > 0 && writer.partitions + fresh > ctx.tuning.spillPartitions) {
        return spill().then(() => {
          writer.addEncoded(chunk);
          if (writer.bytes >= ctx.tuning.spillBytes) return spill();
        });
      }
      writer.addEncoded(chunk);
      if (writer.bytes >= ctx.tuning.spillBytes) return spill();
    },
    async commit(sources: SourceObjectRef[]): Promise<CommitStats> {
      assertOpen();
      state = 'committing';
      try {
        await spill();
        writer.close();
        if (inflight) await inflight;
        if (failure) throw failure;
        return await publish({ id, files: staged, sources, key, mayOverlap: !!opts.mayOverlap });
      } finally {
        state = 'done';
        writer.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    async abort(): Promise<void> {
      if (state === 'done') return;
      state = 'done';
      writer.close();
      if (inflight) await inflight.catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
