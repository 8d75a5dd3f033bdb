import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AuditlakeError } from '../../core/errors.js';

/**
 * Parquet encryption keys. DuckDB 1.5.6 here has only its built-in mbedtls crypto (no httpfs/OpenSSL),
 * which it refuses to encrypt with unless `force_mbedtls_unsafe` is set, because its nonces come from a
 * non-cryptographic RNG (duckdb/duckdb#20148, #20420). AES-GCM only needs nonces to be unique per key,
 * so the lake never reuses a key across writes: every batch and every compaction gets a fresh key,
 * HKDF-SHA256(lake key, random 16-byte salt). The salt is stored per file in the manifest; the lake
 * key itself is never stored or logged.
 */
const INFO = Buffer.from('auditlake/lake/parquet/v1');

export interface WriteKey {
  /** Hex salt: stored in the manifest, also the DuckDB key name suffix. */
  salt: string;
  /** DuckDB key name (`PRAGMA add_parquet_key(name, …)`). */
  name: string;
  /** Base64 of the 32-byte derived key, for the PRAGMA only. */
  base64: string;
}

export function checkKeyLength(key: Buffer): void {
  if (key.length !== 32) throw new AuditlakeError('E_KEY', `lake: parquetKey must be 32 bytes (AES-256), got ${key.length}`);
}

export function deriveKey(master: Buffer, salt: string): WriteKey {
  const k = Buffer.from(hkdfSync('sha256', master, Buffer.from(salt, 'hex'), INFO, 32));
  return { salt, name: `k_${salt}`, base64: k.toString('base64') };
}

export function freshKey(master: Buffer): WriteKey {
  return deriveKey(master, randomBytes(16).toString('hex'));
}

/** A keyed check value that identifies the lake key without revealing it. */
export function keyCheck(master: Buffer): string {
  return createHmac('sha256', master).update('auditlake lake key check v1').digest('hex').slice(0, 32);
}
