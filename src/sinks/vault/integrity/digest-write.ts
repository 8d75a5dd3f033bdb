import { gzipBufferSync } from '../../../core/gzip.js';
import type { ObjectStore } from '../../../core/object-store.js';
import {
  DIGEST_VERSION,
  HASH_ALGORITHM,
  SIGNATURE_ALGORITHM,
  digestKey,
  isoSeconds,
  sha256Hex,
  stringToSign,
  type ChainLocation,
  type DigestBody,
} from './digest-format.js';
import type { ChainHead } from './digest-head.js';
import type { RecordEntry } from './journal.js';
import type { DigestSigner } from './signing-key.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function digestObjects(entries: RecordEntry[]): DigestBody['objects'] {
  return entries.flatMap((e) =>
    e.kind === 'object'
      ? [{
          key: e.key,
          hashValue: e.sha256,
          hashAlgorithm: HASH_ALGORITHM,
          size: e.size,
          oldestEventTime: iso(e.oldestEventTime),
          newestEventTime: iso(e.newestEventTime),
          recordedTime: new Date(e.t).toISOString(),
          ...(e.plaintextSha256 ? { plaintextHashValue: e.plaintextSha256 } : {}),
        } as const]
      : [],
  );
}

function digestDeletions(entries: RecordEntry[]): DigestBody['deletions'] {
  return entries.flatMap((e) =>
    e.kind === 'deletion'
      ? [{ key: e.key, hashValue: e.sha256, hashAlgorithm: HASH_ALGORITHM, reason: e.reason, rule: e.rule, deletedTime: new Date(e.t).toISOString() } as const]
      : [],
  );
}

/** The digest of one period [startMs, endMs): its entries, the event-time span, and the link to `prev`. */
export function digestBody(loc: ChainLocation, fingerprint: string, startMs: number, endMs: number, prev: ChainHead | null, entries: RecordEntry[]): DigestBody {
  const oldest = Math.min(...entries.flatMap((e) => (e.kind === 'object' && e.oldestEventTime !== undefined ? [e.oldestEventTime] : [])));
  const newest = Math.max(...entries.flatMap((e) => (e.kind === 'object' && e.newestEventTime !== undefined ? [e.newestEventTime] : [])));
  return {
    version: DIGEST_VERSION,
    chainAccount: loc.account,
    chainRegion: loc.region,
    digestStartTime: isoSeconds(startMs),
    digestEndTime: isoSeconds(endMs),
    periodSeconds: loc.periodMs / 1000,
    digestObject: digestKey(loc, endMs),
    digestPublicKeyFingerprint: fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    oldestEventTime: Number.isFinite(oldest) ? new Date(oldest).toISOString() : null,
    newestEventTime: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
    previousDigestObject: prev?.key ?? null,
    previousDigestHashValue: prev?.sha256 ?? null,
    previousDigestHashAlgorithm: prev ? HASH_ALGORITHM : null,
    previousDigestSignature: prev?.signature ?? null,
    objects: digestObjects(entries),
    deletions: digestDeletions(entries),
  };
}

/** Signs and stores one digest (gzip JSON, signature in the object's metadata); returns the new chain head. */
export async function writeDigest(store: ObjectStore, signer: DigestSigner, loc: ChainLocation, startMs: number, endMs: number, prev: ChainHead | null, entries: RecordEntry[]): Promise<ChainHead> {
  const body = digestBody(loc, signer.fingerprint, startMs, endMs, prev, entries);
  const key = body.digestObject;
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  const sha256 = sha256Hex(json);
  const signature = signer.sign(stringToSign(body, sha256));
  await store.put(key, gzipBufferSync(json), {
    contentType: 'application/gzip',
    metadata: { signature, 'signature-algorithm': SIGNATURE_ALGORITHM },
  });
  return { key, endMs, sha256, signature };
}
