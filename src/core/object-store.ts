import type { Readable } from 'node:stream';

/** What a store knows about one object. */
export interface ObjectInfo {
  /** Key relative to the store's root (always `/`-separated, no leading `/`). */
  key: string;
  size: number;
  /** A version token: S3 ETag, or `<size>-<mtimeMs>` for files. Changes when content changes. */
  etag: string;
  lastModified: Date;
  /** User metadata (S3 `x-amz-meta-*`); only filled by head(). */
  metadata?: Record<string, string>;
}

export type ServerSideEncryption = { mode: 'none' } | { mode: 'sse-s3' } | { mode: 'sse-kms'; keyId: string };

export interface PutOptions {
  metadata?: Record<string, string>;
  contentType?: string;
}

/**
 * One interface for every place objects live (filesystem, S3, memory).
 * Invariant: put() never overwrites — writing an existing key fails with AuditlakeError E_EXISTS.
 * Drivers: src/stores/drivers/{fs,s3,memory}.ts; contract suite: test/contracts/object-store.contract.ts.
 */
export interface ObjectStore {
  /** Human-readable location, e.g. `file:///data/logs` or `s3://bucket/prefix`. */
  readonly url: string;
  /** All objects whose key starts with `prefix`, in lexicographic key order. */
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  /** null when absent. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Streams the bytes; fails with E_NOT_FOUND when absent. */
  get(key: string): Promise<Readable>;
  /** Creates the object; fails with E_EXISTS if it exists. */
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<ObjectInfo>;
  delete(key: string): Promise<void>;
}
