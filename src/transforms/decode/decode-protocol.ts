import type { DecodeResult, ObjectKeyInfo } from '../../core/decode.js';
import type { EncodedEvents } from '../../core/lake.js';
import type { ExpansionLimits } from './decompress.js';

/**
 * One object's results encoded for the lake by the worker: events as spill CSV bytes, with the counts the
 * summary needs, and the (rare) malformed records as they are.
 */
export interface EncodedResults {
  enc: EncodedEvents;
  records: number;
  byLogType: Record<string, number>;
  malformed: { line: number; reason: string; raw: string }[];
  /** Line of the last record in this chunk (event or malformed), 0 if none. */
  lastLine: number;
}

/** Messages between the decode pool (main thread) and a decode worker. One object at a time per worker. */
export type ToWorker =
  /** `sidBase`: encode events for the lake (EncodedResults) with sids from this base; absent: send events. */
  | { t: 'begin'; info: ObjectKeyInfo; sidBase?: number; limits?: ExpansionLimits }
  | { t: 'chunk'; buf: Uint8Array }
  | { t: 'end' }
  /** The main thread processed one results message. */
  | { t: 'credit' };

export type ToMain =
  | { t: 'results'; results: DecodeResult[]; bytesOut: number }
  | { t: 'encoded'; results: EncodedResults; bytesOut: number }
  /** The worker pulled `n` compressed bytes: the main thread may send that much more. */
  | { t: 'consumed'; n: number }
  | { t: 'done'; bytesOut: number }
  | { t: 'error'; kind: 'corrupt' | 'parse' | 'other'; code: string; message: string; bytesOut: number };

/** Result messages the worker may have outstanding before it waits (bounds memory on the main side). */
export const RESULT_CREDITS = 4;
/** Encoded CSV bytes per message (encoded mode). */
export const ENCODED_BYTES_PER_MESSAGE = 1 << 20;
/** Results per message: large enough to amortise messaging, small enough to keep batches flowing. */
export const RESULTS_PER_MESSAGE = 2000;
/** Compressed bytes the main thread sends ahead of what the worker consumed. */
export const INPUT_WINDOW = 4 << 20;
