import type { Readable } from 'node:stream';
import type { ObjectKeyInfo } from './decode.js';
import type { SourceObjectRef } from './lake.js';

/**
 * Keeps the byte-for-byte evidence copy of each ingested source object (the vault, src/vault).
 * The ingest pipeline calls keep() for every object before committing its events to the lake;
 * keep() must be idempotent (a re-run after a crash may call it again for the same ref).
 */
export interface EvidenceSink {
  keep(ref: SourceObjectRef, info: ObjectKeyInfo, original: Readable): Promise<void>;
  /** Seals what was kept so far (the vault signs a checkpoint); called before every lake commit. */
  commit?(): Promise<unknown>;
}
