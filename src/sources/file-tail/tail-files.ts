import { closeSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createRecordSplitter, type RawRecord, type RecordFraming } from '../../formats/pgaudit/split-records.js';

/** Read position in one log file. `gen` counts truncations of the same file (copytruncate rotation). */
export interface FilePosition {
  path: string;
  offset: number;
  line: number;
  gen: number;
  /** Consecutive polls the file was not found (deleted by rotation, or renamed mid-poll). */
  missing?: number;
  /**
   * Set when the bytes from `tail.offset` to `offset` were delivered as the file's last record without proof that
   * the record was complete (flushed at the end of a finished file, on --once or on drain). If the writer later
   * completes it, the record is read again from `tail.offset`: a bare newline (or, for stderr, a next record)
   * confirms what was delivered and is skipped; real continuation bytes re-deliver the completed record under
   * the same offset, hence the same event id.
   */
  tail?: { offset: number; line: number };
  /** File size at the previous poll: a file whose size did not move since is quiet. */
  seen?: number;
  /** File size when the file was first seen finished (rotated away): still that size a poll later = done. */
  ended?: number;
}
/** Positions of every file a tailer follows, keyed by file identity (`<inode>-<birth ms>`). */
export type TailPositions = Record<string, FilePosition>;

export interface TailedRecord extends RawRecord {
  /** Identity of the file (inode, birth time, truncation generation): part of each event id. */
  fileId: string;
  fileKey: string;
  path: string;
  /** Position after this record: where to resume once it is safely buffered. */
  next: FilePosition;
}

export interface Tailer {
  /**
   * Reads whatever was appended since the last poll (at most `maxBytes`), as whole records. `drain` (--once, stop):
   * the last record of every file is delivered even without proof that it is complete (see FilePosition.tail).
   */
  poll(maxBytes?: number, drain?: boolean): TailedRecord[];
  /** Current positions (after everything poll() returned). */
  positions(): TailPositions;
}

export interface TailOptions {
  /** A file path; `*` in the file name matches several (PostgreSQL's `postgresql-%Y-%m-%d.csv` naming). */
  path: string;
  framing: RecordFraming;
  /** Where to start with files seen for the first time (default: the beginning). */
  startAt?: 'beginning' | 'end';
  positions?: TailPositions;
}

function globToRegExp(name: string): RegExp {
  return new RegExp('^' + name.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*') + '$');
}

interface SeenFile {
  key: string;
  path: string;
  st: Stats;
  /** The writer is done with it: a rotated sibling, or a time-named file older than the newest one. */
  finished: boolean;
}

/**
 * Follows log files by inode rather than by name, so rotation by rename (server_audit.log → server_audit.log.1,
 * PostgreSQL's time-based names) loses nothing: a renamed file that still has unread bytes is read to its end under
 * its new name, and rotated files never seen (created and rotated while the collector was down) are read too. A
 * file that shrank was truncated in place: it is read again from 0 under a new generation (new event ids).
 *
 * Complete records are returned as soon as they are; the last record of a file is complete only once the writer
 * is done with it, because the record splitter needs the byte after it (a newline; for stderr, a non-TAB). That
 * last record is delivered when the file is finished and quiet for one poll (rotated away or superseded by a
 * newer time-named file), on `drain`, and — for stderr framing, where PostgreSQL writes a whole message at once —
 * when a newline-terminated last record has been quiet for one poll (FilePosition.tail keeps this exactly-once).
 */
export function createTailer(o: TailOptions): Tailer {
  const dir = dirname(o.path);
  const pattern = globToRegExp(basename(o.path));
  const timeNamed = basename(o.path).includes('*');
  // rotated siblings of a fixed name: `server_audit.log.1`, `postgresql.csv.1` …
  const rotated = new RegExp('^' + basename(o.path).replace(/[.+^${}()|[\]\\?*]/g, '\\$&') + '\\.\\d+$');
  const pos: TailPositions = { ...(o.positions ?? {}) };
  let first = Object.keys(pos).length === 0;

  const keyOf = (st: Stats): string => `${st.ino}-${Math.floor(st.birthtimeMs)}`;

  function listFiles(): SeenFile[] | null {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return null; // the log directory does not exist yet
    }
    const files: Array<SeenFile & { current: boolean }> = [];
    for (const n of names) {
      const current = pattern.test(n);
      if (!current && !rotated.test(n)) continue;
      const p = join(dir, n);
      let st: Stats;
      try {
        st = statSync(p);
      } catch {
        continue; // rotated away between readdir and stat
      }
      if (!st.isFile()) continue;
      // every file we ever read stays in `pos` while it exists, so an unknown rotated sibling was never read:
      // it was created and rotated away while the collector was down (or before its first start) — read it
      files.push({ key: keyOf(st), path: p, st, current, finished: !current });
    }
    files.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || (a.current ? 1 : -1) || (a.path < b.path ? -1 : 1));
    // time-named files: every matching file but the newest is finished (PostgreSQL never reopens an old one)
    if (timeNamed) {
      const newest = files.filter((f) => f.current).pop();
      for (const f of files) if (f.current && f !== newest) f.finished = true;
    }
    return files;
  }

  return {
    positions: () => ({ ...pos }),
    poll(maxBytes = 4 * 1024 * 1024, drain = false) {
      const files = listFiles();
      if (!files) return [];
      const seen = new Set(files.map((f) => f.key));
      // forget a file only after it has been missing for a while: a rename between readdir and stat (a rotation
      // shifting .1 → .2 right now) hides it for one poll, and forgetting it would read it again from 0
      for (const k of Object.keys(pos)) {
        if (seen.has(k)) delete pos[k].missing;
        else if ((pos[k].missing = (pos[k].missing ?? 0) + 1) > 20) delete pos[k];
      }
      const out: TailedRecord[] = [];
      let budget = maxBytes;
      for (const f of files) {
        let p = pos[f.key];
        if (!p) p = pos[f.key] = { path: f.path, offset: first && o.startAt === 'end' ? f.st.size : 0, line: 1, gen: 0 };
        p.path = f.path;
        if (f.st.size < p.offset) pos[f.key] = p = { path: f.path, offset: 0, line: 1, gen: p.gen + 1 };
        const quiet = p.seen === f.st.size;
        p.seen = f.st.size;
        // finished and quiet since: server_audit can still append to a file it has just renamed
        const done = f.finished && p.ended === f.st.size;
        if (f.finished) p.ended = f.st.size;
        if (budget <= 0) continue;
        const got = readFile(f, p, budget, drain || done, quiet && o.framing === 'stderr', o.framing, out);
        budget -= got;
      }
      first = false;
      return out;
    },
  };
}

