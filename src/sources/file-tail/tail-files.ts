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
  /** Reads whatever was appended since the last poll (at most `maxBytes`), as whole records. */
  poll(maxBytes?: number): TailedRecord[];
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

/**
 * Follows log files by inode rather than by name, so rotation by rename (server_audit.log → server_audit.log.1,
 * PostgreSQL's time-based names) loses nothing: a renamed file that still has unread bytes is read to its end under
 * its new name, and rotated files never seen (created and rotated while the collector was down) are read too. A file that shrank was truncated in place: it is read again from 0 under a new generation (new
 * event ids). Only complete records are returned; a record still being written waits for the next poll.
 */
export function createTailer(o: TailOptions): Tailer {
  const dir = dirname(o.path);
  const pattern = globToRegExp(basename(o.path));
  // rotated siblings of a fixed name: `server_audit.log.1`, `postgresql.csv.1` …
  const rotated = new RegExp('^' + basename(o.path).replace(/[.+^${}()|[\]\\?*]/g, '\\$&') + '\\.\\d+$');
  const pos: TailPositions = { ...(o.positions ?? {}) };
  let first = Object.keys(pos).length === 0;

  const keyOf = (st: Stats): string => `${st.ino}-${Math.floor(st.birthtimeMs)}`;

  return {
    positions: () => ({ ...pos }),
    poll(maxBytes = 4 * 1024 * 1024) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return []; // the log directory does not exist yet
      }
      const files: Array<{ key: string; path: string; st: Stats; current: boolean }> = [];
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
        files.push({ key: keyOf(st), path: p, st, current });
      }
      const seen = new Set(files.map((f) => f.key));
      // forget a file only after it has been missing for a while: a rename between readdir and stat (a rotation
      // shifting .1 → .2 right now) hides it for one poll, and forgetting it would read it again from 0
      for (const k of Object.keys(pos)) {
        if (seen.has(k)) delete pos[k].missing;
        else if ((pos[k].missing = (pos[k].missing ?? 0) + 1) > 20) delete pos[k];
      }
      files.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || (a.current ? 1 : -1));

      const out: TailedRecord[] = [];
      let budget = maxBytes;
      for (const f of files) {
        let p = pos[f.key];
        if (!p) {
          p = pos[f.key] = { path: f.path, offset: first && o.startAt === 'end' ? f.st.size : 0, line: 1, gen: 0 };
        }
        p.path = f.path;
        if (f.st.size < p.offset) pos[f.key] = p = { path: f.path, offset: 0, line: 1, gen: p.gen + 1 };
        if (f.st.size === p.offset || budget <= 0) continue;
        const len = Math.min(f.st.size - p.offset, budget);
        const buf = Buffer.alloc(len);
        const fd = openSync(f.path, 'r');
        let got = 0;
        try {
          got = readSync(fd, buf, 0, len, p.offset);
        } finally {
          closeSync(fd);
        }
        const sp = createRecordSplitter(o.framing, p.offset, p.line);
        // only newline-terminated records, also from rotated files: server_audit can still append to a file it
        // has just renamed (the collector saw half a line there once), and both engines terminate every record
        const recs = sp.push(buf.subarray(0, got));
        const fileId = `${f.key}.${p.gen}`;
        for (const r of recs) {
          const next: FilePosition = { path: f.path, offset: r.end, line: r.line + countNewlines(r.bytes), gen: p.gen };
          out.push({ ...r, fileId, fileKey: f.key, path: f.path, next });
        }
        if (recs.length) {
          const lastRec = out[out.length - 1];
          p.offset = lastRec.next.offset;
          p.line = lastRec.next.line;
          budget -= lastRec.end - (recs[0].start);
        }
      }
      first = false;
      return out;
    },
  };
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}
