import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../../core/errors.js';
import { sha256Hex } from './digest-format.js';

/** File names under the home's keys directory. */
export const SIGNING_KEY_FILE = 'digest-signing-key.pem';
export const PUBLIC_KEY_FILE = 'digest-signing-key.pub.pem';

/** Signs digests. The private key never leaves this object (no getter, never logged). */
export interface DigestSigner {
  /** Hex fingerprint = SHA-256 of the public key's SPKI DER. */
  readonly fingerprint: string;
  /** SPKI PEM of the public key, for auditors. */
  readonly publicKeyPem: string;
  /** Hex Ed25519 signature over the UTF-8 bytes of `data`. */
  sign(data: string): string;
}

/** SHA-256 over the SPKI DER of a public key, hex. */
export function publicKeyFingerprint(key: KeyObject): string {
  return sha256Hex(key.export({ type: 'spki', format: 'der' }));
}

export function createSigner(privateKey: KeyObject): DigestSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AuditlakeError('E_KEY', `digest signing key: expected an Ed25519 key, got ${privateKey.asymmetricKeyType}`);
  }
  const pub = createPublicKey(privateKey);
  return {
    fingerprint: publicKeyFingerprint(pub),
    publicKeyPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    // Ed25519 hashes internally; the algorithm argument must be null.
    sign: (data) => sign(null, Buffer.from(data, 'utf8'), privateKey).toString('hex'),
  };
}

/** Verifies a hex Ed25519 signature; false (never throws) for malformed hex. */
export function verifySignature(publicKey: KeyObject, data: string, signatureHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(signatureHex) || signatureHex.length % 2 !== 0) return false;
  try {
    return verify(null, Buffer.from(data, 'utf8'), publicKey, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/**
 * Loads the vault's digest signing key from `<keysDir>/digest-signing-key.pem`, creating it (mode 0600, public key
 * beside it) on first use. When AUDITLAKE_PASSPHRASE is set a new key file is encrypted with it (PKCS#8,
 * aes-256-cbc); an existing encrypted file needs it to load.
 */
export async function loadOrCreateSigningKey(keysDir: string, env: NodeJS.ProcessEnv = process.env): Promise<DigestSigner> {
  const path = join(keysDir, SIGNING_KEY_FILE);
  const passphrase = env.AUDITLAKE_PASSPHRASE || undefined;
  let pem: string | null = null;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuditlakeError('E_IO', `digest signing key: cannot read ${path}`, { cause: err });
  }
  if (pem !== null) {
    try {
      return createSigner(createPrivateKey({ key: pem, format: 'pem', ...(passphrase ? { passphrase } : {}) }));
    } catch (err) {
      if (err instanceof AuditlakeError) throw err;
      const encrypted = pem.includes('ENCRYPTED');
      throw new AuditlakeError('E_KEY', `digest signing key: cannot load ${path}${encrypted ? (passphrase ? ' (wrong passphrase in AUDITLAKE_PASSPHRASE?)' : ' (it is encrypted; set AUDITLAKE_PASSPHRASE)') : ''}`, { cause: err });
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const out = passphrase
    ? privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    : privateKey.export({ type: 'pkcs8', format: 'pem' });
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': two processes racing to create the key must not overwrite each other's key.
    await writeFile(path, out, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(keysDir, env);
    throw new AuditlakeError('E_IO', `digest signing key: cannot write ${path}`, { cause: err });
  }
  await chmod(path, 0o600);
  await writeFile(join(keysDir, PUBLIC_KEY_FILE), publicKey.export({ type: 'spki', format: 'pem' }).toString(), { mode: 0o644 });
  return createSigner(privateKey);
}

/** Every public key in a PEM file (several `BEGIN PUBLIC KEY` blocks allowed, e.g. after a key rotation). */
export function parsePublicKeys(pemText: string, where: string): Map<string, KeyObject> {
  const blocks = pemText.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0) throw new AuditlakeError('E_USAGE', `verify: ${where} holds no "BEGIN PUBLIC KEY" block`);
  const out = new Map<string, KeyObject>();
  for (const b of blocks) {
    let k: KeyObject;
    try {
      k = createPublicKey({ key: b, format: 'pem' });
    } catch (err) {
      throw new AuditlakeError('E_USAGE', `verify: ${where}: a public key block does not parse`, { cause: err });
    }
    out.set(publicKeyFingerprint(k), k);
  }
  return out;
}

/** Reads `<keysDir>/digest-signing-key.pub.pem`. */
export async function readHomePublicKeys(keysDir: string): Promise<Map<string, KeyObject>> {
  const path = join(keysDir, PUBLIC_KEY_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AuditlakeError('E_NOT_FOUND', `verify: no public key at ${path} (no digest was ever signed here; pass --public-key FILE)`, { cause: err });
  }
  return parsePublicKeys(text, path);
}