/**
 * Reads one file from its position (or from its delivered-but-unconfirmed tail), appends the records to `out`,
 * advances `p`; returns the bytes consumed from the budget. `flushAny`: deliver an unterminated last record too;
 * `flushLine`: deliver a last record that ends with a newline (stderr framing, waiting only for a possible TAB).
 */
function readFile(f: SeenFile, p: FilePosition, budget: number, flushAny: boolean, flushLine: boolean, framing: RecordFraming, out: TailedRecord[]): number {
  const from = p.tail ?? { offset: p.offset, line: p.line };
  // nothing new (an unconfirmed tail was already delivered in full)
  if (f.st.size === p.offset && (p.tail || !(flushAny || flushLine))) return 0;
  if (f.st.size === from.offset) return 0;
  const len = Math.min(f.st.size - from.offset, budget);
  const buf = Buffer.alloc(len);
  const fd = openSync(f.path, 'r');
  let got = 0;
  try {
    got = readSync(fd, buf, 0, len, from.offset);
  } finally {
    closeSync(fd);
  }
  const sp = createRecordSplitter(framing, from.offset, from.line);
  const recs = sp.push(buf.subarray(0, got));
  let flushed = false;
  if (from.offset + got === f.st.size) {
    // at the end of the file: the pending rest is the file's last record
    const rest = sp.position().offset < f.st.size ? sp.flush() : [];
    const endsLine = rest.length > 0 && rest[0].bytes[rest[0].bytes.length - 1] === 0x0a;
    if (rest.length && (flushAny || (flushLine && endsLine))) {
      recs.push(...rest);
      flushed = true;
    }
  }
  const fileId = `${f.key}.${p.gen}`;
  for (const [i, r] of recs.entries()) {
    const next: FilePosition = { path: f.path, offset: r.end, line: r.line + countNewlines(r.bytes), gen: p.gen };
    const last = flushed && i === recs.length - 1;
    if (last) next.tail = { offset: r.start, line: r.line };
    const confirm = p.tail && r.start === p.tail.offset && !last && (r.end === p.offset || (r.end === p.offset + 1 && r.bytes[r.bytes.length - 1] === 0x0a));
    // the writer only confirmed a record already delivered whole: move past it without delivering it again
    if (!confirm) out.push({ ...r, fileId, fileKey: f.key, path: f.path, next });
    p.offset = next.offset;
    p.line = next.line;
    if (next.tail) p.tail = next.tail;
    else delete p.tail;
  }
  return recs.length ? recs[recs.length - 1].end - recs[0].start : 0;
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}
