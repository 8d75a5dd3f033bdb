import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditlakeError } from '../core/errors.js';
import { gzipBuffer, gzipStream } from '../core/gzip.js';

/** Chunk size handed to zlib when streaming: keeps per-chunk overhead low and memory bounded. */
const CHUNK = 256 * 1024;
/** Objects up to this size are compressed in one zlib call (on the libuv pool) and written with one writeFile. */
const WHOLE_OBJECT_LIMIT = 4 * 1024 * 1024;

export interface WrittenObject {
  /** Uncompressed bytes (UTF-8). */
  bytes: number;
  compressedBytes: number;
}

/**
 * Writes gzip objects. Node's gzip header carries no time or name, so the same input gives the same bytes
 * on every run. Directories already made are remembered (thousands of hourly objects share a few hundred).
 */
export function createGzipWriter(level: number) {
  const dirs = new Set<string>();
  async function ensureDir(path: string): Promise<void> {
    const dir = dirname(path);
    if (dirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    dirs.add(dir);
  }

  /** Writes `parts` (strings, back to back) as one gzip object at `path`. */
  async function write(path: string, parts: Iterable<string>): Promise<WrittenObject> {
    try {
      await ensureDir(path);
      // Small objects (nearly all hourly files): one buffer, one zlib call, one write.
      let text = '';
      const it = parts[Symbol.iterator]();
      for (let r = it.next(); !r.done; r = it.next()) {
        text += r.value;
        if (text.length > WHOLE_OBJECT_LIMIT) return await stream(path, text, it);
      }
      const raw = Buffer.from(text, 'utf8');
      const gz = await gzipBuffer(raw, level);
      await writeFile(path, gz);
      return { bytes: raw.length, compressedBytes: gz.length };
    } catch (err) {
      if (err instanceof AuditlakeError) throw err;
      throw new AuditlakeError('E_IO', `generate: cannot write ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Large objects: stream through gzip with backpressure, never holding more than a chunk or two. */
  async function stream(path: string, head: string, rest: Iterator<string>): Promise<WrittenObject> {
    let bytes = 0;
    let compressedBytes = 0;
    function* chunks(): Generator<Buffer> {
      let buf = head;
      for (let r = rest.next(); ; r = rest.next()) {
        if (!r.done) buf += r.value;
        if (buf.length >= CHUNK || (r.done && buf.length > 0)) {
          const b = Buffer.from(buf, 'utf8');
          bytes += b.length;
          buf = '';
          yield b;
        }
        if (r.done) return;
      }
    }
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        compressedBytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(gzipStream(chunks(), { level }), count, createWriteStream(path));
    return { bytes, compressedBytes };
  }

  return { write };
}
