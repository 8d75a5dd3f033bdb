import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { createDigestRecorder } from '../../src/sinks/vault/integrity/digest-recorder.js';
import { createSigner, publicKeyFingerprint } from '../../src/sinks/vault/integrity/signing-key.js';
import { verifyVault } from '../../src/sinks/vault/integrity/verify-vault.js';

export interface VerifyBenchResult {
  objects: number;
  bytes: number;
  /** Plain SHA-256 over the same bytes, in memory, one thread: the ceiling. */
  sha256GBps: number;
  /** `verifyVault` end to end (list, digest walk, signature checks, streamed reads, hashing). */
  verifyGBps: number;
  verifyMs: number;
  ratio: number;
}

/**
 * Verify throughput against plain SHA-256 of the same bytes in the same run. Objects are random (incompressible,
 * like ciphertext) and read back from the page cache, which is what a verify right after ingest sees.
 */
export async function benchVerify(opts: { objects?: number; objectBytes?: number; concurrency?: number } = {}): Promise<VerifyBenchResult> {
  const n = opts.objects ?? 32;
  const size = opts.objectBytes ?? 16 << 20;
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-bench-verify-'));
  try {
    const store = createFsStore({ root: join(dir, 'vault') });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    let t = Date.parse('2026-11-24T10:00:00Z');
    const rec = createDigestRecorder({ store, signer: createSigner(privateKey), stateDir: join(dir, 'state'), now: () => t });
    const bodies: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const body = randomBytes(size);
      bodies.push(body);
      const key = `AWSLogs/123456789012/redshift/us-east-1/2026/11/24/obj-${i}.alv`;
      await store.put(key, body);
      await rec.record({ key, sha256: createHash('sha256').update(body).digest('hex'), size });
    }
    t += 3_600_000;
    await rec.flush();
    // Best of 3 for both: the machine is shared, so single runs are noisy. SHA-256 over 1 MiB slices, like a stream.
    const plain = () => {
      const t0 = process.hrtime.bigint();
      for (const b of bodies) {
        const h = createHash('sha256');
        for (let i = 0; i < b.length; i += 1 << 20) h.update(b.subarray(i, i + (1 << 20)));
        h.digest('hex');
      }
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    const publicKeys = new Map([[publicKeyFingerprint(publicKey), publicKey]]);
    let shaMs = Infinity;
    let verifyMs = Infinity;
    for (let round = 0; round < 3; round++) {
      shaMs = Math.min(shaMs, plain());
      const t1 = process.hrtime.bigint();
      const rep = await verifyVault({ store, publicKeys, concurrency: opts.concurrency ?? 4 });
      verifyMs = Math.min(verifyMs, Number(process.hrtime.bigint() - t1) / 1e6);
      if (rep.problems !== 0 || rep.objects.valid !== n) throw new Error(`bench-verify: expected ${n} valid objects, got ${rep.objects.valid} (${rep.problems} problems)`);
    }
    const bytes = n * size;
    const sha256GBps = bytes / 1e9 / (shaMs / 1000);
    const verifyGBps = bytes / 1e9 / (verifyMs / 1000);
    return { objects: n, bytes, sha256GBps, verifyGBps, verifyMs, ratio: verifyGBps / sha256GBps };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
