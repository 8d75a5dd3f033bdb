import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import type { ObjectStore } from '../../src/core/object-store.js';
import { createDigestRecorder } from '../../src/sinks/vault/integrity/digest-recorder.js';
import { sha256Hex } from '../../src/sinks/vault/integrity/digest-format.js';
import { createSigner, loadOrCreateSigningKey, publicKeyFingerprint, type DigestSigner } from '../../src/sinks/vault/integrity/signing-key.js';
import type { KeyObject } from 'node:crypto';

export const T0 = Date.parse('2026-11-01T00:00:00Z');
export const HOUR = 3_600_000;

export interface VaultFixture {
  dir: string;
  root: string;
  stateDir: string;
  store: ObjectStore;
  signer: DigestSigner;
  publicKeys: Map<string, KeyObject>;
  recorder: ReturnType<typeof createDigestRecorder>;
  /** Keys written, by hour index. */
  byHour: string[][];
  clock: { t: number };
  /** Start of the first period. */
  t0: number;
  cleanup(): Promise<void>;
}

/**
 * A real fs-backed vault with a digest chain over `hours` hourly periods: objects written in every hour except the
 * ones listed in `emptyHours` (so the chain has empty digests too), then flushed at the end.
 */
export async function buildVault(opts: { hours?: number; perHour?: number; emptyHours?: number[]; flushAtEnd?: boolean; t0?: number; homeKeys?: boolean } = {}): Promise<VaultFixture> {
  const hours = opts.hours ?? 8;
  const perHour = opts.perHour ?? 3;
  const empty = new Set(opts.emptyHours ?? [2]);
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-integrity-'));
  const root = join(dir, 'vault');
  const stateDir = join(dir, 'state');
  const store = createFsStore({ root });
  let signer: DigestSigner;
  let publicKey: KeyObject;
  if (opts.homeKeys) {
    // The fixture dir is laid out as a home (vault/, state/, keys/) so `auditlake --home <dir>` can sign further digests.
    signer = await loadOrCreateSigningKey(join(dir, 'keys'), {});
    publicKey = createPublicKey(signer.publicKeyPem);
  } else {
    const pair = generateKeyPairSync('ed25519');
    signer = createSigner(pair.privateKey);
    publicKey = pair.publicKey;
  }
  const t0 = opts.t0 ?? T0;
  const clock = { t: t0 };
  const recorder = createDigestRecorder({ store, signer, stateDir, now: () => clock.t });
  const byHour: string[][] = [];
  for (let h = 0; h < hours; h++) {
    byHour.push([]);
    if (empty.has(h)) continue;
    for (let i = 0; i < perHour; i++) {
      clock.t = t0 + h * HOUR + (i + 1) * 60_000;
      const day = new Date(clock.t).toISOString().slice(0, 10).replace(/-/g, '/');
      const key = `AWSLogs/123456789012/redshift/us-east-1/${day}/file-${h}-${i}.gz.alv`;
      const body = Buffer.from(`object ${h}/${i} `.repeat(50 + i));
      await store.put(key, body);
      await recorder.record({ key, sha256: sha256Hex(body), size: body.length, oldestEventTime: clock.t - 5000, newestEventTime: clock.t - 1000 });
      byHour[h].push(key);
    }
  }
  clock.t = t0 + hours * HOUR + 60_000;
  if (opts.flushAtEnd !== false) await recorder.flush();
  return {
    dir,
    root,
    stateDir,
    store,
    signer,
    publicKeys: new Map([[publicKeyFingerprint(publicKey), publicKey]]),
    recorder,
    byHour,
    clock,
    t0,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
