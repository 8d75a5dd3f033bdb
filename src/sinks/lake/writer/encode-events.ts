import type { AuditEvent } from '../../../core/event.js';
import { encodeEvent, encodeSource, partitionKey, sameSource, sourceKey } from './csv-spill.js';
import type { EncodedEvents } from '../../../core/lake.js';

/**
 * Encodes events into the lake's spill CSV where they are decoded (a decode worker), so the main thread
 * only appends bytes to the spill file: the per-event work (CSV text, UTF-8, partition and source
 * bookkeeping) moves off the thread that feeds DuckDB, and what crosses threads is one transferred buffer
 * per chunk instead of a structured clone of every event.
 */
export interface EventEncoder {
  add(e: AuditEvent): void;
  /** Encoded bytes not taken yet. */
  readonly bytes: number;
  readonly rows: number;
  /** Everything added since the last take(), as one chunk with its own (transferable) buffer. */
  take(): EncodedEvents;
}

/**
 * `sidBase` must be unique per source object within an ingest run (the spill writer keeps one source
 * record per sid); sids of this encoder are `sidBase + n` with n < 2^20.
 */
export function createEventEncoder(sidBase: number, initialBytes = 1 << 20): EventEncoder {
  let buf = Buffer.allocUnsafeSlow(initialBytes);
  let off = 0, rows = 0, longest = 0;
  const sids = new Map<string, number>();
  let parts = new Set<string>();
  let sources: [number, string][] = [];
  /** sids already handed out in an earlier chunk still need their record in every chunk that uses them. */
  const sourceOf = new Map<number, string>();
  let usedSids = new Set<number>();
  let last: AuditEvent | null = null;
  let lastSid = -1;
  let lastPart = '';
  let lastPartEvent: AuditEvent | null = null;

  const sidOf = (e: AuditEvent): number => {
    if (last && sameSource(e, last)) return lastSid;
    const k = sourceKey(e);
    let id = sids.get(k);
    if (id === undefined) {
      id = sidBase + sids.size;
      sids.set(k, id);
      sourceOf.set(id, encodeSource(e, id));
    }
    last = e;
    lastSid = id;
    return id;
  };

  return {
    get bytes() { return off; },
    get rows() { return rows; },
    add(e) {
      const sid = sidOf(e);
      if (!usedSids.has(sid)) {
        usedSids.add(sid);
        sources.push([sid, sourceOf.get(sid) as string]);
      }
      const line = encodeEvent(e, sid);
      // Worst case 3 UTF-8 bytes per UTF-16 unit.
      if (off + line.length * 3 > buf.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, off + line.length * 3));
        buf.copy(grown, 0, 0, off);
        buf = grown;
      }
      const n = buf.write(line, off);
      off += n;
      if (n > longest) longest = n;
      rows++;
      // Partition bookkeeping, cheap for runs of events in one partition (the common case).
      if (!(lastPartEvent && e.logType === lastPartEvent.logType && e.account === lastPartEvent.account &&
        e.region === lastPartEvent.region && Math.floor(e.time / 86_400_000) === Math.floor(lastPartEvent.time / 86_400_000))) {
        lastPart = partitionKey(e);
        lastPartEvent = e;
        parts.add(lastPart);
      }
    },
    take() {
      // A copy of exactly the used bytes, in its own ArrayBuffer, so the caller may transfer it.
      const csv = new Uint8Array(new ArrayBuffer(off));
      csv.set(buf.subarray(0, off));
      const chunk: EncodedEvents = { csv, rows, partitions: [...parts], sources, longestLine: longest };
      off = 0; rows = 0; longest = 0;
      parts = new Set();
      sources = [];
      usedSids = new Set();
      lastPartEvent = null;
      return chunk;
    },
  };
}
