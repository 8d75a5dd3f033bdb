import type { DecodeResult, ObjectKeyInfo } from '../formats/types.js';

/** Messages between the decode pool (main thread) and a decode worker. One object at a time per worker. */
export type ToWorker =
  | { t: 'begin'; info: ObjectKeyInfo }
  | { t: 'chunk'; buf: Uint8Array }
  | { t: 'end' }
  /** The main thread processed one results message. */
  | { t: 'credit' };

export type ToMain =
  | { t: 'results'; results: DecodeResult[]; bytesOut: number }
  /** The worker pulled `n` compressed bytes: the main thread may send that much more. */
  | { t: 'consumed'; n: number }
  | { t: 'done'; bytesOut: number }
  | { t: 'error'; kind: 'corrupt' | 'parse' | 'other'; code: string; message: string; bytesOut: number };

/** Result messages the worker may have outstanding before it waits (bounds memory on the main side). */
export const RESULT_CREDITS = 4;
/** Results per message: large enough to amortise messaging, small enough to keep batches flowing. */
export const RESULTS_PER_MESSAGE = 2000;
/** Compressed bytes the main thread sends ahead of what the worker consumed. */
export const INPUT_WINDOW = 4 << 20;
