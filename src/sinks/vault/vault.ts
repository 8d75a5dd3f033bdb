import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AuditlakeError } from '../../core/errors.js';
import type { ObjectKeyInfo } from '../../core/decode.js';
import type { ChainHeadInfo, DigestRecorder } from '../../core/digest.js';
import type { Keyring } from '../../core/keyring.js';
import type { EvidenceSink } from '../../core/evidence-sink.js';
import type { SourceObjectRef } from '../../core/lake.js';
import type { ObjectInfo, ObjectStore } from '../../core/object-store.js';
import { createByteReader } from './byte-reader.js';
import { VAULT_SUFFIX } from './envelope-format.js';
import { baseName, vaultKeyFor, type VaultPlacement } from './layout.js';
import { open, readPrefix, type EnvelopePrefix, type OpenResult } from './open.js';
import { seal, type SealResult } from './seal.js';

export interface VaultOptions {
  store: ObjectStore;
  keyring: Keyring;
  /** Customer key (id or alias) for new objects. */
  keyId: string;
  /** Notified after every put, when configured. */
  digest?: DigestRecorder;
  /** Plaintext bytes per frame (default 1 MiB). */
  frameSize?: number;
  gzipLevel?: number;
}

export interface VaultPutMeta extends Partial<VaultPlacement> {
  /** Source object version; makes put idempotent (same source version → same vault key, no second copy). */
  source?: SourceObjectRef;
  oldestEventTime?: number;
  newestEventTime?: number;
}

export interface VaultPutResult extends Partial<SealResult> {
  key: string;
  /** True when an identical copy (same source version) was already there and nothing was written. */
  existed: boolean;
}

export interface Vault extends EvidenceSink {
  readonly store: ObjectStore;
  readonly keyring: Keyring;
  /** Envelope-encrypts `plaintext` (streamed) to `AWSLogs/…/<name>.alv`. */
  put(sourceKey: string, plaintext: AsyncIterable<Buffer | string>, meta: VaultPutMeta): Promise<VaultPutResult>;
  /** The original bytes; the stream errors (E_INTEGRITY / E_KEY) if anything does not verify. */
  get(key: string): Promise<Readable>;
  /** Like get, plus a promise of the verified SHA-256 / size. */
  open(key: string): Promise<OpenResult>;
  /** Key block and header of one object (unauthenticated until opened). */
  inspect(key: string): Promise<EnvelopePrefix>;
  /** Signs what was stored since the last call into a checkpoint (end of every ingest commit); the chain head. */
  commit(): Promise<ChainHeadInfo | null>;
  /** Vault objects (`AWSLogs/…/*.alv`) in key order. */
  list(prefix?: string): AsyncIterable<ObjectInfo>;
}

/**
 * The evidence vault: every source object kept byte-for-byte, envelope-encrypted (src/vault/seal.ts) under a
 * customer-managed key, in the AWSLogs layout. Format: docs/reference/vault-format.md.
 */
export function createVault(opts: VaultOptions): Vault {
  const { store, keyring, digest } = opts;

  async function inspect(key: string): Promise<EnvelopePrefix> {
    const body = await store.get(key);
    try {
      return await readPrefix(createByteReader(body), key);
    } finally {
      body.destroy();
    }
  }

  /** True when `key` already holds the envelope of exactly this source version. */
  async function holdsSame(key: string, ref: SourceObjectRef): Promise<boolean> {
    const { header } = await inspect(key);
    const s = header.object.source;
    return !!s && s.store === ref.store && s.key === ref.key && s.etag === ref.etag && s.size === ref.size;
  }

  async function drain(input: AsyncIterable<unknown>): Promise<void> {
    for await (const _ of input) { /* discard: the caller's stream must still be consumed */ }
  }

  const vault: Vault = {
    store,
    keyring,
    async put(sourceKey, plaintext, meta) {
      const name = meta.name ?? baseName(sourceKey);
      let key = vaultKeyFor({ account: meta.account ?? '', service: meta.service ?? '', region: meta.region ?? '', date: meta.date ?? '', name });
      if (await store.head(key)) {
        if (!meta.source) throw new AuditlakeError('E_EXISTS', `vault: ${key} already exists and no source version was given to tell whether it is the same object`);
        if (await holdsSame(key, meta.source)) {
          await drain(plaintext);
          return { key, existed: true };
        }
        // Same name, another version of the source (re-delivered file): keep both; the suffix is stable per version.
        const tag = createHash('sha256').update(`${meta.source.store}\n${meta.source.key}\n${meta.source.etag}\n${meta.source.size}`).digest('hex').slice(0, 12);
        key = key.slice(0, -VAULT_SUFFIX.length) + `~${tag}${VAULT_SUFFIX}`;
        if ((await store.head(key)) && (await holdsSame(key, meta.source))) {
          await drain(plaintext);
          return { key, existed: true };
        }
      }
      const sealed = seal(plaintext, {
        keyring, keyId: opts.keyId, vaultKey: key, name, frameSize: opts.frameSize, gzipLevel: opts.gzipLevel,
        ...(meta.source ? { source: { store: meta.source.store, key: meta.source.key, etag: meta.source.etag, size: meta.source.size } } : {}),
      });
      // Intent first: a kill -9 between the put and record() leaves a trace the next checkpoint reconciles.
      if (digest) await digest.recordIntent({ key });
      try {
        await store.put(key, sealed.stream, { contentType: 'application/vnd.auditlake.alv' });
      } catch (err) {
        sealed.stream.destroy();
        // Prefer the sealing error (disabled key, unreadable source) over the store's echo of it.
        const sealErr = await sealed.done.then(() => null, (e: unknown) => e);
        const e = sealErr ?? err;
        if (e instanceof AuditlakeError) throw new AuditlakeError(e.code, e.message.startsWith('vault:') ? e.message : `vault: put ${key}: ${e.message}`, { cause: e });
        throw new AuditlakeError('E_IO', `vault: put ${key} failed: ${(e as Error).message}`, { cause: e });
      }
      const r = await sealed.done;
      if (digest) {
        await digest.record({
          key, sha256: r.storedSha256, size: r.storedSize, plaintextSha256: r.plaintextSha256,
          ...(meta.oldestEventTime !== undefined ? { oldestEventTime: meta.oldestEventTime } : {}),
          ...(meta.newestEventTime !== undefined ? { newestEventTime: meta.newestEventTime } : {}),
        });
      }
      return { key, existed: false, ...r };
    },
    async keep(ref: SourceObjectRef, info: ObjectKeyInfo, original: Readable) {
      await vault.put(ref.key, original, {
        account: info.account, service: info.service, region: info.region, date: info.keyDate, name: baseName(info.key || ref.key), source: ref,
      });
    },
    async commit() {
      return digest ? digest.checkpoint() : null;
    },
    async open(key) {
      return open(await store.get(key), { keyring, vaultKey: key });
    },
    async get(key) {
      return (await vault.open(key)).stream;
    },
    inspect,
    async *list(prefix = 'AWSLogs/') {
      for await (const o of store.list(prefix)) if (o.key.endsWith(VAULT_SUFFIX)) yield o;
    },
  };
  return vault;
}
