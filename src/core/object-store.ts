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

/** S3 Object Lock on one object version (ignored by stores without it: fs, memory). */
export interface ObjectLockOptions {
  /** GOVERNANCE (privileged users may shorten) or COMPLIANCE (nobody can, not even root). */
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  retainUntil: Date;
}

export interface PutOptions {
  metadata?: Record<string, string>;
  contentType?: string;
  /** Object Lock retention for the new version (S3 only; the bucket must have Object Lock enabled). */
  lock?: ObjectLockOptions;
  /** Place an S3 legal hold on the new version. */
  legalHold?: boolean;
}

export interface ReplaceOptions extends PutOptions {
  /** The etag the object must still have (compare-and-swap); otherwise E_CONFLICT and nothing changes. */
  ifMatch: string;
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
  /**
   * Replaces an existing object only if it still has etag `ifMatch` (S3 `If-Match`; fs and memory enforce it
   * atomically). For the few mutable objects (manifests, state, leases): a lost race fails with E_CONFLICT,
   * never overwrites silently; E_NOT_FOUND when the object is gone.
   */
  replace(key: string, body: Buffer, options: ReplaceOptions): Promise<ObjectInfo>;
  delete(key: string): Promise<void>;
}
