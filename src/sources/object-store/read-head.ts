import { gunzipBufferSync, isGzip } from '../../core/gzip.js';
import type { ObjectStore } from '../../core/object-store.js';

/**
 * The first `bytes` of an object as text, gunzipped when it starts with the gzip magic (a partial gzip stream
 * decodes with a sync flush). For recognising a file by its content; never the whole object.
 */
export async function readHead(store: ObjectStore, key: string, bytes = 16384): Promise<string> {
  const stream = await store.get(key);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  let head: Buffer = Buffer.concat(parts).subarray(0, bytes);
  if (isGzip(head)) {
    try {
      head = gunzipBufferSync(head, { partial: true });
    } catch {
      return ''; // not readable as gzip: not a log we can recognise
    }
  }
  return head.toString('utf8');
}
