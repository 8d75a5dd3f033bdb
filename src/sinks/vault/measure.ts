import { createHash } from 'node:crypto';
import type { Keyring } from '../../core/keyring.js';
import type { ObjectStore } from '../../core/object-store.js';
import { open } from './open.js';

export interface Measured {
  /** SHA-256 / size of the original bytes, verified against the authenticated trailer. */
  sha256: string;
  size: number;
  keyId: string;
  /** SHA-256 / size of the envelope as stored. */
  storedSha256: string;
  storedSize: number;
}

/** Decrypts and verifies one envelope end to end (nothing kept), hashing stored and original bytes in one pass. */
export async function measureEnvelope(store: ObjectStore, storeKey: string, keyring: Keyring, vaultKey: string): Promise<Measured> {
  const body = await store.get(storeKey);
  const storedHash = createHash('sha256');
  let storedSize = 0;
  async function* tap(): AsyncGenerator<Buffer> {
    for await (const c of body) {
      const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      storedHash.update(b);
      storedSize += b.length;
      yield b;
    }
  }
  const o = open(tap(), { keyring, vaultKey, label: storeKey });
  for await (const _ of o.stream) { /* verified by open(); bytes discarded */ }
  const t = await o.done;
  return { sha256: t.sha256, size: t.size, keyId: t.keyId, storedSha256: storedHash.digest('hex'), storedSize };
}

/** SHA-256 of an object's stored bytes (no key needed). */
export async function storedSha256(store: ObjectStore, key: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of await store.get(key)) h.update(c as Buffer);
  return h.digest('hex');
}
