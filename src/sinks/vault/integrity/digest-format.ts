import { AuditlakeError } from '../../../core/errors.js';
import { isoSeconds } from '../../../core/iso-seconds.js';
import { sha256Hex } from '../../../core/sha256-hex.js';

// Shared with the CloudTrail digest validator (src/sources/cloudtrail-digest), hence in core.
export { isoSeconds, sha256Hex };

/**
 * The auditlake digest file: CloudTrail's digest design (formats.md Part C) with Ed25519 signatures and two
 * additions CloudTrail lacks: `deletions` (authorised expiries) and `periodSeconds` (so a verifier can tell how many
 * digests a gap swallowed). Spec: docs/reference/vault-format.md `## Digest files`.
 */
export const DIGEST_VERSION = 1;
export const SIGNATURE_ALGORITHM = 'Ed25519';
export const HASH_ALGORITHM = 'SHA-256';
/** Folder name in the key, like CloudTrail's `CloudTrail-Digest`. */
export const DIGEST_SERVICE = 'auditlake-digest';

export interface DigestObjectRecord {
  key: string;
  hashValue: string;
  hashAlgorithm: typeof HASH_ALGORITHM;
  size: number;
  oldestEventTime: string | null;
  newestEventTime: string | null;
  /** When the vault wrote it (ISO, ms precision). */
  recordedTime: string;
  /** Hex SHA-256 of the plaintext, when the vault supplied it. */
  plaintextHashValue?: string;
}

export interface DigestDeletionRecord {
  key: string;
  hashValue: string;
  hashAlgorithm: typeof HASH_ALGORITHM;
  reason: string;
  rule: string;
  deletedTime: string;
}

/** The JSON body of one digest file (stored gzipped; signed over the gunzipped bytes). */
export interface DigestBody {
  version: number;
  chainAccount: string;
  chainRegion: string;
  digestStartTime: string;
  digestEndTime: string;
  periodSeconds: number;
  digestObject: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  oldestEventTime: string | null;
  newestEventTime: string | null;
  previousDigestObject: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  objects: DigestObjectRecord[];
  deletions: DigestDeletionRecord[];
}

/** Where a chain's digests live and how long a period is. */
export interface ChainLocation {
  account: string;
  region: string;
  periodMs: number;
}

function compactStamp(ms: number): string {
  return isoSeconds(ms).replace(/[-:]/g, '');
}

/** Prefix under which every digest of the chain lives (`AWSLogs/<acct>/auditlake-digest/<region>/`). */
export function digestPrefix(loc: Pick<ChainLocation, 'account' | 'region'>): string {
  return `AWSLogs/${loc.account}/${DIGEST_SERVICE}/${loc.region}/`;
}

/**
 * `AWSLogs/<acct>/auditlake-digest/<region>/YYYY/MM/DD/<acct>_auditlake-digest_<region>_<YYYYMMDDTHHMMSSZ>.json.gz`,
 * dated by the period's end. Deterministic, so a verifier can name a missing digest exactly.
 */
export function digestKey(loc: Pick<ChainLocation, 'account' | 'region'>, endMs: number): string {
  const iso = isoSeconds(endMs);
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  return `${digestPrefix(loc)}${y}/${m}/${d}/${loc.account}_${DIGEST_SERVICE}_${loc.region}_${compactStamp(endMs)}.json.gz`;
}

const KEY_RE = /(?:^|\/)AWSLogs\/([^/]+)\/auditlake-digest\/([^/]+)\/\d{4}\/\d{2}\/\d{2}\/([^/_]+)_auditlake-digest_([^/_]+)_(\d{8}T\d{6}Z)\.json\.gz$/;

/** Parses a digest key; null when `key` is not one. */
export function parseDigestKey(key: string): { account: string; region: string; endMs: number } | null {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const s = m[5];
  const endMs = Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
  return Number.isNaN(endMs) ? null : { account: m[1], region: m[2], endMs };
}

/** True for keys under any `auditlake-digest` folder (never vault objects). */
export function isDigestKey(key: string): boolean {
  return parseDigestKey(key) !== null;
}


/**
 * The exact bytes that are signed (UTF-8, `\n`-separated, no trailing newline), modelled on CloudTrail's
 * data-signing string: end time as in the JSON, the digest's own key, hex SHA-256 of the gunzipped digest bytes,
 * the previous digest's hex signature or the literal `null` for a starting digest.
 */
export function stringToSign(body: Pick<DigestBody, 'digestEndTime' | 'digestObject' | 'previousDigestSignature'>, digestSha256Hex: string): string {
  return `${body.digestEndTime}\n${body.digestObject}\n${digestSha256Hex}\n${body.previousDigestSignature ?? 'null'}`;
}

/** Throws E_PARSE naming the field when `value` is not a digest body. */
export function assertDigestBody(value: unknown, where: string): asserts value is DigestBody {
  const fail = (field: string, why: string) => {
    throw new AuditlakeError('E_PARSE', `digest: ${where}: field ${field} ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('(root)', 'is not a JSON object');
  const v = value as Record<string, unknown>;
  if (v.version !== DIGEST_VERSION) fail('version', `is ${JSON.stringify(v.version)}, expected ${DIGEST_VERSION}`);
  for (const f of ['digestStartTime', 'digestEndTime', 'digestObject', 'digestPublicKeyFingerprint', 'digestSignatureAlgorithm', 'chainAccount', 'chainRegion']) {
    if (typeof v[f] !== 'string') fail(f, 'is missing or not a string');
  }
  for (const f of ['previousDigestObject', 'previousDigestHashValue', 'previousDigestSignature']) {
    if (v[f] !== null && typeof v[f] !== 'string') fail(f, 'must be a string or null');
  }
  if (typeof v.periodSeconds !== 'number' || !(v.periodSeconds > 0)) fail('periodSeconds', 'must be a positive number');
  if (!Array.isArray(v.objects)) fail('objects', 'must be an array');
  if (!Array.isArray(v.deletions)) fail('deletions', 'must be an array');
  (v.objects as unknown[]).forEach((o, i) => {
    const r = o as Record<string, unknown>;
    if (!r || typeof r.key !== 'string' || typeof r.hashValue !== 'string') fail(`objects[${i}]`, 'needs string key and hashValue');
  });
  (v.deletions as unknown[]).forEach((o, i) => {
    const r = o as Record<string, unknown>;
    if (!r || typeof r.key !== 'string' || typeof r.hashValue !== 'string') fail(`deletions[${i}]`, 'needs string key and hashValue');
  });
}
