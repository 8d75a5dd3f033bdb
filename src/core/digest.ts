/**
 * Seam between the vault (src/sinks/vault) and the signed digest chain (src/integrity).
 *
 * The vault calls `record()` after every successful put of an evidence object and `recordDeletion()` after every
 * authorised deletion (retention expiry); `flush()` closes every period whose end is <= `now` by writing and signing
 * its digest file into the same ObjectStore. Digest format: docs/reference/vault-format.md `## Digest files`.
 */

/** One object written to the vault in a digest period. */
export interface DigestObjectEntry {
  /** Store key of the object exactly as written (e.g. `AWSLogs/123/redshift/us-east-1/2026/11/24/x.gz.enc`). */
  key: string;
  /** Lowercase hex SHA-256 of the object's bytes as stored (the ciphertext envelope, what verify re-hashes). */
  sha256: string;
  /** Stored size in bytes. */
  size: number;
  /** Oldest / newest event time in the object, UTC ms since the epoch (omit when unknown / no events). */
  oldestEventTime?: number;
  newestEventTime?: number;
  /** Optional: lowercase hex SHA-256 of the plaintext (evidence) bytes, for auditors holding the key. */
  plaintextSha256?: string;
}

/** Why an object was deleted on purpose. Anything not recorded here is tampering to `verify`. */
export type DeletionReason = 'retention' | 'reencrypt' | 'operator';

/** One authorised deletion in a digest period. */
export interface DigestDeletionEntry {
  key: string;
  /** Hex SHA-256 of the stored bytes that were deleted (as recorded when the object was written). */
  sha256: string;
  reason: DeletionReason;
  /** Human-readable rule that authorised it, e.g. `retention redshift/123456789012 180d (pci-dss)`. */
  rule: string;
}

/** Records vault writes and deletions and turns each period into a signed digest file. */
export interface DigestRecorder {
  /** Note one object written. Durable: survives a crash before the period's digest is written. */
  record(entry: DigestObjectEntry): Promise<void>;
  /**
   * Note one authorised deletion. Call it *before* deleting: a crash in between leaves a recorded deletion of an
   * object still present, which verify accepts; the reverse order would leave an unexplained missing object.
   */
  recordDeletion(entry: DigestDeletionEntry): Promise<void>;
  /**
   * Write digests for every period that ended at or before `now` (default: Date.now()), including empty periods
   * since the last digest (so gaps are detectable). Returns the keys of the digests written.
   */
  flush(now?: number): Promise<string[]>;
  /**
   * Note a write about to happen (before the put), so a crash between the put and record() is recovered: the next
   * checkpoint or flush hashes the object and records it. `from`/`to`: stored hashes of a replacement (re-encryption).
   */
  recordIntent(entry: DigestIntentEntry): Promise<void>;
  /**
   * Sign what was recorded since the last checkpoint (and the newest digest) into a checkpoint object in the store;
   * ingest calls it at the end of every commit. Returns the chain head to keep (`verify --expect-head`), or null.
   */
  checkpoint(): Promise<ChainHeadInfo | null>;
}

export interface DigestIntentEntry {
  key: string;
  from?: string;
  to?: string;
}

/** What a user keeps to detect a cut-off or rolled-back chain later (`auditlake verify --expect-head <sha256>`). */
export interface ChainHeadInfo {
  /** Hex SHA-256 of the newest checkpoint (gunzipped bytes). */
  sha256: string;
  key: string;
  seq: number;
  createdTime: string;
}
