import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeFileSync, writeSync } from 'node:fs';
import { Readable } from 'node:stream';
import { AuditlakeError } from '../../../core/errors.js';
import { LOG_TYPES, type AuditEvent } from '../../../core/event.js';
import type { EncodedEvents } from '../../../core/lake.js';
import { storedRaw } from '../derived-raw.js';
import { lit } from '../schema.js';

/**
 * Events reach DuckDB as a temp CSV file that `read_csv` parses on DuckDB's own threads. Measured on
 * 300k synthetic events (one core): this is the cheapest JS-side encoding (≈2.3–3.7 µs/event, vs
 * ≈4 µs for NDJSON and ≈5.5–8.6 µs for the row Appender, whose ~22 N-API calls per row dominate).
 *
 * Dialect: delimiter U+001F, quote and escape U+0002 (neither occurs in audit text, so almost no field
 * needs quoting and none needs doubling; multi-line SQL is quoted), NULL is an unquoted `\N`
 * (a real `\N` string is quoted, and `allow_quoted_nulls=false` keeps it a string).
 */
const D = '\x1f';
const NEEDS_QUOTE = /[\x00\x1f\x02\n\r]|^\\N$/;
const Q2 = /\x02/g;
const NULL = '\\N';

function s(v: string | null): string {
  if (v === null) return NULL;
  if (!NEEDS_QUOTE.test(v)) return v;
  // NUL would end the value in DuckDB's C strings; the event model's strings are text, so drop it.
  return '\x02' + v.replace(Q2, '\x02\x02').replace(/\x00/g, '') + '\x02';
}

const LOG_TYPE_SET = new Set<string>(LOG_TYPES);

/**
 * One event as one CSV record (columns: CSV_COLUMNS). The fields that are constant per source object
 * (source_object, source_format, account, region, service, cluster) are written once per spill to a
 * small sources CSV and referenced by `sid`: a large share of each record that JS need not encode and
 * DuckDB need not parse.
 */
export function encodeEvent(e: AuditEvent, sid: number): string {
  // `details` needs no s(): JSON.stringify escapes every character below U+0020 (so no NUL, U+001F, U+0002 or
  // line break reaches the CSV raw), and an object's JSON is never the NULL marker `\N`.
  if (!Number.isFinite(e.time) || !LOG_TYPE_SET.has(e.logType)) {
    throw new AuditlakeError('E_INTERNAL', `lake: event ${e.eventId} from ${e.sourceObject}:${e.sourceLine} has ${Number.isFinite(e.time) ? `log type "${e.logType}"` : `time ${e.time}`}, which the lake cannot store`);
  }
  return (
    s(e.eventId) + D + Math.trunc(e.time) + D + sid + D + e.logType + D + s(e.database) + D + s(e.user) + D + s(e.session) + D +
    s(e.remoteHost) + D + s(e.remotePort) + D + s(e.action) + D + s(e.statement) + D + (e.success === null ? NULL : e.success) + D +
    s(e.errorCode) + D + s(e.object) + D + JSON.stringify(e.details ?? {}) + D + s(storedRaw(e)) + D +
    (Number.isInteger(e.sourceLine) ? e.sourceLine : NULL) + '\n'
  );
}

/** The sources-CSV record of `sid` (columns: SOURCE_COLUMNS). */
export function encodeSource(e: AuditEvent, sid: number): string {
  return `${sid}${D}${s(e.sourceObject)}${D}${s(e.sourceFormat)}${D}${s(e.account)}${D}${s(e.region)}${D}${s(e.service)}${D}${s(e.cluster)}\n`;
}

/** The fields that decide an event's source record (events with equal keys share a sid). */
/** Same source columns as `b` — the cheap test before building a map key (events of one source arrive together). */
export function sameSource(a: AuditEvent, b: AuditEvent): boolean {
  return a.sourceObject === b.sourceObject && a.account === b.account && a.region === b.region &&
    a.sourceFormat === b.sourceFormat && a.service === b.service && a.cluster === b.cluster;
}

export function sourceKey(e: AuditEvent): string {
  return [e.sourceObject, e.sourceFormat, e.account, e.region, e.service, e.cluster].join(D);
}

const DAY_MS = 86_400_000;

