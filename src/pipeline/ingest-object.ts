import type { Readable } from 'node:stream';
import { AuditlakeError, errorMessage } from '../core/errors.js';
import type { DecodeResult, ObjectKeyInfo } from '../core/decode.js';
import type { LakeBatch, SourceObjectRef } from '../core/lake.js';
import type { Quarantine, QuarantineWriter } from '../sinks/quarantine/types.js';
import type { ObjectStore } from '../core/object-store.js';
import type { DecodeCounters, DecodeRunner } from '../transforms/decode/decode-in-process.js';
import type { EncodedResults } from '../transforms/decode/decode-protocol.js';
import { isCorruptData, SourceReadError } from '../transforms/decode/decompress.js';
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
    throw err;
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
  const it = deps.run(decodeSource, info, counters, encode)[Symbol.asyncIterator]();
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
                if (!batch.addEncoded) throw new AuditlakeError('E_INTERNAL', 'ingest: the lake batch does not take encoded events');
                const added = batch.addEncoded(e.enc);
                if (added) await added;
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
                const added = batch.add(d.event);
                if (added) await added;
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
          if (err instanceof SourceReadError || !(isCorruptData(err) || isParseError(err))) throw err;
          // The object itself is broken (truncated gzip, not the format at all): keep what decoded,
          // quarantine the rest with the reason, and count the object as corrupt.
          q.add(lastLine + 1, `${info.format} object ${ref.key}: unreadable after line ${lastLine}: ${errorMessage(err)}`, '');
          summary.quarantined++;
          summary.records++;
          summary.objects.corrupt++;
          decodeSource.destroy();
        }
        await kept;
        await q.finish();
      } catch (err) {
        await teardown();
        if (err instanceof SourceReadError) {
          throw new AuditlakeError('E_IO', `ingest: reading ${ref.store.replace(/\/$/, '')}/${ref.key} failed: ${errorMessage(err.cause)}`, { cause: err.cause });
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

function isParseError(err: unknown): boolean {
  return err instanceof AuditlakeError && err.code === 'E_PARSE';
}
