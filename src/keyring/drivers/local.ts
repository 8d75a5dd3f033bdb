import { createCipheriv, createDecipheriv, randomBytes, randomUUID, scrypt } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import { writeFileAtomicAsync } from '../../buffer/atomic-file.js';
import { canonicalContext, contextLabel } from '../context.js';
import { defaultPassphraseSource, type PassphraseSource } from '../passphrase.js';
import { ALIAS_RE, type CreateKeyOptions, type DataKey, type EncryptionContext, type KeyInfo, type Keyring } from '../../core/keyring.js';

/** File name of the local keyring inside `home.keys`. */
export const LOCAL_KEYRING_FILE = 'keyring.json';
const FILE_FORMAT = 'auditlake-keyring/1';
/** scrypt cost: N=2^15, r=8 → 32 MiB and ~0.1 s per unlock (OWASP's minimum for scrypt is N=2^17 with r=8 at 128 MiB;
 * we take 2^15 because every CLI run unlocks once; raise `N` in the file to strengthen, it is read back from there). */
const KDF = { name: 'scrypt', N: 1 << 15, r: 8, p: 1 } as const;
const WRAP_MAGIC = Buffer.from('ALK1');

interface KeyVersion { material: string; createdAt: string }
interface KeyRecord { id: string; description: string; createdAt: string; enabled: boolean; versions: KeyVersion[] }
interface KeyringState { keys: KeyRecord[]; aliases: Record<string, string>; defaultKey: string | null }
interface KeyringFile {
  format: string;
  kdf: { name: string; N: number; r: number; p: number; salt: string };
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface LocalKeyringOptions {
  /** Directory holding keyring.json (home.keys). */
  dir: string;
  passphrase?: PassphraseSource;
}

/**
 * Customer keys kept in `<dir>/keyring.json`, mode 0600, the whole key list AES-256-GCM-encrypted under a key
 * derived with scrypt from a passphrase. A data key is wrapped as
 * `"ALK1" | u8 idLen | id | u32be version | iv(12) | ct(32) | tag(16)` with AAD = the first part plus the
 * canonical encryption context (see docs/reference/vault-format.md).
 */
export function createLocalKeyring(opts: LocalKeyringOptions): Keyring {
  const file = join(opts.dir, LOCAL_KEYRING_FILE);
  const ask = opts.passphrase ?? defaultPassphraseSource();
  let unlocked: { kek: Buffer; salt: Buffer; kdf: KeyringFile['kdf']; state: KeyringState } | null = null;

  async function readFileOrNull(): Promise<KeyringFile | null> {
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

  /** Loads (and decrypts) the current file; reuses the derived key when the salt did not change. */
  async function load(purpose: string, createIfMissing = false): Promise<NonNullable<typeof unlocked>> {
    const f = await readFileOrNull();
    if (!f) {
      if (!createIfMissing) {
        throw new AuditlakeError('E_KEY', `keyring: cannot ${purpose}: no keyring at ${file}; create a key first: auditlake keys create --alias alias/NAME`);
      }
      const pass = await ask(`new keyring ${file}`, true);
      const salt = randomBytes(16);
      const kdf = { ...KDF, salt: salt.toString('base64') };
      unlocked = { kek: await derive(pass, salt, kdf), salt, kdf, state: { keys: [], aliases: {}, defaultKey: null } };
      return unlocked;
    }
    const salt = Buffer.from(f.kdf.salt, 'base64');
    let kek = unlocked && unlocked.salt.equals(salt) ? unlocked.kek : null;
    if (!kek) kek = await derive(await ask(`unlock ${file}`, false), salt, f.kdf);
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(f.iv, 'base64'));
      d.setAAD(Buffer.from(FILE_FORMAT));
      d.setAuthTag(Buffer.from(f.tag, 'base64'));
      plain = Buffer.concat([d.update(Buffer.from(f.ciphertext, 'base64')), d.final()]);
    } catch (err) {
      throw new AuditlakeError('E_KEY', `keyring: wrong passphrase for ${file} (or the file was modified)`, { cause: err });
    }
    unlocked = { kek, salt, kdf: f.kdf, state: JSON.parse(plain.toString('utf8')) as KeyringState };
    plain.fill(0);
    return unlocked;
  }

  async function state(): Promise<KeyringState> {
    return (unlocked ?? (await load('use a key'))).state;
  }

