import type { AuditEvent } from '../../core/event.js';

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
  commit(sources: SourceObjectRef[]): Promise<CommitStats>;
  abort(): Promise<void>;
}

export interface QueryResult {
  columns: string[];
  /** Values as JS values: string, number, boolean, null; BIGINT as bigint; timestamps as ISO strings. */
  rows: unknown[][];
}

/**
 * The Parquet lake: Hive-partitioned `log_type=…/account=…/region=…/date=YYYY-MM-DD/*.parquet` (zstd),
 * readable by Athena/Trino unchanged, plus a manifest that is the single source of truth.
 */
export interface Lake {
  readonly root: string;
  isIngested(ref: SourceObjectRef): boolean;
  beginBatch(): LakeBatch;
  /** Merge small files per partition; crash-safe (manifest swap, then garbage collection). */
  compact(): Promise<{ before: number; after: number }>;
  /** SQL over views `events`, `connections`, `user_changes`, `activity`, `api_calls`. */
  query(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}
