import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuditlakeError } from '../../core/errors.js';

export interface CloudTrailPublicKey {
  fingerprint: string;
  key: KeyObject | null;
  /** Why `key` is null (the DER loads neither as PKCS#1 nor as SPKI). */
  loadError?: string;
  validityStart?: string;
  validityEnd?: string;
}

/** CloudTrail's fingerprint: lowercase hex MD5 of the DER bytes (formats.md C.3, checked on the doc's sample keys). */
export function cloudTrailFingerprint(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

/**
 * Loads a DER public key: PKCS#1 RSAPublicKey first (what ListPublicKeys documents), then X.509 SPKI (what the
 * doc's own sample key actually is — formats.md C.3 "key encoding trap").
 */
export function loadRsaDer(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
  } catch {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  }
}

/**
 * Reads `--public-keys FILE`: the JSON printed by `aws cloudtrail list-public-keys` (`{"PublicKeyList":[{"Value":
 * base64 DER, "ValidityStartTime", "ValidityEndTime", "Fingerprint"}]}`), or a bare array of such entries.
 */
export async function readPublicKeysFile(path: string): Promise<Map<string, CloudTrailPublicKey>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AuditlakeError('E_USAGE', `verify-cloudtrail: --public-keys ${path} is not readable JSON (expected the output of \`aws cloudtrail list-public-keys\`)`, { cause: err });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { PublicKeyList?: unknown })?.PublicKeyList;
  if (!Array.isArray(list)) throw new AuditlakeError('E_USAGE', `verify-cloudtrail: ${path}: field PublicKeyList is missing or not an array`);
  const out = new Map<string, CloudTrailPublicKey>();
  list.forEach((e: Record<string, unknown>, i) => {
    if (typeof e?.Value !== 'string') throw new AuditlakeError('E_USAGE', `verify-cloudtrail: ${path}: PublicKeyList[${i}].Value is missing or not base64 text`);
    const der = Buffer.from(e.Value, 'base64');
    const fingerprint = cloudTrailFingerprint(der);
    if (typeof e.Fingerprint === 'string' && e.Fingerprint.toLowerCase() !== fingerprint) {
      throw new AuditlakeError('E_USAGE', `verify-cloudtrail: ${path}: PublicKeyList[${i}].Fingerprint ${e.Fingerprint} is not the MD5 of its Value (${fingerprint})`);
    }
    let key: KeyObject | null = null;
    let loadError: string | undefined;
    try {
      key = loadRsaDer(der);
    } catch (err) {
      loadError = (err as Error).message;
    }
    out.set(fingerprint, {
      fingerprint,
      key,
      ...(loadError ? { loadError } : {}),
      ...(typeof e.ValidityStartTime === 'string' ? { validityStart: e.ValidityStartTime } : {}),
      ...(typeof e.ValidityEndTime === 'string' ? { validityEnd: e.ValidityEndTime } : {}),
    });
  });
  return out;
}
