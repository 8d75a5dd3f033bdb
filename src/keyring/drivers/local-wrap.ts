import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AuditlakeError } from '../../core/errors.js';
import type { EncryptionContext } from '../../core/keyring.js';
import { canonicalContext, contextLabel } from '../context.js';
import { findKey, usableKey, type KeyRecord, type KeyringState } from './local-state.js';

/**
 * A data key wrapped by the local keyring:
 * `"ALK1" | u8 idLen | id | u32be version | iv(12) | ct(32) | tag(16)` with AAD = the first part plus the
 * canonical encryption context (see docs/reference/vault-format.md).
 */
const WRAP_MAGIC = Buffer.from('ALK1');

export function wrapDataKey(rec: KeyRecord, version: number, dataKey: Buffer, context: EncryptionContext | undefined): Buffer {
  const id = Buffer.from(rec.id, 'utf8');
  const head = Buffer.concat([WRAP_MAGIC, Buffer.from([id.length]), id, u32(version)]);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', material(rec, version), iv);
  c.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const ct = Buffer.concat([c.update(dataKey), c.final()]);
  return Buffer.concat([head, iv, ct, c.getAuthTag()]);
}

export function unwrapDataKey(s: KeyringState, blob: Buffer, context: EncryptionContext | undefined, file: string): { plaintext: Buffer; rec: KeyRecord } {
  const where = contextLabel(context);
  const bad = (why: string) => new AuditlakeError('E_INTEGRITY', `keyring: wrapped data key${where} ${why}`);
  if (blob.length < 4 + 1 + 4 + 12 + 32 + 16 || !blob.subarray(0, 4).equals(WRAP_MAGIC)) throw bad('is not a local keyring blob');
  const idLen = blob[4];
  const id = blob.subarray(5, 5 + idLen).toString('utf8');
  const headEnd = 5 + idLen + 4;
  if (blob.length !== headEnd + 12 + 32 + 16) throw bad('has the wrong length');
  const version = blob.readUInt32BE(5 + idLen);
  const rec = usableKey(s, findKey(s, id, file, where), where);
  if (version < 1 || version > rec.versions.length) throw bad(`names version ${version} of key ${rec.id}, which has ${rec.versions.length}`);
  const d = createDecipheriv('aes-256-gcm', material(rec, version), blob.subarray(headEnd, headEnd + 12));
  d.setAAD(Buffer.concat([blob.subarray(0, headEnd), canonicalContext(context)]));
  d.setAuthTag(blob.subarray(headEnd + 44));
  try {
    return { plaintext: Buffer.concat([d.update(blob.subarray(headEnd + 12, headEnd + 44)), d.final()]), rec };
  } catch (err) {
    throw new AuditlakeError('E_INTEGRITY', `keyring: wrapped data key${where} does not authenticate under key ${rec.id} v${version} (blob or encryption context modified)`, { cause: err });
  }
}

function material(rec: KeyRecord, version: number): Buffer {
  return Buffer.from(rec.versions[version - 1].material, 'base64');
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
