import type { Readable } from 'node:stream';
import { AuditlakeError, errorMessage } from '../core/errors.js';
import type { HomeLayout } from '../core/home.js';
import { isUnknownKey, parseObjectKey } from '../formats/object-key/index.js';
import type { ObjectKeyInfo } from '../formats/types.js';
import type { Lake, LakeBatch, SourceObjectRef } from '../sinks/lake/types.js';
import { createQuarantine } from '../sinks/quarantine/quarantine.js';
import type { Quarantine } from '../sinks/quarantine/types.js';
import type { ObjectStore } from '../stores/types.js';
import { decodeInProcess, type DecodeCounters, type DecodeRunner } from './decode-in-process.js';
import { createDecodePool, defaultWorkerCount } from './decode-pool.js';
import { isCorruptData, SourceReadError } from './decompress.js';
import { UNKNOWN_KEYS_KEPT, type IngestProgress, type IngestSummary } from './summary.js';
import { tee } from './tee.js';
import type { EvidenceSink } from './types.js';

export interface BatchLimits {
  /** Commit after this many objects. Default 64. */
  maxObjects?: number;
  /** Commit once the batch holds this many uncompressed bytes. Default 256 MB. */
  maxBytes?: number;
  /** Commit once the batch is this old. Default 30 s. */
  maxMs?: number;
}

export interface IngestOptions {
  store: ObjectStore;
  lake: Lake;
  home: HomeLayout;
  /** Keeps the byte-for-byte copy of each object before its batch commits (the vault). */
  evidence?: EvidenceSink;
  onProgress?: (p: IngestProgress) => void;
  /** Only keys under this prefix (relative to the store). */
  prefix?: string;
  batch?: BatchLimits;
  /** Decode worker threads; 0 decodes on the main thread. Default: 1 on machines with ≥ 2 cores. */
  workers?: number;
  /** Minimum interval between onProgress calls. Default 250 ms. */
  progressIntervalMs?: number;
}

interface Pending {
  ref: SourceObjectRef;
  info: ObjectKeyInfo;
}

/**
 * Ingests every new or changed object of a store into the lake.
 *
 * Order of effects for each batch of objects, which is what makes a kill -9 safe:
 * events are added to a lake batch; each object's evidence copy is kept and its quarantine
 * file published; only then does the lake commit the events *and* mark the objects ingested
 * in one atomic step. A crash before the commit loses the batch and a re-run redoes it:
 * evidence.keep is idempotent, quarantine files are replaced (named after the object), and
 * event ids are stable, so nothing is lost or doubled.
 */
export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const { store, lake } = opts;
  const limits = { maxObjects: 64, maxBytes: 256e6, maxMs: 30_000, ...opts.batch };
  const quarantine = createQuarantine(opts.home.quarantine);
  const summary: IngestSummary = {
    store: store.url,
    objects: { listed: 0, ingested: 0, skipped: 0, unknown: 0, ignored: 0, corrupt: 0 },
    unknownKeys: [],
    records: 0,
    events: 0,
    eventsByLogType: {},
    eventsWritten: 0,
    quarantined: 0,
    bytesCompressed: 0,
    bytesUncompressed: 0,
    batches: 0,
    elapsedMs: 0,
    mbPerSec: 0,
  };
  const progress = createProgressEmitter(opts, summary, started);

  // 1. List and classify. Only the objects still to do are kept (a ref each), so memory grows
  //    with the number of new objects, not with their size.
  progress.emit('listing');
  const pending: Pending[] = [];
  for await (const o of store.list(opts.prefix)) {
    summary.objects.listed++;
    const info = parseObjectKey(o.key);
    if (isUnknownKey(info)) {
      if (info.recognised) summary.objects.ignored++;
      else {
        summary.objects.unknown++;
        if (summary.unknownKeys.length < UNKNOWN_KEYS_KEPT) summary.unknownKeys.push({ key: o.key, reason: info.unknown });
      }
      continue;
    }
    const ref: SourceObjectRef = { store: store.url, key: o.key, etag: o.etag, size: o.size };
    if (lake.isIngested(ref)) summary.objects.skipped++;
    else pending.push({ ref, info });
  }
  progress.total = pending.length;

  // 2. Decode and commit in batches.
  const workers = opts.workers ?? defaultWorkerCount();
  const pool = workers > 0 && pending.length > 0 ? createDecodePool(workers) : undefined;
  const run: DecodeRunner = pool ? pool.decode : decodeInProcess;
  let batch: LakeBatch | undefined;
  let refs: SourceObjectRef[] = [];
  let batchBytes = 0;
  let batchStart = 0;
  const commit = async () => {
    if (!batch) return;
    const stats = await batch.commit(refs);
    summary.eventsWritten += stats.events;
    summary.objects.ingested += refs.length;
    summary.batches++;
    batch = undefined;
    refs = [];
    batchBytes = 0;
  };
  try {
    for (const p of pending) {
      if (!batch) {
        batch = lake.beginBatch();
        batchStart = Date.now();
      }
      batchBytes += await ingestObject(p, batch, run, { store, quarantine, evidence: opts.evidence, summary, progress });
      refs.push(p.ref);
      progress.done++;
      progress.emit('ingesting');
      if (refs.length >= limits.maxObjects || batchBytes >= limits.maxBytes || Date.now() - batchStart >= limits.maxMs) await commit();
    }
    await commit();
  } catch (err) {
    if (batch) await batch.abort().catch(() => undefined);
    throw err;
  } finally {
    await pool?.close();
  }
  summary.elapsedMs = Date.now() - started;
  summary.mbPerSec = summary.bytesUncompressed / 1e6 / Math.max(summary.elapsedMs / 1000, 1e-3);
  progress.emit('done', true);
  return summary;
}

