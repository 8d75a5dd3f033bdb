import { createHash } from 'node:crypto';
import type { EncryptionContext } from '../../core/keyring.js';

/**
 * The `.alv` object envelope (normative spec: docs/reference/vault-format.md `## Object envelope`):
 *
 *   "ALV1" | u32be K | key block (K bytes JSON) | u32be H | header (H bytes JSON) | frame* | trailer frame
 *   frame = u8 type | u32be n | ciphertext (n bytes) | GCM tag (16 bytes)
 *
 * Each frame is AES-256-GCM under the object's data key with
 *   IV  = noncePrefix (8 bytes, random per object) | u32be frame index (0, 1, …; the trailer takes the next index)
 *   AAD = SHA-256(header bytes) | u8 type | u32be index | u32be n
 * so frames cannot be reordered, dropped, truncated or moved to another object, and the header is authenticated
 * by every frame. The key block is authenticated by the keyring: the data key is wrapped with the encryption
 * context { auditlake:object = vault key, auditlake:header-sha256 = hex SHA-256(header bytes) }.
 */
export const MAGIC = Buffer.from('ALV1');
export const FRAME_DATA = 0;
export const FRAME_TRAILER = 1;
export const TAG_BYTES = 16;
export const DEFAULT_FRAME_SIZE = 1 << 20;
/** Largest frame a reader accepts, so a forged header cannot make it allocate without bound. */
export const MAX_FRAME_SIZE = 16 << 20;
/** Largest key block / header a reader accepts. */
export const MAX_JSON_BLOCK = 64 << 10;
export const ALGORITHM = 'AES-256-GCM';
export const VAULT_SUFFIX = '.alv';

export interface KeyBlock {
  /** `local` or `aws-kms`. */
  keyring: string;
  /** The customer key that wrapped the data key (canonical id / ARN). */
  keyId: string;
  /** base64 wrapped data key. */
  wrappedKey: string;
}

export interface EnvelopeHeader {
  v: 1;
  alg: typeof ALGORITHM;
  /** Plaintext bytes per data frame (the last may be shorter). */
  frameSize: number;
  /** base64 of 8 random bytes. */
  noncePrefix: string;
  /** `none`: the frames carry the original bytes (already gzip); `gzip`: the frames carry gzip(original). */
  compression: 'none' | 'gzip';
  object: {
    /** The vault key this envelope was written for (without staging suffixes). */
    vaultKey: string;
    /** Original file name. */
    name: string;
    /** Where the original came from, when known. */
    source?: { store: string; key: string; etag: string; size: number };
  };
  /** ISO-8601 time the envelope was sealed. */
  createdAt: string;
}

export interface Trailer {
  /** Lowercase hex SHA-256 of the original (evidence) bytes. */
  sha256: string;
  /** Size of the original bytes. */
  size: number;
}

export function frameAad(headerHash: Buffer, type: number, index: number, n: number): Buffer {
  const b = Buffer.alloc(32 + 1 + 4 + 4);
  headerHash.copy(b, 0);
  b.writeUInt8(type, 32);
  b.writeUInt32BE(index, 33);
  b.writeUInt32BE(n, 37);
  return b;
}

export function frameIv(noncePrefix: Buffer, index: number): Buffer {
  const iv = Buffer.alloc(12);
  noncePrefix.copy(iv, 0, 0, 8);
  iv.writeUInt32BE(index, 8);
  return iv;
}

export function wrapContext(vaultKey: string, headerBytes: Buffer): EncryptionContext {
  return { 'auditlake:object': vaultKey, 'auditlake:header-sha256': sha256Hex(headerBytes) };
}

export function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function lengthPrefixed(json: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** True when `a` and `b` name the same KMS key (an ARN ends in the key id) or are equal. */
export function sameKeyId(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
