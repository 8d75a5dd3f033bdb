import { Readable, pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

/**
 * gzip / gunzip an async iterable. Uses pipeline() rather than .pipe() so an error on either side
 * (a failed frame, a corrupt gzip member) reaches the consumer instead of leaving it waiting forever.
 */
export function gzipIterable(src: AsyncIterable<Buffer>, level: number): Readable {
  // Default 16 KiB output chunks: measured 2-3× faster here than 1 MiB ones (frames are assembled by the caller).
  const z = createGzip({ level });
  pipeline(Readable.from(src), z, (err) => { if (err) z.destroy(err); });
  return z;
}

export function gunzipIterable(src: AsyncIterable<Buffer>): Readable {
  const z = createGunzip();
  pipeline(Readable.from(src), z, (err) => { if (err) z.destroy(err); });
  return z;
}
