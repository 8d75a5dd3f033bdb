import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AuditlakeError } from './errors.js';

/**
 * Encrypts records kept at rest outside the lake and the vault (quarantine entries, collector write-ahead
 * buffers) so nothing of an audit log sits in clear on disk when the home has keys. The key is derived (HKDF-SHA256,
 * one key per purpose) from the lake key, which the keyring wraps: the same key access reads lake and records,
 * and re-wrapping the lake key under a new customer key (reencrypt) keeps them readable.
 * Sealed form: version byte 1, 12-byte IV, 16-byte GCM tag, ciphertext.
 */
export interface RecordCipher {
  seal(plain: Buffer): Buffer;
  /** Fails with E_INTEGRITY when the bytes were modified or sealed under another key; `what` names them. */
  open(sealed: Buffer, what: string): Buffer;
}

export function createRecordCipher(lakeKey: Buffer, purpose: string): RecordCipher {
  const key = Buffer.from(hkdfSync('sha256', lakeKey, Buffer.alloc(0), `auditlake:records-at-rest:${purpose}`, 32));
  const aad = Buffer.from(purpose, 'utf8');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
    },
    open(sealed, what) {
      if (sealed.length < 29 || sealed[0] !== 1) throw new AuditlakeError('E_INTEGRITY', `${what}: not a sealed record (version ${sealed[0]}, ${sealed.length} bytes)`);
      try {
        const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13)).setAAD(aad).setAuthTag(sealed.subarray(13, 29));
        return Buffer.concat([d.update(sealed.subarray(29)), d.final()]);
      } catch (err) {
        throw new AuditlakeError('E_INTEGRITY', `${what}: cannot decrypt (modified, or sealed under another home's key)`, { cause: err });
      }
    },
  };
}
