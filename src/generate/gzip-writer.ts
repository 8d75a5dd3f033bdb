import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { AuditlakeError } from '../core/errors.js';

/** Chunk size handed to zlib: large enough to keep per-chunk overhead low, small enough to bound memory. */
const CHUNK = 256 * 1024;

export interface WrittenObject {
  /** Uncompressed bytes (UTF-8). */
  bytes: number;
  compressedBytes: number;
}

/**
 * Streams `parts` (strings, written back to back) through gzip into `path`, with backpressure.
 * Node's gzip header carries no time or name, so the same input gives the same bytes on every run.
 */
export async function writeGzip(path: string, parts: Iterable<string>, level: number): Promise<WrittenObject> {
  let bytes = 0;
  function* chunks(): Generator<Buffer> {
    let buf = '';
    for (const p of parts) {
      buf += p;
      if (buf.length >= CHUNK) {
        const b = Buffer.from(buf, 'utf8');
        bytes += b.length;
        buf = '';
        yield b;
      }
    }
    if (buf.length > 0) {
      const b = Buffer.from(buf, 'utf8');
      bytes += b.length;
      yield b;
    }
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    await pipeline(Readable.from(chunks(), { objectMode: false }), createGzip({ level }), createWriteStream(path));
    return { bytes, compressedBytes: (await stat(path)).size };
  } catch (err) {
    throw new AuditlakeError('E_IO', `generate: cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
}