  /** Re-reads, applies `change`, writes atomically (temp file + rename), mode 0600. */
  async function mutate<T>(purpose: string, change: (s: KeyringState) => T, createIfMissing = false): Promise<T> {
    const u = await load(purpose, createIfMissing);
    const result = change(u.state);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', u.kek, iv);
    c.setAAD(Buffer.from(FILE_FORMAT));
    const ct = Buffer.concat([c.update(Buffer.from(JSON.stringify(u.state), 'utf8')), c.final()]);
    const out: KeyringFile = { format: FILE_FORMAT, kdf: u.kdf, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), ciphertext: ct.toString('base64') };
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomicAsync(file, JSON.stringify(out, null, 2) + '\n');
    return result;
  }

  function find(s: KeyringState, name: string, forObject = ''): KeyRecord {
    const id = name.startsWith('alias/') ? s.aliases[name] : name;
    const rec = id ? s.keys.find((k) => k.id === id) : undefined;
    if (!rec) throw new AuditlakeError('E_KEY', `keyring: no key ${JSON.stringify(name)} in ${file}${forObject}`);
    return rec;
  }
  function usable(s: KeyringState, rec: KeyRecord, forObject: string): KeyRecord {
    if (!rec.enabled) throw new AuditlakeError('E_KEY', `keyring: key ${label(s, rec)} is disabled${forObject}; enable it with: auditlake keys enable ${rec.id}`);
    return rec;
  }
  const label = (s: KeyringState, rec: KeyRecord) => {
    const al = Object.keys(s.aliases).filter((a) => s.aliases[a] === rec.id);
    return al.length ? `${rec.id} (${al.join(', ')})` : rec.id;
  };
  const info = (s: KeyringState, rec: KeyRecord): KeyInfo => ({
    keyId: rec.id,
    aliases: Object.keys(s.aliases).filter((a) => s.aliases[a] === rec.id).sort(),
    description: rec.description,
    enabled: rec.enabled,
    createdAt: rec.createdAt,
    versions: rec.versions.length,
    isDefault: s.defaultKey === rec.id,
  });

  function wrap(rec: KeyRecord, version: number, dataKey: Buffer, context: EncryptionContext | undefined): Buffer {
    const id = Buffer.from(rec.id, 'utf8');
    const head = Buffer.concat([WRAP_MAGIC, Buffer.from([id.length]), id, u32(version)]);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', material(rec, version), iv);
    c.setAAD(Buffer.concat([head, canonicalContext(context)]));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([head, iv, ct, c.getAuthTag()]);
  }

  function unwrap(s: KeyringState, blob: Buffer, context: EncryptionContext | undefined): { plaintext: Buffer; rec: KeyRecord } {
    const where = contextLabel(context);
    const bad = (why: string) => new AuditlakeError('E_INTEGRITY', `keyring: wrapped data key${where} ${why}`);
    if (blob.length < 4 + 1 + 4 + 12 + 32 + 16 || !blob.subarray(0, 4).equals(WRAP_MAGIC)) throw bad('is not a local keyring blob');
    const idLen = blob[4];
    const id = blob.subarray(5, 5 + idLen).toString('utf8');
    const headEnd = 5 + idLen + 4;
    if (blob.length !== headEnd + 12 + 32 + 16) throw bad('has the wrong length');
    const version = blob.readUInt32BE(5 + idLen);
    const rec = usable(s, find(s, id, where), where);
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

  return {
    driver: 'local',
    location: file,
    async generateDataKey(name, context) {
      const s = await state();
      const rec = usable(s, find(s, name, contextLabel(context)), contextLabel(context));
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: wrap(rec, rec.versions.length, plaintext, context), keyId: rec.id } satisfies DataKey;
    },
    async decrypt(wrapped, context) {
      const { plaintext, rec } = unwrap(await state(), wrapped, context);
      return { plaintext, keyId: rec.id };
    },
    async reEncrypt(wrapped, toKey, context) {
      const s = await state();
      const { plaintext } = unwrap(s, wrapped, context);
      const to = usable(s, find(s, toKey, contextLabel(context)), contextLabel(context));
      const out = wrap(to, to.versions.length, plaintext, context);
      plaintext.fill(0);
      return { wrapped: out, keyId: to.id };
    },
    async create(o: CreateKeyOptions = {}) {
      if (o.alias !== undefined && !ALIAS_RE.test(o.alias)) throw new AuditlakeError('E_USAGE', `keyring: alias ${JSON.stringify(o.alias)} must look like alias/NAME (letters, digits, / _ -)`);
      return mutate('create a key', (s) => {
        if (o.alias && s.aliases[o.alias]) throw new AuditlakeError('E_EXISTS', `keyring: alias ${o.alias} already names key ${s.aliases[o.alias]}`);
        const now = new Date().toISOString();
        const rec: KeyRecord = { id: `lk-${randomUUID()}`, description: o.description ?? '', createdAt: now, enabled: true, versions: [{ material: randomBytes(32).toString('base64'), createdAt: now }] };
        s.keys.push(rec);
        if (o.alias) s.aliases[o.alias] = rec.id;
        if (!s.defaultKey || o.makeDefault) s.defaultKey = rec.id;
        return info(s, rec);
      }, true);
    },
    async list() {
      const s = await state();
      return s.keys.map((k) => info(s, k));
    },
    async describe(name) {
      const s = await state();
      return info(s, find(s, name));
    },
    async rotate(name) {
      return mutate('rotate a key', (s) => {
        const rec = find(s, name);
        rec.versions.push({ material: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() });
        return info(s, rec);
      });
    },
    async disable(name) {
      await mutate('disable a key', (s) => { find(s, name).enabled = false; });
    },
    async enable(name) {
      await mutate('enable a key', (s) => { find(s, name).enabled = true; });
    },
    async defaultKey() {
      return (await state()).defaultKey;
    },
    async setDefault(name) {
      await mutate('set the default key', (s) => { s.defaultKey = find(s, name).id; });
    },
  };
}

function material(rec: KeyRecord, version: number): Buffer {
  return Buffer.from(rec.versions[version - 1].material, 'base64');
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function derive(pass: string, salt: Buffer, kdf: KeyringFile['kdf']): Promise<Buffer> {
  if (kdf.name !== 'scrypt') throw new AuditlakeError('E_KEY', `keyring: unknown kdf ${JSON.stringify(kdf.name)}`);
  return new Promise((res, rej) =>
    scrypt(pass, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r * kdf.p }, (err, key) =>
      err ? rej(new AuditlakeError('E_KEY', 'keyring: key derivation failed', { cause: err })) : res(key)),
  );
}
