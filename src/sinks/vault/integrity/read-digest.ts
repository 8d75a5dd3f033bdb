import { AuditlakeError, hasErrorCode } from '../../../core/errors.js';
import { gunzipBufferSync } from '../../../core/gzip.js';
import { readAll } from '../../../stores/read-all.js';
import type { ObjectStore } from '../../../core/object-store.js';
import { assertDigestBody, sha256Hex, type DigestBody } from './digest-format.js';

/** One digest as read back from the store. */
export interface LoadedDigest {
  key: string;
  body: DigestBody;
  /** Hex SHA-256 of the gunzipped bytes exactly as stored (what the signature and the next digest cover). */
  sha256: string;
  /** From object metadata `signature`; null when absent. */
  signature: string | null;
  signatureAlgorithm: string | null;
}

export type DigestReadResult = { ok: true; digest: LoadedDigest } | { ok: false; reason: 'not-found' | 'invalid-format'; detail: string };

/** Reads, gunzips and parses one digest; never throws for a missing or malformed digest (returns why instead). */
export async function readDigest(store: ObjectStore, key: string): Promise<DigestReadResult> {
  const head = await store.head(key);
  if (!head) return { ok: false, reason: 'not-found', detail: 'not found' };
  let raw: Buffer;
  try {
    raw = await readAll(await store.get(key));
  } catch (err) {
    if (hasErrorCode(err, 'E_NOT_FOUND')) return { ok: false, reason: 'not-found', detail: 'not found' };
    throw err;
  }
  let json: Buffer;
  try {
    json = gunzipBufferSync(raw);
  } catch (err) {
    return { ok: false, reason: 'invalid-format', detail: `not gzip (${(err as Error).message})` };
  }
  let body: unknown;
  try {
    body = JSON.parse(json.toString('utf8'));
    assertDigestBody(body, key);
  } catch (err) {
    return { ok: false, reason: 'invalid-format', detail: err instanceof AuditlakeError ? err.message : 'not JSON' };
  }
  return {
    ok: true,
    digest: {
      key,
      body,
      sha256: sha256Hex(json),
      signature: head.metadata?.signature ?? null,
      signatureAlgorithm: head.metadata?.['signature-algorithm'] ?? null,
    },
  };
}
