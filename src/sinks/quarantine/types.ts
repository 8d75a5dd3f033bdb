import type { SourceObjectRef } from '../../core/lake.js';

/** One quarantined record: where it came from, why it was refused, and its (redacted) text. */
export interface QuarantineEntry {
  /** Store URL and key of the source object, and the version (etag) that was read. */
  store: string;
  key: string;
  etag: string;
  /** 1-based line where the record starts; 0 when the failure is about the whole object (e.g. corrupt gzip). */
  line: number;
  reason: string;
  /** The record text, secrets already redacted by the decoder; cut to QUARANTINE_RAW_LIMIT characters. */
  raw: string;
  /** ISO time the entry was written. */
  at: string;
}

/** Collects the malformed records of one source object; nothing is visible until finish(). */
export interface QuarantineWriter {
  add(line: number, reason: string, raw: string): void;
  /** Number of entries added so far. */
  readonly count: number;
  /** Publishes the object's file atomically (replacing one from an interrupted earlier run). */
  finish(): Promise<number>;
  /** Drops what was collected. */
  abort(): Promise<void>;
}

export interface Quarantine {
  readonly dir: string;
  open(ref: SourceObjectRef): QuarantineWriter;
  /** Every entry, file by file (files in name order, entries in line order). */
  list(): AsyncIterable<QuarantineEntry>;
  /** Deletes temp files left by writers that no longer run; returns how many. */
  removeStaleTemps(): Promise<number>;
}
