import type { RecordCipher } from './record-cipher.js';
import type { AuditEvent } from './event.js';

/** Identifies one version of one source object (what "already ingested" is keyed on). */
export interface SourceObjectRef {
  /** Store URL, e.g. `file:///data/logs` or `s3://bucket/prefix`. */
  store: string;
  key: string;
  etag: string;
  size: number;
}

export interface CommitStats {
  events: number;
  files: number;
  bytes: number;
}

/**
 * A unit of ingest. Events added to a batch become visible only at commit(), and commit() also
 * marks the batch's source objects as ingested — in one atomic step (manifest rename), so a
 * kill -9 at any point leaves either nothing or everything of the batch, never duplicates.
 */
export interface LakeBatch {
  add(event: AuditEvent): void | Promise<void>;
  /**
   * Adds events a decode worker already encoded with the lake's own encoder (src/sinks/lake/encode-events.ts);
   * present when the lake's `acceptsEncoded` is true. Same effect as add() for each event.
   */
  addEncoded?(chunk: EncodedEvents): void | Promise<void>;
  commit(sources: SourceObjectRef[]): Promise<CommitStats>;
  abort(): Promise<void>;
}

/**
 * Events encoded as the lake's spill CSV records (opaque to callers; see encode-events.ts). Plain data with
 * one transferable buffer, so it crosses a worker boundary without a structured clone of every event.
 */
export interface EncodedEvents {
  /** One CSV record per event. */
  csv: Uint8Array;
  rows: number;
  /** Distinct partition keys of the rows. */
  partitions: string[];
  /** [sid, encoded source record] for every sid the rows reference (sids are unique per ingest run). */
  sources: [number, string][];
  /** Bytes of the longest record. */
  longestLine: number;
}

export interface QueryResult {
  columns: string[];
  /** Values as JS values: string, number, boolean, null; BIGINT as bigint; timestamps as ISO strings. */
  rows: unknown[][];
  /** Indexes of JSON-typed columns (their values are JSON text): `--format json` nests them as objects. */
  jsonColumns?: number[];
}

/** One Hive partition `log_type=…/account=…/region=…/date=YYYY-MM-DD`. */
export interface LakePartitionId {
  logType: string;
  account: string;
  region: string;
  date: string;
}

export interface LakePartition extends LakePartitionId {
  files: number;
  bytes: number;
}

/**
 * The Parquet lake: Hive-partitioned `log_type=…/account=…/region=…/date=YYYY-MM-DD/*.parquet` (zstd),
 * readable by Athena/Trino unchanged, plus a manifest that is the single source of truth.
 */
export interface Lake {
  readonly root: string;
  /** Batches take events pre-encoded off the main thread (LakeBatch.addEncoded). */
  readonly acceptsEncoded?: boolean;
  isIngested(ref: SourceObjectRef): boolean;
  /**
   * The cipher for records kept beside the lake (quarantine, collector buffers) when the lake is encrypted, else
   * null (a plaintext demo lake: those records stay plaintext too).
   */
  recordCipher?(purpose: 'quarantine' | 'buffer'): RecordCipher | null;
  /** `mayOverlap`: the batch's events may repeat events already in the lake (views then de-duplicate them). */
  beginBatch(opts?: { mayOverlap?: boolean }): LakeBatch;
  /** Merge small files per partition; crash-safe (manifest swap, then garbage collection). */
  compact(): Promise<{ before: number; after: number }>;
  /**
   * Compact only the partitions that have more than `minSmallFiles` (default 8) small files — what an
   * ingest calls when it finishes.
   */
  maybeCompact(opts?: { minSmallFiles?: number }): Promise<{ before: number; after: number }>;
  /**
   * SQL over views `events`, `connections`, `user_changes`, `activity`, `api_calls`. `timeoutMs`: DuckDB is
   * interrupted past it (E_TIMEOUT) and the connection stays usable.
   */
  query(sql: string, opts?: { timeoutMs?: number }): Promise<QueryResult>;
  /** Retention (optional; added for src/retention): every Hive partition with its size. */
  listPartitions?(): Promise<LakePartition[]>;
  /** Retention (optional): removes whole partitions, crash-safe (manifest swap first, then the files). */
  dropPartitions?(partitions: LakePartitionId[]): Promise<{ files: number; bytes: number }>;
  close(): Promise<void>;
}
