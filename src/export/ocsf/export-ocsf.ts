import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lit } from '../../sinks/lake/schema.js';
import type { ObjectStore } from '../../core/object-store.js';
import { classByUid, mapToOcsf, type MapContext, type OcsfClassInfo, type OcsfEvent } from '../../transforms/ocsf/index.js';
import type { ManifestFile } from '../../sinks/lake/manifest.js';
import { createBucketWriter, type BucketWriter, type WrittenObject } from './bucket-writer.js';
import { fingerprintOf, idsFileName, readExportState, removeQuietly, writeExportState, type ExportState } from './export-state.js';
import { openLakeReader, type LakePartitionFiles, type LakeReader } from './lake-reader.js';
import { classRoot, partitionPath, type ExportFormat } from './object-key.js';
import { rowToExport } from './row-to-export.js';
import { exportSql, neighbours, todoSql } from './select-sql.js';

export interface ExportOcsfOptions {
  lakeRoot: string;
  masterKey: Buffer | null;
  /** Where objects go (`ext/<source>/region=…/…`). */
  store: ObjectStore;
  /** This destination's state directory (what was exported already). */
  stateDir: string;
  tmpDir: string;
  format: ExportFormat;
  /** Only events at or after this time (ms). */
  sinceMs?: number | null;
  /** New objects past this many events (default 250,000). */
  maxEventsPerObject?: number;
  productVersion: string;
  /** Called with every event before it is written (tests validate each against the OCSF schema here). */
  onEvent?: (ev: OcsfEvent) => void;
  onObject?: (o: WrittenObject) => void;
  /**
   * Where one class goes (a Security Lake custom source's own location); default `store` under `ext/<source>/`.
   * The partition path `region=…/accountId=…/eventDay=…/` is appended to the prefix.
   */
  locate?: (cls: OcsfClassInfo) => ClassDestination;
  /** Before a partition is read, with every lake file its export reads (a remote lake downloads them here). */
  beforePartition?: (p: LakePartitionFiles, files: ManifestFile[]) => Promise<void>;
  /** After a partition's objects are published and its state saved (a remote state is synced here). */
  afterPartition?: (p: LakePartitionFiles) => Promise<void>;
  /** Checked between partitions: true stops the run cleanly (what is left is exported next run). */
  shouldStop?: () => boolean;
  memoryLimit?: string;
  threads?: number;
}

export interface ClassDestination {
  store: ObjectStore;
  /** Key prefix of the class (ends with `/`, or is empty). */
  prefix: string;
}

export interface ExportSummary {
  events: number;
  objects: number;
  bytes: number;
  byClass: Record<string, number>;
  partitionsExported: number;
  partitionsUnchanged: number;
  /** Largest Parquet column chunk written (bytes, uncompressed): data pages are at most this big. */
  maxColumnChunk: number;
  /** Partitions left for the next run because shouldStop said so. */
  partitionsLeft: number;
  seconds: number;
}

/**
 * Streams the lake into OCSF objects, partition by partition: only partitions whose files changed since the last
 * export to this destination are read, and in them only events whose ids were not exported yet. A partition's
 * state is saved after its objects are published, so a re-run after a crash finds the same events, names the
 * objects the same (content-derived keys) and does not duplicate them.
 */
export async function exportOcsf(o: ExportOcsfOptions): Promise<ExportSummary> {
  const t0 = performance.now();
  await mkdir(o.tmpDir, { recursive: true });
  const work = await mkdtemp(join(o.tmpDir, 'ocsf-export-'));
  const reader = await openLakeReader({ root: o.lakeRoot, masterKey: o.masterKey, tmpDir: work, threads: o.threads, memoryLimit: o.memoryLimit });
  const state = await readExportState(o.stateDir, o.store.url);
  const sum: ExportSummary = { events: 0, objects: 0, bytes: 0, byClass: {}, partitionsExported: 0, partitionsUnchanged: 0, maxColumnChunk: 0, partitionsLeft: 0, seconds: 0 };
  try {
    const all = reader.partitions();
    const sinceMs = o.sinceMs ?? null;
    const sinceDay = sinceMs !== null ? new Date(sinceMs).toISOString().slice(0, 10) : '';
    for (const p of all) {
      if (sinceDay && p.date < sinceDay) continue;
      const prev = state.partitions[p.path];
      const fp = fingerprintOf(p.files);
      const coveredSince = prev && (prev.sinceMs === null || (sinceMs !== null && prev.sinceMs <= sinceMs));
      if (prev && prev.fingerprint === fp && coveredSince) {
        sum.partitionsUnchanged++;
        continue;
      }
      if (o.shouldStop?.()) {
        sum.partitionsLeft++;
        continue;
      }
      await o.beforePartition?.(p, filesRead(all, p));
      await exportPartition(reader, all, p, fp, state, o, work, sum);
      await o.afterPartition?.(p);
    }
  } finally {
    reader.close();
    await rm(work, { recursive: true, force: true });
  }
  sum.seconds = (performance.now() - t0) / 1000;
  return sum;
}

