import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Tags errors so the pipeline can tell a broken source (retry later) from a corrupt object (quarantine). */
export class SourceReadError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SourceReadError';
  }
}

/** True for zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR "unexpected end of file", …). */
export function isCorruptData(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The decompressed bytes of a source object. Sniffs the gzip magic (1f 8b) instead of trusting
 * the key's `.gz`, so a file a user already gunzipped still reads. Node's gunzip continues
 * across concatenated gzip members, which Redshift and re-compressing tools can produce.
 * `onCompressed` sees every raw chunk (for byte counts). A gzip inside the gzip is opened too (a Firehose
 * delivery stream with GZIP compression over CloudWatch Logs' own gzip members): no log text starts with 1f 8b.
 */
export function decompressed(source: AsyncIterable<Buffer>, onCompressed?: (n: number) => void, depth = 0): Readable {
  const it = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  let peeked = false;
  async function* raw(): AsyncGenerator<Buffer> {
    try {
      if (head.length) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        onCompressed?.(n.value.length);
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
        onCompressed?.(n.value.length);
        head = head.length ? Buffer.concat([head, n.value]) : n.value;
        if (head.length >= 2) peeked = true;
      }
      if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
        const gz = pipeline(Readable.from(raw(), { objectMode: false }), createGunzip({ chunkSize: 256 * 1024 }), () => undefined);
        yield* depth < 2 ? decompressed(gz as AsyncIterable<Buffer>, undefined, depth + 1) : (gz as AsyncIterable<Buffer>);
      } else {
        yield* raw();
      }
    })(),
    { objectMode: false, highWaterMark: 1 },
  );
}
