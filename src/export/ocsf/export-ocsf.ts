import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lit } from '../../sinks/lake/schema.js';
import type { ObjectStore } from '../../core/object-store.js';
import { classByUid, mapToOcsf, type MapContext, type OcsfEvent } from '../../transforms/ocsf/index.js';
import { createBucketWriter, type BucketWriter, type WrittenObject } from './bucket-writer.js';
import { fingerprintOf, idsFileName, readExportState, removeQuietly, writeExportState, type ExportState } from './export-state.js';
import { openLakeReader, type LakePartitionFiles, type LakeReader } from './lake-reader.js';
import { exportPrefix, type ExportFormat } from './object-key.js';
import { rowToExport } from './row-to-export.js';
import { exportSql, todoSql } from './select-sql.js';

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
  memoryLimit?: string;
  threads?: number;
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
  const sum: ExportSummary = { events: 0, objects: 0, bytes: 0, byClass: {}, partitionsExported: 0, partitionsUnchanged: 0, maxColumnChunk: 0, seconds: 0 };
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
      await exportPartition(reader, all, p, fp, state, o, work, sum);
    }
  } finally {
    reader.close();
    await rm(work, { recursive: true, force: true });
  }
  sum.seconds = (performance.now() - t0) / 1000;
  return sum;
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
        w = createBucketWriter({ conn: reader.conn, store: o.store, tmpDir: work, prefix: exportPrefix(cls, p.account, p.region, p.date), format: o.format, tag: `b${seq++}` });
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
