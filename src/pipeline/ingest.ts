import { removeStaleTempDirs } from '../sinks/lake/stale-temps.js';
import type { HomeLayout } from '../core/home.js';
import type { Lake, LakeBatch, SourceObjectRef } from '../core/lake.js';
import { createQuarantine } from '../sinks/quarantine/quarantine.js';
import { classifyObjects } from '../sources/object-store/classify-objects.js';
import { readHead } from '../sources/object-store/read-head.js';
import { dbLogKeyInfo, detectDbLog, type DbLogLabels } from '../formats/object-key/detect-db-log.js';
import type { ObjectStore } from '../core/object-store.js';
import { decodeInProcess, type DecodeCounters } from '../transforms/decode/decode-in-process.js';
import { createDecodePool, defaultWorkerCount } from './decode-pool.js';
import type { ExpansionLimits } from '../transforms/decode/decompress.js';
import { ObjectReadFailed, refuseObject, startObject, type ObjectDeps, type PendingObject, type StartedObject } from './ingest-object.js';
import { UNKNOWN_KEYS_KEPT, type IngestProgress, type IngestSummary } from './summary.js';
import type { EvidenceSink } from '../core/evidence-sink.js';

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
  /**
   * Decode worker threads; 0 decodes on the main thread. With n ≥ 2, n - 1 objects are decoded
   * ahead of the one being written. Default 0 (see defaultWorkerCount for the measurement).
   */
  workers?: number;
  /** Minimum interval between onProgress calls. Default 250 ms. */
  progressIntervalMs?: number;
  /** Per-object expansion limits (decompress.ts DEFAULT_EXPANSION_LIMITS). */
  limits?: ExpansionLimits;
  /**
   * Objects whose key is no known layout are recognised by content as PostgreSQL (stderr, csvlog, jsonlog) or
   * server_audit logs (downloaded RDS log files) and labelled with these; `false` turns that off.
   */
  dbLogs?: DbLogLabels | false;
  /** Entries the store's listing passed over (symlinks, special files), filled while it lists. */
  notRegular?: { key: string; reason: string }[];
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
  // A commit per 1,000 objects, 256 MB of log or 30 s, whichever comes first: a commit (Parquet COPY + manifest swap +
  // fsyncs) costs ~0.3 s of CPU, which at 64 objects per commit was a third of the time for hourly Redshift objects.
  const limits = { maxObjects: 1000, maxBytes: 256e6, maxMs: 30_000, ...opts.batch };
  const quarantine = createQuarantine(opts.home.quarantine, lake.recordCipher?.('quarantine') ?? null);
  await quarantine.removeStaleTemps();
  // Spills and DuckDB temp files of a run killed with -9 (the home lock is held, so their owners are gone).
  await removeStaleTempDirs(opts.home.tmp);
  const summary: IngestSummary = {
    store: store.url,
    objects: { listed: 0, ingested: 0, skipped: 0, unknown: 0, ignored: 0, corrupt: 0, refused: 0, failed: 0, notRegular: 0 },
    unknownKeys: [],
    failedKeys: [],
    notRegularKeys: [],
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
  const pending: (PendingObject & { refusal?: string })[] = [];
  for await (const c of classifyObjects(store, (ref) => lake.isIngested(ref), opts.prefix)) {
    summary.objects.listed++;
    if (summary.objects.listed % 1000 === 0) progress.emit('listing');
    if (c.kind === 'new') pending.push({ ref: c.ref, info: c.info });
    else if (c.kind === 'refused') pending.push({ ref: c.ref, info: REFUSED_INFO, refusal: c.reason });
    else if (c.kind === 'done') summary.objects.skipped++;
    else if (c.kind === 'ignored') summary.objects.ignored++;
    else {
      const found = opts.dbLogs === false ? null : await recogniseDbLog(store, c.ref, opts.dbLogs ?? {});
      if (found) {
        if (lake.isIngested(found.ref)) summary.objects.skipped++;
        else pending.push(found);
        continue;
      }
      summary.objects.unknown++;
      if (summary.unknownKeys.length < UNKNOWN_KEYS_KEPT) summary.unknownKeys.push({ key: c.key, reason: c.reason });
    }
  }
  progress.total = pending.length;
  for (const n of opts.notRegular ?? []) {
    summary.objects.notRegular++;
    if (summary.notRegularKeys.length < UNKNOWN_KEYS_KEPT) summary.notRegularKeys.push(n);
  }

  // 2. Decode and commit in batches. With decode workers, the next objects are started while the
  //    current one is written (workers - 1 objects ahead), so decoding never waits for the lake.
  const workers = opts.workers ?? defaultWorkerCount();
  const pool = workers > 0 && pending.length > 0 ? createDecodePool(workers) : undefined;
  const deps: ObjectDeps = {
    store,
    quarantine,
    run: pool ? pool.decode : decodeInProcess,
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
    // Workers encode for the lake when it takes encoded events: the main thread then only appends bytes.
    ...(pool && lake.acceptsEncoded ? { encode: { nextSidBase: 0 } } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  };
  const ahead = Math.max(workers - 1, 0);
  const queue: { i: number; s: Promise<StartedObject> }[] = [];
  /** Indexes (in `pending`) of objects the store failed on: passed over for the rest of the run. */
  const failed = new Set<number>();
  let nextToStart = 0;
  /** Keeps the object about to be written plus `ahead` more started. */
  const fill = () => {
    while (nextToStart < pending.length && queue.length < ahead + 1) {
      const i = nextToStart++;
      if (failed.has(i)) continue;
      const p = pending[i];
      const s = p.refusal === undefined ? startObject(p, deps) : Promise.resolve(refuseObject(p, p.refusal, quarantine));
      s.catch(() => undefined); // awaited in order below
      queue.push({ i, s });
    }
  };
  let batch: LakeBatch | undefined;
  let refs: SourceObjectRef[] = [];
  let batchBytes = 0;
  let batchStart = 0;
  /** Where the open batch started (index in `pending`) and the summary as it was then, to redo it. */
  let batchFirst = 0;
  let before: IngestSummary = summary;
  /**
   * Commits run in the background, at most one at a time: while DuckDB turns batch N into Parquet
   * and publishes it, the main thread already decodes batch N+1 (each batch commits atomically on
   * its own, so overlapping them changes nothing about crash safety).
   */
  let committing: Promise<void> | undefined;
  const commit = async () => {
    if (committing) await committing;
    committing = undefined;
    if (!batch) return;
    const b = batch;
    const done = refs;
    batch = undefined;
    refs = [];
    batchBytes = 0;
    // The evidence of this batch is signed (vault checkpoint) before its events are committed, so an object the
    // lake counts as ingested is always covered by a signature, also while its digest period is still open.
    const evidence = opts.evidence;
    committing = (evidence?.commit ? evidence.commit().then(() => b.commit(done)) : b.commit(done)).then((stats) => {
      summary.eventsWritten += stats.events;
      summary.objects.ingested += done.length;
      summary.batches++;
    });
    committing.catch(() => undefined); // awaited by the next commit or at the end
  };
  try {
    for (fill(); queue.length > 0; fill()) {
      const { i, s } = queue.shift() as { i: number; s: Promise<StartedObject> };
      const key = pending[i].ref.key;
      if (!batch) {
        batch = lake.beginBatch();
        batchStart = Date.now();
        batchFirst = i;
        before = structuredClone(summary);
      }
      progress.currentKey = key;
      try {
        const obj = await s;
        progress.counters = obj.counters;
        batchBytes += await obj.finish(batch, summary, () => progress.emit('ingesting'));
        refs.push(obj.pending.ref);
      } catch (err) {
        // The store failed for this one object: the others go on, and the next run retries it
        // (it is not committed). Anything else (lake, quarantine, vault) ends the run.
        if (!(err instanceof ObjectReadFailed)) throw err;
        failed.add(i);
        if (err.partial) {
          // Some of its events are in the open batch already, which cannot take them back: drop the batch
          // and redo its other objects (evidence and quarantine writes are idempotent), counting them once.
          for (const q of queue.splice(0)) await q.s.then((o) => o.cancel(), () => undefined);
          await batch.abort();
          batch = undefined;
          refs = [];
          batchBytes = 0;
          // Commits of earlier batches and failures finish on their own time: they stay as they are now.
          const { eventsWritten, batches, failedKeys } = summary;
          const { ingested, failed: failedCount } = summary.objects;
          Object.assign(summary, structuredClone(before), { eventsWritten, batches, failedKeys });
          Object.assign(summary.objects, { ingested, failed: failedCount });
          progress.done = batchFirst;
          nextToStart = batchFirst;
        }
        summary.objects.failed++;
        if (summary.failedKeys.length < UNKNOWN_KEYS_KEPT) summary.failedKeys.push({ key, reason: err.message });
        if (err.partial) continue;
      }
      progress.counters = undefined;
      progress.done++;
      progress.emit('ingesting');
      if (refs.length >= limits.maxObjects || batchBytes >= limits.maxBytes || Date.now() - batchStart >= limits.maxMs) await commit();
    }
    await commit();
    await committing;
  } catch (err) {
    for (const q of queue.splice(0)) await q.s.then((o) => o.cancel(), () => undefined);
    if (batch) await batch.abort().catch(() => undefined);
    await committing?.catch(() => undefined);
    throw err;
  } finally {
    await pool?.close();
  }
  summary.elapsedMs = Date.now() - started;
  summary.mbPerSec = summary.bytesUncompressed / 1e6 / Math.max(summary.elapsedMs / 1000, 1e-3);
  progress.emit('done', true);
  return summary;
}

/** Placeholder key info of an object refused by its key (it is never decoded). */
/** A downloaded database log (any name) recognised by its first lines; null when it is none. */
async function recogniseDbLog(store: ObjectStore, ref: SourceObjectRef, labels: DbLogLabels): Promise<PendingObject | null> {
  // an empty object, or one that cannot be read now, stays "unknown" (a read failure is reported on decode)
  const d = ref.size > 0 ? detectDbLog(await readHead(store, ref.key).catch(() => '')) : null;
  return d ? { ref, info: dbLogKeyInfo(ref.key, d, labels) } : null;
}

const REFUSED_INFO: PendingObject['info'] = { format: 'cloudtrail', account: '', region: '', service: '', cluster: '', keyDate: '', key: '' };

interface ProgressEmitter {
  total: number;
  done: number;
  /** Counters of the object being read (its bytes are not in the summary yet). */
  counters?: DecodeCounters;
  currentKey?: string;
  emit(phase: IngestProgress['phase'], force?: boolean): void;
}

function createProgressEmitter(opts: IngestOptions, s: IngestSummary, started: number): ProgressEmitter {
  const interval = opts.progressIntervalMs ?? 250;
  let last = 0;
  const e: ProgressEmitter = {
    total: 0,
    done: 0,
    emit(phase, force = false) {
      if (!opts.onProgress) return;
      const now = Date.now();
      if (!force && phase !== 'done' && now - last < interval) return;
      last = now;
      opts.onProgress({
        phase,
        listed: s.objects.listed,
        objectsTotal: e.total,
        objectsDone: e.done,
        records: s.records,
        quarantined: s.quarantined,
        bytes: s.bytesUncompressed + (e.counters?.bytesOut ?? 0),
        elapsedMs: now - started,
        ...(e.currentKey && phase === 'ingesting' ? { currentKey: e.currentKey } : {}),
      });
    },
  };
  return e;
}