/** Every lake file the export of `p` reads: its own and those of the partitions its joins look into. */
function filesRead(all: LakePartitionFiles[], p: LakePartitionFiles): ManifestFile[] {
  const joined = p.logType === 'activity' || p.logType === 'user' ? neighbours(all, p, 'connection') : [];
  const acts = p.logType === 'user' ? neighbours(all, p, 'activity') : [];
  return [p, ...joined, ...acts].flatMap((q) => q.files);
}

async function exportPartition(reader: LakeReader, all: LakePartitionFiles[], p: LakePartitionFiles, fp: string, state: ExportState, o: ExportOcsfOptions, work: string, sum: ExportSummary): Promise<void> {
  const prev = state.partitions[p.path];
  const exportedIds = prev?.ids ? join(o.stateDir, prev.ids) : null;
  const sel = { sinceMs: o.sinceMs ?? null, exportedIds };
  const ctx: MapContext = { productVersion: o.productVersion };
  const writers = new Map<number, BucketWriter>();
  const max = o.maxEventsPerObject ?? 250_000;
  let seq = 0;
  let n = 0;
  const publish = async (w: BucketWriter) => {
    const r = await w.finish();
    if (!r) return;
    sum.objects++;
    sum.bytes += r.bytes;
    sum.maxColumnChunk = Math.max(sum.maxColumnChunk, r.maxColumnChunk);
    o.onObject?.(r);
  };
  const result = await reader.conn.stream(exportSql(reader, all, p, sel));
  for await (const rows of result.yieldRowObjectJs()) {
    for (const r of rows) {
      const ev = mapToOcsf(rowToExport(r as Record<string, unknown>), ctx);
      o.onEvent?.(ev);
      const uid = ev.class_uid as number;
      let w = writers.get(uid);
      if (!w) {
        const cls = classByUid(uid)!;
        const dest = o.locate?.(cls) ?? { store: o.store, prefix: classRoot(cls) };
        w = createBucketWriter({ conn: reader.conn, store: dest.store, tmpDir: work, prefix: dest.prefix + partitionPath(p.account, p.region, p.date), format: o.format, tag: `b${seq++}` });
        writers.set(uid, w);
      }
      await w.add(ev);
      n++;
      sum.byClass[String(uid)] = (sum.byClass[String(uid)] ?? 0) + 1;
      if (w.events >= max) {
        writers.delete(uid);
        await publish(w);
      }
    }
  }
  for (const w of writers.values()) await publish(w);
  sum.events += n;
  sum.partitionsExported++;
  // Record what this destination now holds: the old ids plus this run's (the same selection, read again).
  let ids = prev?.ids ?? null;
  if (n > 0) {
    ids = idsFileName(p.path);
    await mkdir(join(o.stateDir, 'ids'), { recursive: true });
    const fresh = `SELECT event_id FROM (${todoSql(reader, p, sel)})`;
    const union = exportedIds ? `SELECT event_id FROM read_parquet(${lit(exportedIds)}) UNION ALL ${fresh}` : fresh;
    await reader.conn.run(`COPY (${union}) TO ${lit(join(o.stateDir, ids))} (FORMAT parquet, COMPRESSION zstd)`);
  }
  const sinceMs = prev && prev.sinceMs === null ? null : o.sinceMs ?? null;
  state.partitions[p.path] = { fingerprint: fp, ids, sinceMs: prev ? (prev.sinceMs === null || sinceMs === null ? null : Math.min(prev.sinceMs, sinceMs)) : sinceMs, events: (prev?.events ?? 0) + n };
  await writeExportState(o.stateDir, state);
  if (exportedIds && ids !== prev?.ids) await removeQuietly(exportedIds);
}
