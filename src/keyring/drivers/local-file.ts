import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AuditlakeError } from '../../core/errors.js';
import type { KeyringState } from './local-state.js';

/**
 * The local keyring's file: the whole key list AES-256-GCM-encrypted under a key derived with scrypt from a
 * passphrase (AAD = the format name). Reading, sealing and opening it, apart from the keyring's logic.
 */
export const FILE_FORMAT = 'auditlake-keyring/1';
/** scrypt cost: N=2^15, r=8 → 32 MiB and ~0.1 s per unlock (OWASP's minimum for scrypt is N=2^17 with r=8 at 128 MiB;
 * we take 2^15 because every CLI run unlocks once; raise `N` in the file to strengthen, it is read back from there). */
export const KDF = { name: 'scrypt', N: 1 << 15, r: 8, p: 1 } as const;

export interface KeyringFile {
  format: string;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  ciphertext: string;
}

/** The parsed file, or null when there is none yet. */
export async function readKeyringFile(file: string): Promise<KeyringFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuditlakeError('E_IO', `keyring: cannot read ${file}`, { cause: err });
  }
  try {
    const f = JSON.parse(text) as KeyringFile;
    if (f.format !== FILE_FORMAT) throw new AuditlakeError('E_PARSE', `field format is ${JSON.stringify(f.format)}, expected ${FILE_FORMAT}`);
    return f;
  } catch (err) {
    throw new AuditlakeError('E_KEY', `keyring: ${file} is not a keyring file: ${(err as Error).message}`, { cause: err });
  }
}

/** Decrypts the key list; a wrong passphrase and a modified file look the same (GCM tag mismatch). */
export function openKeyringState(f: KeyringFile, kek: Buffer, file: string): KeyringState {
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(f.iv, 'base64'));
    d.setAAD(Buffer.from(FILE_FORMAT));
    d.setAuthTag(Buffer.from(f.tag, 'base64'));
    plain = Buffer.concat([d.update(Buffer.from(f.ciphertext, 'base64')), d.final()]);
  } catch (err) {
    throw new AuditlakeError('E_KEY', `keyring: wrong passphrase for ${file} (or the file was modified)`, { cause: err });
  }
  const state = JSON.parse(plain.toString('utf8')) as KeyringState;
  plain.fill(0);
  return state;
}

/** Encrypts the key list under `kek` with a fresh IV. */
export function sealKeyringState(state: KeyringState, kek: Buffer, kdf: KeyringFile['kdf']): KeyringFile {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(Buffer.from(FILE_FORMAT));
  const ct = Buffer.concat([c.update(Buffer.from(JSON.stringify(state), 'utf8')), c.final()]);
  return { format: FILE_FORMAT, kdf, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ciphertext: ct.toString('base64') };
}

export function deriveKek(pass: string, salt: Buffer, kdf: KeyringFile['kdf']): Promise<Buffer> {
  if (kdf.name !== 'scrypt') throw new AuditlakeError('E_KEY', `keyring: unknown kdf ${JSON.stringify(kdf.name)}`);
  return new Promise((res, rej) =>
    scrypt(pass, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r * kdf.p }, (err, key) =>
      err ? rej(new AuditlakeError('E_KEY', 'keyring: key derivation failed', { cause: err })) : res(key)),
  );
}
