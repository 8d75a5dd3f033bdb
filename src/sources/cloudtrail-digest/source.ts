import { AuditlakeError, hasErrorCode } from '../../core/errors.js';
import { openStore } from '../../stores/open-store.js';
import { readAll } from '../../stores/read-all.js';
import type { ObjectStore } from '../../core/object-store.js';

/** Suffix of the sidecar that holds a local digest's signature (S3 keeps it in object metadata). */
export const SIG_SIDECAR = '.sig.json';

/**
 * Where CloudTrail files are read from: an S3 location (bucket + key prefix) or a local directory that mirrors a
 * bucket (`aws s3 sync s3://bucket dir`). Keys inside digests are full bucket keys; `keyPrefix` maps them to the
 * store's relative keys.
 */
export interface CloudTrailSource {
  store: ObjectStore;
  /** Bucket the files live in; null for a local directory without --bucket (bucket names are then not checked). */
  bucket: string | null;
  /** Full key = keyPrefix + relative store key. */
  keyPrefix: string;
  /** How to show a full key in output (`s3://bucket/key` or a local path). */
  display(fullKey: string): string;
  relKey(fullKey: string): string | null;
  /** The digest's signature and algorithm: S3 metadata `signature`/`signature-algorithm`, else `<key>.sig.json`. */
  signature(relKey: string): Promise<{ signature: string | null; algorithm: string | null }>;
  /** Whole object; null when absent. */
  read(relKey: string): Promise<Buffer | null>;
}

export function openCloudTrailSource(location: string, opts: { bucket?: string; keyPrefix?: string; store?: ObjectStore } = {}): CloudTrailSource {
  let bucket: string | null = opts.bucket ?? null;
  let keyPrefix = opts.keyPrefix ?? '';
  if (location.startsWith('s3://')) {
    const rest = location.slice(5);
    const slash = rest.indexOf('/');
    bucket = slash === -1 ? rest : rest.slice(0, slash);
    const p = slash === -1 ? '' : rest.slice(slash + 1);
    keyPrefix = p && !p.endsWith('/') ? p + '/' : p;
  }
  if (keyPrefix && !keyPrefix.endsWith('/')) keyPrefix += '/';
  const store = opts.store ?? openStore(location);
  const root = location.replace(/\/+$/, '');
  return {
    store,
    bucket,
    keyPrefix,
    display: (k) => (bucket ? `s3://${bucket}/${k}` : `${root}/${k.startsWith(keyPrefix) ? k.slice(keyPrefix.length) : k}`),
    relKey: (k) => (k.startsWith(keyPrefix) ? k.slice(keyPrefix.length) : null),
    async signature(relKey) {
      const head = await store.head(relKey);
      if (head?.metadata?.signature) return { signature: head.metadata.signature, algorithm: head.metadata['signature-algorithm'] ?? null };
      const side = await this.read(relKey + SIG_SIDECAR);
      if (!side) return { signature: null, algorithm: null };
      try {
        const j = JSON.parse(side.toString('utf8')) as Record<string, unknown>;
        return { signature: typeof j.signature === 'string' ? j.signature : null, algorithm: typeof j['signature-algorithm'] === 'string' ? j['signature-algorithm'] : null };
      } catch (err) {
        throw new AuditlakeError('E_PARSE', `verify-cloudtrail: ${this.display(keyPrefix + relKey + SIG_SIDECAR)} is not JSON like {"signature": "<hex>", "signature-algorithm": "SHA256withRSA"}`, { cause: err });
      }
    },
    async read(relKey) {
      try {
        return await readAll(await store.get(relKey));
      } catch (err) {
        if (hasErrorCode(err, 'E_NOT_FOUND')) return null;
        throw err;
      }
    },
  };
}
