import type { Readable } from 'node:stream';
import { AuditlakeError, errorMessage } from '../core/errors.js';
import type { DecodeResult, ObjectKeyInfo } from '../core/decode.js';
import type { LakeBatch, SourceObjectRef } from '../core/lake.js';
import type { Quarantine, QuarantineWriter } from '../sinks/quarantine/types.js';
import type { ObjectStore } from '../core/object-store.js';
import type { DecodeCounters, DecodeRunner } from '../transforms/decode/decode-in-process.js';
import type { EncodedResults } from '../transforms/decode/decode-protocol.js';
import { SourceReadError, type ExpansionLimits } from '../transforms/decode/decompress.js';
import type { IngestSummary } from './summary.js';
import { tee } from './tee.js';
import type { EvidenceSink } from '../core/evidence-sink.js';

/** One source object to ingest. */
export interface PendingObject {
  ref: SourceObjectRef;
  info: ObjectKeyInfo;
}

export interface ObjectDeps {
  store: ObjectStore;
  quarantine: Quarantine;
  run: DecodeRunner;
  evidence?: EvidenceSink;
  /**
   * Set when the runner should encode events for the lake (a decode worker and a lake with
   * acceptsEncoded): the next free sid base, advanced by SIDS_PER_OBJECT per object.
   */
  encode?: { nextSidBase: number };
  limits?: ExpansionLimits;
}

/**
 * The store could not deliver the object this time (network, permissions, vanished): the object is not
 * committed, the run goes on with the others, and the next run retries it.
 */
export class ObjectReadFailed extends AuditlakeError {
  /** `partial`: some of the object's events were already added to the lake batch. */
  constructor(message: string, cause: unknown, readonly partial = false) {
    super('E_IO', message, { cause });
  }
}

/** An error of the lake or the quarantine (the run's own storage), as opposed to one of the object: ends the run. */
class SinkError extends Error {
  constructor(readonly inner: unknown) {
    super(errorMessage(inner));
  }
}

async function toSink<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    // A stack overflow while encoding comes from the event's content (nesting), not from the lake.
    throw err instanceof RangeError ? err : new SinkError(err);
  }
}

/** sids one object's encoder may use (encode-events.ts). */
const SIDS_PER_OBJECT = 1 << 20;

/**
 * An object whose read and decode have started (possibly on a worker, ahead of the object the
 * main thread is busy with), but whose results have not been consumed yet.
 */
export interface StartedObject {
  pending: PendingObject;
  counters: DecodeCounters;
  /** Adds the object's events to `batch`, its malformed records to the quarantine; returns uncompressed bytes. */
  finish(batch: LakeBatch, summary: IngestSummary, onResults: () => void): Promise<number>;
  /** Stops everything (another object failed). */
  cancel(): Promise<void>;
}

/**
 * Starts reading and decoding one object. The first batch of results is requested at once, so
 * with a decode worker the object is decoded while the previous one is still being written.
 */
