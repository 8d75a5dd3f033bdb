import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import { writeFileAtomicAsync } from '../buffer/atomic-file.js';
import type { HomeLayout } from '../core/home.js';
import { keyringConfigured, openKeyring, resolveVaultKeyId } from './open-keyring.js';
import type { Keyring } from '../core/keyring.js';

/** `<home>/keys/lake-key.json`: the Parquet lake's 32-byte master key, wrapped by a customer key. */
export const LAKE_KEY_FILE = 'lake-key.json';
const FORMAT = 'auditlake-lake-key/1';
const CONTEXT = { 'auditlake:purpose': 'parquet-lake' } as const;

interface LakeKeyFile { format: string; keyring: string; keyId: string; wrappedKey: string; createdAt: string }

/**
 * The lake's master key (for `openLake({ parquetKey })`), unwrapped through the keyring, so reading the lake
 * needs key access exactly like reading the vault. Created on first use (when `create`), wrapped under the
 * vault key. Returns null when there is no lake key and none should be made (no keyring set up: plain demo).
 */
export async function openHomeLakeKey(home: HomeLayout, opts: { create?: boolean; keyring?: Keyring; keyId?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Buffer | null> {
  const env = opts.env ?? process.env;
  const file = join(home.keys, LAKE_KEY_FILE);
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuditlakeError('E_IO', `lake key: cannot read ${file}`, { cause: err });
  }
  if (text === null) {
    if (!opts.create || (!opts.keyring && !keyringConfigured(home, env))) return null;
    const keyring = opts.keyring ?? openKeyring(home, env);
    const keyId = opts.keyId ?? (await resolveVaultKeyId(keyring, undefined, env));
    const dk = await keyring.generateDataKey(keyId, CONTEXT);
    const out: LakeKeyFile = { format: FORMAT, keyring: keyring.driver, keyId: dk.keyId, wrappedKey: dk.wrapped.toString('base64'), createdAt: new Date().toISOString() };
    await mkdir(home.keys, { recursive: true, mode: 0o700 });
    await writeFileAtomicAsync(file, JSON.stringify(out, null, 2) + '\n');
    return dk.plaintext;
  }
  let f: LakeKeyFile;
  try {
    f = JSON.parse(text) as LakeKeyFile;
    if (f.format !== FORMAT || typeof f.wrappedKey !== 'string') throw new AuditlakeError('E_PARSE', `field format is ${JSON.stringify(f.format)}, expected ${FORMAT} (or wrappedKey missing)`);
  } catch (err) {
    throw new AuditlakeError('E_KEY', `lake key: ${file} is not a lake key file (${(err as Error).message})`, { cause: err });
  }
  const keyring = opts.keyring ?? openKeyring(home, env);
  try {
    return (await keyring.decrypt(Buffer.from(f.wrappedKey, 'base64'), CONTEXT)).plaintext;
  } catch (err) {
    throw new AuditlakeError((err as AuditlakeError).code ?? 'E_KEY', `lake key: cannot unwrap ${file} (wrapped by ${f.keyId}): ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Re-wraps the lake key under `toKey` (part of `auditlake reencrypt`, so disabling the old key afterwards does
 * not lock the lake). Returns false when there is no lake key. Atomic: temp file + rename.
 */
export async function rewrapHomeLakeKey(home: HomeLayout, keyring: Keyring, toKey: string): Promise<boolean> {
  const file = join(home.keys, LAKE_KEY_FILE);
  let f: LakeKeyFile;
  try {
    f = JSON.parse(await readFile(file, 'utf8')) as LakeKeyFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new AuditlakeError('E_KEY', `lake key: cannot read ${file}`, { cause: err });
  }
  const moved = await keyring.reEncrypt(Buffer.from(f.wrappedKey, 'base64'), toKey, CONTEXT);
  const out: LakeKeyFile = { ...f, keyring: keyring.driver, keyId: moved.keyId, wrappedKey: moved.wrapped.toString('base64') };
  await writeFileAtomicAsync(file, JSON.stringify(out, null, 2) + '\n');
  return true;
}
