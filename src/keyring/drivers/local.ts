import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { writeFileAtomicAsync } from '../../buffer/atomic-file.js';
import { contextLabel } from '../context.js';
import { defaultPassphraseSource, type PassphraseSource } from '../passphrase.js';
import type { CreateKeyOptions, DataKey, Keyring } from '../../core/keyring.js';
import { deriveKek, KDF, openKeyringState, readKeyringFile, sealKeyringState, type KeyringFile } from './local-file.js';
import { addKey, assertAlias, emptyKeyringState, findKey, keyInfo, newVersion, usableKey, type KeyringState } from './local-state.js';
import { unwrapDataKey, wrapDataKey } from './local-wrap.js';

/** File name of the local keyring inside `home.keys`. */
export const LOCAL_KEYRING_FILE = 'keyring.json';

export interface LocalKeyringOptions {
  /** Directory holding keyring.json (home.keys). */
  dir: string;
  passphrase?: PassphraseSource;
}

type Unlocked = { kek: Buffer; salt: Buffer; kdf: KeyringFile['kdf']; state: KeyringState };

/**
 * Customer keys kept in `<dir>/keyring.json`, mode 0600, the whole key list AES-256-GCM-encrypted under a key
 * derived with scrypt from a passphrase (./local-file.ts); data keys wrapped as in ./local-wrap.ts.
 * Every change re-reads the file, applies itself and writes atomically, so two processes do not lose each other's keys.
 */
export function createLocalKeyring(opts: LocalKeyringOptions): Keyring {
  const file = join(opts.dir, LOCAL_KEYRING_FILE);
  const ask = opts.passphrase ?? defaultPassphraseSource();
  let unlocked: Unlocked | null = null;

  /** Loads (and decrypts) the current file; reuses the derived key when the salt did not change. */
  async function load(purpose: string, createIfMissing = false): Promise<Unlocked> {
    const f = await readKeyringFile(file);
    if (!f) {
      if (!createIfMissing) {
        throw new AuditlakeError('E_KEY', `keyring: cannot ${purpose}: no keyring at ${file}; create a key first: auditlake keys create --alias alias/NAME`);
      }
      return (unlocked = await unlockNew(await ask(`new keyring ${file}`, true)));
    }
    const salt = Buffer.from(f.kdf.salt, 'base64');
    const kek = unlocked && unlocked.salt.equals(salt) ? unlocked.kek : await deriveKek(await ask(`unlock ${file}`, false), salt, f.kdf);
    return (unlocked = { kek, salt, kdf: f.kdf, state: openKeyringState(f, kek, file) });
  }

  const state = async (): Promise<KeyringState> => (unlocked ?? (await load('use a key'))).state;

  /** Re-reads, applies `change`, writes atomically (temp file + rename), mode 0600. */
  async function mutate<T>(purpose: string, change: (s: KeyringState) => T, createIfMissing = false): Promise<T> {
    const u = await load(purpose, createIfMissing);
    const result = change(u.state);
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomicAsync(file, JSON.stringify(sealKeyringState(u.state, u.kek, u.kdf), null, 2) + '\n');
    return result;
  }

  const find = (s: KeyringState, name: string) => findKey(s, name, file);
  const usableFor = (s: KeyringState, name: string, context: Parameters<typeof contextLabel>[0]) =>
    usableKey(s, findKey(s, name, file, contextLabel(context)), contextLabel(context));

  return {
    driver: 'local',
    location: file,
    async generateDataKey(name, context) {
      const s = await state();
      const rec = usableFor(s, name, context);
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: wrapDataKey(rec, rec.versions.length, plaintext, context), keyId: rec.id } satisfies DataKey;
    },
    async decrypt(wrapped, context) {
      const { plaintext, rec } = unwrapDataKey(await state(), wrapped, context, file);
      return { plaintext, keyId: rec.id };
    },
    async reEncrypt(wrapped, toKey, context) {
      const s = await state();
      const { plaintext } = unwrapDataKey(s, wrapped, context, file);
      const to = usableFor(s, toKey, context);
      const out = wrapDataKey(to, to.versions.length, plaintext, context);
      plaintext.fill(0);
      return { wrapped: out, keyId: to.id };
    },
    async create(o: CreateKeyOptions = {}) {
      assertAlias(o.alias);
      return mutate('create a key', (s) => addKey(s, o), true);
    },
    list: async () => {
      const s = await state();
      return s.keys.map((k) => keyInfo(s, k));
    },
    describe: async (name) => {
      const s = await state();
      return keyInfo(s, find(s, name));
    },
    rotate: (name) => mutate('rotate a key', (s) => {
      const rec = find(s, name);
      rec.versions.push(newVersion());
      return keyInfo(s, rec);
    }),
    disable: (name) => mutate('disable a key', (s) => { find(s, name).enabled = false; }),
    enable: (name) => mutate('enable a key', (s) => { find(s, name).enabled = true; }),
    defaultKey: async () => (await state()).defaultKey,
    setDefault: (name) => mutate('set the default key', (s) => { s.defaultKey = find(s, name).id; }),
  };
}

/** A new, empty keyring under a fresh salt. */
async function unlockNew(passphrase: string): Promise<Unlocked> {
  const salt = randomBytes(16);
  const kdf = { ...KDF, salt: salt.toString('base64') };
  return { kek: await deriveKek(passphrase, salt, kdf), salt, kdf, state: emptyKeyringState() };
}