/** The Hive partition an event lands in, as a key (log type, account, region, UTC day). */
export function partitionKey(e: AuditEvent): string {
  return `${e.logType}${D}${e.account}${D}${e.region}${D}${Math.floor(e.time / DAY_MS)}`;
}

/** Per-row CSV columns and their DuckDB types, in record order. */
export const CSV_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['event_id', 'VARCHAR'], ['time_ms', 'BIGINT'], ['sid', 'BIGINT'], ['log_type', 'VARCHAR'], ['database', 'VARCHAR'],
  ['user', 'VARCHAR'], ['session', 'VARCHAR'], ['remote_host', 'VARCHAR'], ['remote_port', 'VARCHAR'], ['action', 'VARCHAR'],
  ['statement', 'VARCHAR'], ['success', 'BOOLEAN'], ['error_code', 'VARCHAR'], ['object', 'VARCHAR'], ['details', 'VARCHAR'],
  ['raw', 'VARCHAR'], ['source_line', 'INTEGER'],
];

/** Per-source CSV columns (one record per sid). */
export const SOURCE_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['sid', 'BIGINT'], ['source_object', 'VARCHAR'], ['source_format', 'VARCHAR'], ['account', 'VARCHAR'], ['region', 'VARCHAR'],
  ['service', 'VARCHAR'], ['cluster', 'VARCHAR'],
];

/** Smallest CSV reader buffer (the reader's memory is outside DuckDB's memory_limit, so keep it small). */
const MIN_LINE_BUFFER = 8 << 20;

function readCsv(path: string, cols: ReadonlyArray<readonly [string, string]>, lineBuffer: number): string {
  const spec = `{${cols.map(([n, t]) => `${lit(n)}: ${lit(t)}`).join(', ')}}`;
  return `read_csv(${lit(path)}, columns=${spec}, header=false, auto_detect=false, delim='\x1f', quote='\x02', escape='\x02', ` +
    `nullstr='\\N', allow_quoted_nulls=false, max_line_size=${lineBuffer}, buffer_size=${lineBuffer}, strict_mode=true)`;
}

/**
 * A spill's rows joined with its sources: every AuditEvent column (snake_case), time as `time_ms`.
 * The reader's line buffer is sized to the spill's longest record (8 MB unless a record is longer),
 * so a 16 MB statement fits without every spill paying for a 32 MB buffer.
 */
export function spillRelationSql(w: Pick<SpillWriter, 'path' | 'sourcesPath' | 'longestLine'>): string {
  const lineBuffer = Math.max(MIN_LINE_BUFFER, Math.ceil((w.longestLine + 4096) / (1 << 20)) << 20);
  return `${readCsv(w.path, CSV_COLUMNS, lineBuffer)} AS r JOIN ${readCsv(w.sourcesPath, SOURCE_COLUMNS, MIN_LINE_BUFFER)} AS src USING (sid)`;
}

/**
 * Appends encoded events to one temp CSV through a reusable buffer (one write per ~4 MB), and counts
 * rows, bytes and distinct partitions so the batch knows when to spill.
 */
export interface SpillWriter {
  readonly path: string;
  /** The per-source CSV, written by close(). */
  readonly sourcesPath: string;
  readonly rows: number;
  readonly bytes: number;
  readonly partitions: number;
  /** Bytes of the longest record written. */
  readonly longestLine: number;
  /** True when `e` belongs to a partition this spill has no event of yet. */
  isNewPartition(e: AuditEvent): boolean;
  /** How many of `keys` are partitions this spill has no event of yet. */
  newPartitions(keys: readonly string[]): number;
  add(e: AuditEvent): void;
  /** Appends records encoded elsewhere (encode-events.ts); their sids must not collide with add()'s. */
  addEncoded(chunk: EncodedEvents): void;
  close(): void;
  /** True when the file holds ciphertext (read it back with openEvents/openSources, through a FIFO). */
  readonly encrypted: boolean;
  /** The events CSV in clear, decrypted as it is read (after close()). */
  openEvents(): Readable;
  /** The sources CSV in clear (after close()); kept in memory when encrypted. */
  openSources(): Readable;
}

/**
 * With `encrypt`, the spill file is AES-256-CTR ciphertext under a key that exists only in this process's memory
 * (and the sources CSV is never written): a spill left behind by kill -9 is unreadable by anyone, and the next run
 * deletes it. CTR keeps every write the same length and costs ~1 GB/s with AES-NI.
 */