export async function startObject(p: PendingObject, deps: ObjectDeps): Promise<StartedObject> {
  const { ref, info } = p;
  const q: QuarantineWriter = deps.quarantine.open(ref);
  const counters: DecodeCounters = { bytesIn: 0, bytesOut: 0 };
  let source: Readable;
  try {
    source = await deps.store.get(ref.key);
  } catch (err) {
    await q.abort();
    throw new ObjectReadFailed(`ingest: opening ${ref.key} failed: ${errorMessage(err)}`, err);
  }
  let decodeSource = source;
  let kept: Promise<void> = Promise.resolve();
  if (deps.evidence) {
    const [forDecode, forEvidence] = tee(source);
    decodeSource = forDecode;
    kept = deps.evidence.keep(ref, info, forEvidence);
    kept.catch(() => undefined); // awaited in finish(); this only stops an early unhandled rejection
  }
  let encode: { sidBase: number } | undefined;
  if (deps.encode) {
    encode = { sidBase: deps.encode.nextSidBase };
    deps.encode.nextSidBase += SIDS_PER_OBJECT;
  }
  const it = deps.run(decodeSource, info, counters, encode, deps.limits)[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<DecodeResult[] | EncodedResults>> | undefined = it.next();
  first.catch(() => undefined); // the same promise is awaited in finish()
  const next = () => {
    const f = first;
    first = undefined;
    return f ?? it.next();
  };

  const teardown = async () => {
    decodeSource.destroy();
    source.destroy();
    await it.return?.(undefined)?.catch(() => undefined);
    await kept.catch(() => undefined);
    await q.abort();
  };

  return {
    pending: p,
    counters,
    cancel: teardown,
    async finish(batch, summary, onResults) {
      let lastLine = 0;
      try {
        try {
          for (;;) {
            const r = await next();
            if (r.done) break;
            if (!Array.isArray(r.value)) {
              const e = r.value;
              if (e.enc.rows > 0) {
                const add = batch.addEncoded?.bind(batch);
                if (!add) throw new SinkError(new AuditlakeError('E_INTERNAL', 'ingest: the lake batch does not take encoded events'));
                await toSink(() => add(e.enc));
              }
              summary.records += e.records;
              summary.events += e.enc.rows;
              for (const [t, n] of Object.entries(e.byLogType)) summary.eventsByLogType[t] = (summary.eventsByLogType[t] ?? 0) + n;
              for (const m of e.malformed) {
                q.add(m.line, m.reason, m.raw);
                summary.quarantined++;
              }
              if (e.records > 0) lastLine = e.lastLine;
              onResults();
              continue;
            }
            for (const d of r.value) {
              summary.records++;
              if (d.kind === 'event') {
                // Per event: no closure and no await unless the batch is asynchronous for this event (a spill
                // boundary) — the allocation and microtask of toSink() per event showed up as GC time.
                let added: void | Promise<void>;
                try {
                  added = batch.add(d.event);
                } catch (err) {
                  throw err instanceof RangeError ? err : new SinkError(err);
                }
                if (added) await toSink(() => added);
                summary.events++;
                summary.eventsByLogType[d.event.logType] = (summary.eventsByLogType[d.event.logType] ?? 0) + 1;
                lastLine = d.event.sourceLine;
              } else {
                q.add(d.line, d.reason, d.raw);
                summary.quarantined++;
                lastLine = d.line;
              }
            }
            onResults();
          }
        } catch (err) {
          if (err instanceof SourceReadError || err instanceof SinkError) throw err;
          // Anything else is about this object (truncated gzip, not gzip, not the format, past the
          // expansion limit, a record no step can handle): keep what decoded, quarantine the rest with
          // the reason, count the object as refused and go on with the next one.
          q.add(lastLine + 1, `${info.format} object ${ref.key}: ${lastLine === 0 ? 'refused' : `unreadable after line ${lastLine}`}: ${errorMessage(err)}`, '');
          summary.quarantined++;
          summary.records++;
          summary.objects.corrupt++;
          decodeSource.destroy();
        }
        await kept;
        await toSink(() => q.finish());
      } catch (err) {
        await teardown();
        if (err instanceof SinkError) throw err.inner;
        if (err instanceof SourceReadError) {
          throw new ObjectReadFailed(`ingest: reading ${ref.store.replace(/\/$/, '')}/${ref.key} failed: ${errorMessage(err.cause)}`, err.cause, true);
        }
        throw err;
      } finally {
        summary.bytesCompressed += counters.bytesIn;
        summary.bytesUncompressed += counters.bytesOut;
      }
      return counters.bytesOut;
    },
  };
}

/**
 * An object refused by its key alone (objectKey said `invalid`): never read, one quarantine entry with
 * the reason, and committed as done like any other object so a re-run does not refuse it again.
 */
export function refuseObject(p: PendingObject, reason: string, quarantine: Quarantine): StartedObject {
  const q = quarantine.open(p.ref);
  return {
    pending: p,
    counters: { bytesIn: 0, bytesOut: 0 },
    cancel: () => q.abort(),
    async finish(_batch, summary) {
      q.add(0, reason, '');
      summary.quarantined++;
      summary.objects.refused++;
      await q.finish();
      return 0;
    },
  };
}
