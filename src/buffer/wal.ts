import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import type { RecordCipher } from '../core/record-cipher.js';
import { decodeRecords, encodeRecord } from './record-codec.js';

export interface WalEntry<T> {
  seq: number;
  data: T;
  /** Encoded size on disk (what size-based batching measures). */
  bytes: number;
  /** When it was appended (ms), for time-based flushing. */
  at: number;
}

/** A delivery that was started: if the process dies, the next open asks the sink whether it committed. */
export interface WalIntent {
  from: number;
  to: number;
}

/**
 * Write-ahead buffer: records are appended to segment files with a per-record length + CRC-32, fsynced before
 * they are delivered, and acknowledged (a sequence number in `ack.json`) once the sink has committed them.
 * On open, a torn or corrupt tail (crash mid-append) is cut off at the last good record; everything after the
 * acknowledged sequence is delivered again. Acknowledged segments are deleted.
 */
export interface Wal<T> {
  readonly dir: string;
  lastSeq(): number;
  ackedSeq(): number;
  append(items: T[]): void;
  sync(): void;
  /** Un-acknowledged entries, oldest first (at most `max` of them). */
  pending(max?: number): Array<WalEntry<T>>;
  pendingCount(): number;
  pendingBytes(): number;
  oldestPendingAt(): number | null;
  intent(): WalIntent | undefined;
  setIntent(i: WalIntent): void;
  ack(seq: number): void;
  /** Why the tail was cut on open (null when the buffer was clean). */
  readonly recovered: string | null;
  close(): void;
}

export interface WalOptions {
  /** Start a new segment after this many bytes (default 16 MiB). */
  segmentBytes?: number;
  /**
   * Seals each record's data (the events: audit statements) so segments hold no plaintext; sequence numbers stay
   * clear. Segments written without a cipher still read (their records carry `d`).
   */
  cipher?: RecordCipher | null;
}

interface Stored<T> {
  s: number;
  d?: T;
  /** The sealed JSON of `d` (base64), when the buffer is encrypted. */
  x?: string;
}

const SEG = /^seg-(\d{12})\.wal$/;

export function openWal<T>(dir: string, opts: WalOptions = {}): Wal<T> {
  mkdirSync(dir, { recursive: true });
  const segmentBytes = opts.segmentBytes ?? 16 * 1024 * 1024;
  const cipher = opts.cipher ?? null;
  const dataOf = (v: Stored<T>, where: string): T => {
    if (v.x === undefined) return v.d as T;
    if (!cipher) throw new AuditlakeError('E_KEY', `buffer ${where}: record ${v.s} is encrypted; reading it needs the home's lake key`);
    return JSON.parse(cipher.open(Buffer.from(v.x, 'base64'), `buffer ${where} record ${v.s}`).toString('utf8')) as T;
  };
  const stored = (s: number, d: T): Stored<T> => (cipher ? { s, x: cipher.seal(Buffer.from(JSON.stringify(d), 'utf8')).toString('base64') } : { s, d });
  const ackPath = join(dir, 'ack.json');
  const intentPath = join(dir, 'intent.json');
  let acked = readJsonFile<{ seq: number }>(ackPath)?.seq ?? 0;
  let currentIntent = readJsonFile<WalIntent>(intentPath);
  const pend: Array<WalEntry<T>> = [];
  let pendBytes = 0;
  let last = acked;
  let recovered: string | null = null;
  // segments: first seq → path, and the last seq each holds (to delete fully acknowledged ones)
  const segs: Array<{ first: number; last: number; path: string }> = [];

  const names = readdirSync(dir).filter((n) => SEG.test(n)).sort();
  for (let i = 0; i < names.length; i++) {
    const path = join(dir, names[i]);
    const buf = readFileSync(path);
    const dec = decodeRecords<Stored<T>>(buf);
    if (dec.stopReason) {
      if (i !== names.length - 1) throw new AuditlakeError('E_INTEGRITY', `buffer ${path}: ${dec.stopReason} in a segment that is not the last one`);
      recovered = `${names[i]}: ${dec.stopReason}; cut ${buf.length - dec.goodEnd} bytes`;
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, dec.goodEnd);
      fsyncSync(fd);
      closeSync(fd);
    }
    const first = Number(SEG.exec(names[i])![1]);
    let segLast = first - 1;
    for (const r of dec.records) {
      segLast = r.value.s;
      if (r.value.s > last) last = r.value.s;
      if (r.value.s > acked) {
        pend.push({ seq: r.value.s, data: dataOf(r.value, path), bytes: r.end - r.start, at: Date.now() });
        pendBytes += r.end - r.start;
      }
    }
    segs.push({ first, last: segLast, path });
  }

  let fd: number | null = null;
  let fdSize = 0;
  const openSegment = (): number => {
    if (fd !== null && fdSize < segmentBytes) return fd;
    if (fd !== null) closeSync(fd);
    const tail = segs[segs.length - 1];
    if (tail && fd === null && statSync(tail.path).size < segmentBytes) {
      fd = openSync(tail.path, 'a');
      fdSize = statSync(tail.path).size;
      return fd;
    }
    const path = join(dir, `seg-${String(last + 1).padStart(12, '0')}.wal`);
    segs.push({ first: last + 1, last, path });
    fd = openSync(path, 'a', 0o600);
    fdSize = 0;
    return fd;
  };

  return {
    dir,
    recovered,
    lastSeq: () => last,
    ackedSeq: () => acked,
    append(items) {
      if (items.length === 0) return;
      const f = openSegment();
      const now = Date.now();
      const bufs: Buffer[] = [];
      for (const d of items) {
        const seq = ++last;
        const b = encodeRecord(stored(seq, d));
        bufs.push(b);
        pend.push({ seq, data: d, bytes: b.length, at: now });
        pendBytes += b.length;
      }
      const all = Buffer.concat(bufs);
      writeSync(f, all);
      fdSize += all.length;
      segs[segs.length - 1].last = last;
    },
    sync() {
      if (fd !== null) fsyncSync(fd);
    },
    pending: (max = Infinity) => pend.slice(0, Math.min(max, pend.length)),
    pendingCount: () => pend.length,
    pendingBytes: () => pendBytes,
    oldestPendingAt: () => (pend.length ? pend[0].at : null),
    intent: () => currentIntent,
    setIntent(i) {
      writeFileAtomic(intentPath, JSON.stringify(i));
      currentIntent = i;
    },
    ack(seq) {
      if (seq <= acked) return;
      writeFileAtomic(ackPath, JSON.stringify({ seq }));
      acked = seq;
      while (pend.length && pend[0].seq <= seq) pendBytes -= pend.shift()!.bytes;
      if (currentIntent && currentIntent.to <= seq) {
        rmSync(intentPath, { force: true });
        currentIntent = undefined;
      }
      // drop whole segments that are acknowledged, except the one being appended to
      while (segs.length > 1 && segs[0].last <= acked) rmSync(segs.shift()!.path, { force: true });
    },
    close() {
      if (fd !== null) {
        fsyncSync(fd);
        closeSync(fd);
        fd = null;
      }
    },
  };
}
