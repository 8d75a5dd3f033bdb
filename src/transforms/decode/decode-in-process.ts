import type { Readable } from 'node:stream';
import { createDecoder } from '../../formats/decoder.js';
import type { DecodeResult, ObjectKeyInfo } from '../../core/decode.js';
import type { EncodedResults } from './decode-protocol.js';
import { decompressed, type ExpansionLimits } from './decompress.js';

/** Byte counters one object's decode updates as it goes (for progress and MB/s). */
export interface DecodeCounters {
  /** Bytes read from the store (compressed). */
  bytesIn: number;
  /** Bytes after gunzip: the "uncompressed log" every MB/s figure is about. */
  bytesOut: number;
}

/**
 * Decodes one object: raw bytes → gunzip (if gzip) → the format's decoder, yielding results in
 * batches as they come. Errors: SourceReadError when the store stream fails, zlib `Z_*` errors
 * when the object is corrupt, AuditlakeError E_PARSE when the decoder gives up on the object.
 */
export type DecodeRunner = (
  source: Readable,
  info: ObjectKeyInfo,
  counters: DecodeCounters,
  /** Ask for lake-encoded results (EncodedResults) with sids from `sidBase`; a runner may ignore it and yield events. */
  encode?: { sidBase: number },
  limits?: ExpansionLimits,
) => AsyncIterable<DecodeResult[] | EncodedResults>;

/** A key ending in `.gz` promises gzip bytes (CloudTrail's `.json.gz`, Redshift's `.gz`, Firehose's `.gz`). */
export const expectsGzip = (info: ObjectKeyInfo): boolean => /\.gz$/i.test(info.key);

export const decodeInProcess: DecodeRunner = async function* (source, info, counters, _encode, limits) {
  const decoder = createDecoder(info);
  for await (const chunk of decompressed(source, (n) => (counters.bytesIn += n), { expectGzip: expectsGzip(info), ...(limits ? { limits } : {}) })) {
    counters.bytesOut += (chunk as Buffer).length;
    const out = decoder.push(chunk as Buffer);
    if (out.length) yield out;
  }
  const out = decoder.end();
  if (out.length) yield out;
};
