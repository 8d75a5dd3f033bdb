import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex } from '../../src/sinks/vault/integrity/digest-format.js';
import { createDigestRecorder } from '../../src/sinks/vault/integrity/digest-recorder.js';
import { createSigner, publicKeyFingerprint } from '../../src/sinks/vault/integrity/signing-key.js';
import { verifyVault } from '../../src/sinks/vault/integrity/verify-vault.js';
import { createS3Store } from '../../src/stores/drivers/s3.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';

let s3: LocalS3 | undefined;
let dir = '';
before(async () => {
  s3 = await startS3rver({ buckets: ['vault'] });
  dir = await mkdtemp(join(tmpdir(), 'auditlake-verify-s3-'));
});
after(async () => {
  await s3?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('S3 vault (s3rver): signatures travel as x-amz-meta-signature; clean verifies, two deleted digests and a moved object are caught', async () => {
  const store = createS3Store({ bucket: 'vault', prefix: 'prod/', client: s3!.client });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const T0 = Date.parse('2026-11-03T00:00:00Z');
  const clock = { t: T0 };
  const rec = createDigestRecorder({ store, signer: createSigner(privateKey), stateDir: join(dir, 'state'), now: () => clock.t });
  const keys: string[] = [];
  for (let h = 0; h < 5; h++) {
    clock.t = T0 + h * 3_600_000 + 60_000;
    const key = `AWSLogs/1/redshift/us-east-1/2026/11/03/f${h}.alv`;
    const body = Buffer.from(`object ${h}`);
    await store.put(key, body);
    await rec.record({ key, sha256: sha256Hex(body), size: body.length });
    keys.push(key);
  }
  clock.t = T0 + 5 * 3_600_000 + 1;
  await rec.flush();
  const publicKeys = new Map([[publicKeyFingerprint(publicKey), publicKey]]);
  let r = await verifyVault({ store, publicKeys });
  assert.equal(r.problems, 0);
  assert.deepEqual(r.digests, { valid: 5, total: 5 });
  const digestKeys: string[] = [];
  for await (const o of store.list('AWSLogs/auditlake/')) digestKeys.push(o.key);
  await store.delete(digestKeys[1]);
  await store.delete(digestKeys[2]);
  const moved = keys[4].replace('f4', 'renamed');
  await store.put(moved, Buffer.from('object 4'));
  await store.delete(keys[4]);
  r = await verifyVault({ store, publicKeys });
  assert.deepEqual(r.findings.filter((f) => f.kind === 'digest-missing').map((f) => f.key).sort(), [digestKeys[1], digestKeys[2]]);
  assert.deepEqual(r.findings.filter((f) => f.kind === 'moved').map((f) => f.key).sort(), [keys[4], moved].sort());
});