interface ObjectContext {
  store: ObjectStore;
  quarantine: Quarantine;
  evidence?: EvidenceSink;
  summary: IngestSummary;
  progress: ProgressEmitter;
}

/** Reads one object into the batch; returns its uncompressed size. */
async function ingestObject(p: Pending, batch: LakeBatch, run: DecodeRunner, ctx: ObjectContext): Promise<number> {
  const { summary, progress } = ctx;
  const { ref, info } = p;
  progress.currentKey = ref.key;
  const q = ctx.quarantine.open(ref);
  const counters: DecodeCounters = { bytesIn: 0, bytesOut: 0 };
  let source: Readable;
  try {
    source = await ctx.store.get(ref.key);
  } catch (err) {
    await q.abort();
    throw err;
  }
  let decodeSource = source;
  let kept: Promise<void> = Promise.resolve();
  if (ctx.evidence) {
    const [forDecode, forEvidence] = tee(source);
    decodeSource = forDecode;
    kept = ctx.evidence.keep(ref, info, forEvidence);
    kept.catch(() => undefined); // awaited below; this only stops an early unhandled rejection
  }
  let lastLine = 0;
  try {
    try {
      for await (const results of run(decodeSource, info, counters)) {
        for (const r of results) {
          summary.records++;
          if (r.kind === 'event') {
            const added = batch.add(r.event);
            if (added) await added;
            summary.events++;
            summary.eventsByLogType[r.event.logType] = (summary.eventsByLogType[r.event.logType] ?? 0) + 1;
            lastLine = r.event.sourceLine;
          } else {
            q.add(r.line, r.reason, r.raw);
            summary.quarantined++;
            lastLine = r.line;
          }
        }
        progress.bytesNow = counters.bytesOut;
        progress.emit('ingesting');
      }
    } catch (err) {
      if (err instanceof SourceReadError || !(isCorruptData(err) || isParseError(err))) throw err;
      // The object itself is broken (truncated gzip, not the format): keep what decoded, quarantine the rest.
      q.add(lastLine + 1, `${info.format} object ${ref.key}: unreadable after line ${lastLine}: ${errorMessage(err)}`, '');
      summary.quarantined++;
      summary.records++;
      summary.objects.corrupt++;
      decodeSource.destroy();
    }
    await kept;
    await q.finish();
  } catch (err) {
    decodeSource.destroy();
    source.destroy();
    await kept.catch(() => undefined);
    await q.abort();
    if (err instanceof SourceReadError) {
      throw new AuditlakeError('E_IO', `ingest: reading ${store(ref)} failed: ${errorMessage(err.cause)}`, { cause: err.cause });
    }
    throw err;
  } finally {
    summary.bytesCompressed += counters.bytesIn;
    summary.bytesUncompressed += counters.bytesOut;
    progress.bytesNow = 0;
  }
  return counters.bytesOut;
}

function store(ref: SourceObjectRef): string {
  return `${ref.store.replace(/\/$/, '')}/${ref.key}`;
}

function isParseError(err: unknown): boolean {
  return err instanceof AuditlakeError && err.code === 'E_PARSE';
}

interface ProgressEmitter {
  total: number;
  done: number;
  /** Uncompressed bytes of the object being read (not yet in the summary). */
  bytesNow: number;
  currentKey?: string;
  emit(phase: IngestProgress['phase'], force?: boolean): void;
}

function createProgressEmitter(opts: IngestOptions, s: IngestSummary, started: number): ProgressEmitter {
  const interval = opts.progressIntervalMs ?? 250;
  let last = 0;
  const e: ProgressEmitter = {
    total: 0,
    done: 0,
    bytesNow: 0,
    emit(phase, force = false) {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (!force && phase === 'ingesting' && now - last < interval) return;
      last = now;
      opts.onProgress({
        phase,
        objectsTotal: e.total,
        objectsDone: e.done,
        records: s.records,
        quarantined: s.quarantined,
        bytes: s.bytesUncompressed + e.bytesNow,
        elapsedMs: now - started,
        ...(e.currentKey && phase === 'ingesting' ? { currentKey: e.currentKey } : {}),
      });
    },
  };
  return e;
}