export function createSpillWriter(path: string, bufferBytes = 4 << 20, opts: { encrypt?: boolean } = {}): SpillWriter {
  const fd = openSync(path, 'w', 0o600);
  const cipherKey = opts.encrypt ? randomBytes(32) : null;
  const iv = randomBytes(16);
  const cipher = cipherKey ? createCipheriv('aes-256-ctr', cipherKey, iv) : null;
  const put = (b: Buffer | Uint8Array) => writeSync(fd, cipher ? cipher.update(b) : b);
  const buf = Buffer.allocUnsafe(bufferBytes);
  const sourcesPath = path.replace(/\.csv$/, '') + '.sources.csv';
  let off = 0, rows = 0, bytes = 0, longest = 0, closed = false;
  const parts = new Set<string>();
  let lastLt = '', lastAcct = '', lastRegion = '', lastDay = NaN;
  const sids = new Map<string, number>();
  const sources: string[] = [];
  /** Sources of encoded chunks, by their (run-unique) sid. */
  const encodedSources = new Map<number, string>();
  let last: AuditEvent | null = null;
  let lastSid = -1;

  const sidOf = (e: AuditEvent): number => {
    if (last && sameSource(e, last)) return lastSid;
    const k = sourceKey(e);
    let id = sids.get(k);
    if (id === undefined) {
      id = sources.length;
      sids.set(k, id);
      sources.push(encodeSource(e, id));
    }
    last = e;
    lastSid = id;
    return id;
  };
  const flush = () => {
    if (off > 0) put(buf.subarray(0, off));
    bytes += off;
    off = 0;
  };

  const sourcesText = () => sources.join('') + [...encodedSources.values()].join('');
  return {
    path,
    sourcesPath,
    encrypted: cipher !== null,
    openEvents() {
      const plain = createReadStream(path);
      if (!cipherKey) return plain;
      const dec = createDecipheriv('aes-256-ctr', cipherKey, iv);
      plain.on('error', (err) => dec.destroy(err));
      return plain.pipe(dec);
    },
    openSources: () => Readable.from([Buffer.from(sourcesText(), 'utf8')]),
    get rows() { return rows; },
    get bytes() { return bytes + off; },
    get partitions() { return parts.size; },
    get longestLine() { return longest; },
    isNewPartition(e) {
      const day = Math.floor(e.time / DAY_MS);
      if (day === lastDay && e.logType === lastLt && e.account === lastAcct && e.region === lastRegion) return false;
      return !parts.has(`${e.logType}${D}${e.account}${D}${e.region}${D}${day}`);
    },
    newPartitions(keys) {
      let n = 0;
      for (const k of keys) if (!parts.has(k)) n++;
      return n;
    },
    addEncoded(chunk) {
      if (closed) throw new AuditlakeError('E_INTERNAL', `lake: spill ${path} is closed`);
      flush();
      put(chunk.csv);
      bytes += chunk.csv.byteLength;
      rows += chunk.rows;
      if (chunk.longestLine > longest) longest = chunk.longestLine;
      for (const k of chunk.partitions) parts.add(k);
      // The in-process fast path compares with the last partition added; forget it so add() stays exact.
      lastDay = NaN;
      for (const [sid, rec] of chunk.sources) encodedSources.set(sid, rec);
    },
    add(e) {
      const line = encodeEvent(e, sidOf(e));
      // Worst case 3 UTF-8 bytes per UTF-16 unit.
      if (off + line.length * 3 > buf.length) flush();
      let n: number;
      if (line.length * 3 > buf.length) {
        const b = Buffer.from(line, 'utf8');
        put(b);
        bytes += b.length;
        n = b.length;
      } else {
        n = buf.write(line, off);
        off += n;
      }
      if (n > longest) longest = n;
      rows++;
      const day = Math.floor(e.time / DAY_MS);
      if (day !== lastDay || e.logType !== lastLt || e.account !== lastAcct || e.region !== lastRegion) {
        lastDay = day; lastLt = e.logType; lastAcct = e.account; lastRegion = e.region;
        parts.add(`${e.logType}${D}${e.account}${D}${e.region}${D}${day}`);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        closeSync(fd);
      }
      if (!cipher) writeFileSync(sourcesPath, sourcesText(), { mode: 0o600 });
    },
  };
}
