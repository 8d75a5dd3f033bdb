import { Readable } from 'node:stream';
import { AuditlakeError } from '../../core/errors.js';
import { gunzipStream, isGzip } from '../../core/gzip.js';

export { isCorruptData } from '../../core/gzip.js';

/**
 * How far one object may expand. A gzip bomb or a planted file of repeated lines would otherwise turn a
 * few MB into millions of events and hundreds of MB of home without a word; past either limit the object
 * is refused with the reason (what decoded before stays, like any corrupt object).
 */
export interface ExpansionLimits {
  /** Most uncompressed bytes per object. */
  maxBytes: number;
  /** Most uncompressed / compressed, checked once more than `ratioAfterBytes` came out. */
  maxRatio: number;
  ratioAfterBytes: number;
}

/** Generous: real Redshift/CloudTrail objects are far below 4 GB and compress 5–20×. */
export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = { maxBytes: 4e9, maxRatio: 200, ratioAfterBytes: 64e6 };

export interface DecompressOptions {
  /** The key ends in `.gz`: anything else than gzip bytes is refused ("not gzip") instead of read as text. */
  expectGzip?: boolean;
  limits?: ExpansionLimits;
}

/** Tags errors so the pipeline can tell a broken source (retry later) from a corrupt object (quarantine). */
export class SourceReadError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SourceReadError';
  }
}

/**
 * The decompressed bytes of a source object. Sniffs the gzip magic (1f 8b) instead of trusting
 * the key's `.gz`, so a file a user already gunzipped still reads. Node's gunzip continues
 * across concatenated gzip members, which Redshift and re-compressing tools can produce.
 * `onCompressed` sees every raw chunk (for byte counts).
 */
export function decompressed(source: AsyncIterable<Buffer>, onCompressed?: (n: number) => void, opts: DecompressOptions = {}): Readable {
  const it = source[Symbol.asyncIterator]();
  const limits = opts.limits ?? DEFAULT_EXPANSION_LIMITS;
  let head: Buffer = Buffer.alloc(0);
  let peeked = false;
  let bytesIn = 0;
  let bytesOut = 0;
  const counted = (n: number) => {
    bytesIn += n;
    onCompressed?.(n);
  };
  async function* raw(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        counted(n.value.length);
        yield n.value;
      }
    } catch (err) {
      throw err instanceof SourceReadError ? err : new SourceReadError(err);
    }
  }
  // A pass-through whose first read decides between gunzip and plain text.
  return Readable.from(
    (async function* () {
      while (!peeked) {
        let n;
        try {
          n = await it.next();
        } catch (err) {
          throw new SourceReadError(err);
        }
        if (n.done) {
          peeked = true;
          break;
        }
        counted(n.value.length);
        head = head.length ? Buffer.concat([head, n.value]) : n.value;
        if (head.length >= 2) peeked = true;
      }
      const gzip = isGzip(head);
      if (!gzip && opts.expectGzip && head.length > 0) {
        throw new AuditlakeError('E_PARSE', `not gzip: the name ends in .gz but the first bytes are ${head.subarray(0, 2).toString('hex')}, not the gzip magic 1f8b`);
      }
      const body = gzip ? gunzipNested(raw(), 0) : raw();
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytesOut += chunk.length;
        if (bytesOut > limits.maxBytes) {
          throw new AuditlakeError('E_PARSE', `expansion limit: more than ${limits.maxBytes} uncompressed bytes (from ${bytesIn} read); raise --max-object-mb to accept it`);
        }
        if (bytesOut > limits.ratioAfterBytes && bytesOut > limits.maxRatio * bytesIn) {
          throw new AuditlakeError('E_PARSE', `expansion limit: ${bytesIn} bytes expanded to more than ${bytesOut} (over ${limits.maxRatio}×); raise --max-expansion-ratio to accept it`);
        }
        yield chunk;
      }
    })(),
    { objectMode: false, highWaterMark: 1 },
  );
}

const gunzip = (src: AsyncIterable<Buffer>): AsyncIterable<Buffer> => gunzipStream(src, { chunkSize: 256 * 1024 });

/**
 * Gunzips `src`; a gzip inside the gzip is opened too (a Firehose delivery stream with GZIP compression over
 * CloudWatch Logs' own gzip members; no log text starts with 1f 8b). At most three layers.
 */
async function* gunzipNested(src: AsyncIterable<Buffer>, depth: number): AsyncGenerator<Buffer> {
  const it = gunzip(src)[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (head.length < 2 && !done) {
    const n = await it.next();
    if (n.done) done = true;
    else head = head.length ? Buffer.concat([head, n.value]) : n.value;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (let n = done ? null : await it.next(); n && !n.done; n = await it.next()) yield n.value;
  }
  if (depth < 2 && isGzip(head)) yield* gunzipNested(rest(), depth + 1);
  else yield* rest();
}
