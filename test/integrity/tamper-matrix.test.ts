import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, readFile, rename, truncate, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestKey, sha256Hex, stringToSign, type DigestBody } from '../../src/sinks/vault/integrity/digest-format.js';
import type { CheckpointBody } from '../../src/sinks/vault/integrity/checkpoint-format.js';
import type { FindingKind } from '../../src/sinks/vault/integrity/findings.js';
import { verifyVault, type VerifyVaultReport } from '../../src/sinks/vault/integrity/verify-vault.js';
import { buildVault, HOUR, T0, type VaultFixture } from './vault-fixture.js';

const LOC = { account: 'auditlake', region: 'global' };
/** Key of the digest covering hour index h. */
const dkey = (h: number) => digestKey(LOC, T0 + (h + 1) * HOUR);
const pathOf = (v: VaultFixture, key: string) => join(v.root, ...key.split('/'));

function kinds(r: VerifyVaultReport, key: string): FindingKind[] {
  return r.findings.filter((f) => f.key === key).map((f) => f.kind);
}
function problemKinds(r: VerifyVaultReport): string[] {
  return [...new Set(r.findings.filter((f) => !['valid', 'digest-valid', 'pending', 'authorised-expiry'].includes(f.kind)).map((f) => f.kind))].sort();
}

/** Vault keys some checkpoint in the store lists (signed outside the digests). */
async function checkpointedKeys(v: VaultFixture): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const o of v.store.list('AWSLogs/auditlake/auditlake-digest/global/checkpoint/')) {
    const b = JSON.parse(gunzipSync(await readFile(pathOf(v, o.key))).toString('utf8')) as CheckpointBody;
    for (const x of b.objects) out.add(x.key);
  }
  return out;
}

async function withVault(fn: (v: VaultFixture) => Promise<void>, opts?: Parameters<typeof buildVault>[0]): Promise<void> {
  const v = await buildVault(opts);
  try {
    await fn(v);
  } finally {
    await v.cleanup();
  }
}
const verify = (v: VaultFixture, withState = true) => verifyVault({ store: v.store, publicKeys: v.publicKeys, ...(withState ? { stateDir: v.stateDir } : {}) });

async function rewriteDigest(v: VaultFixture, h: number, change: (b: DigestBody) => void): Promise<DigestBody> {
  const p = pathOf(v, dkey(h));
  const body = JSON.parse(gunzipSync(await readFile(p)).toString('utf8')) as DigestBody;
  change(body);
  await writeFile(p, gzipSync(Buffer.from(JSON.stringify(body))));
  return body;
}

test('clean vault verifies clean: every digest and object valid, empty periods included', async () => {
  await withVault(async (v) => {
    const r = await verify(v);
    assert.equal(r.problems, 0, JSON.stringify(r.findings.filter((f) => f.kind !== 'valid' && f.kind !== 'digest-valid')));
    assert.deepEqual(r.digests, { valid: 8, total: 8 });
    assert.equal(r.objects.valid, 21);
    assert.equal(kinds(r, dkey(2))[0], 'digest-valid', 'the empty hour still has a digest');
    assert.ok(r.hash.bytes > 0);
  });
});

test('modified object byte → modified', async () => {
  await withVault(async (v) => {
    const key = v.byHour[3][1];
    const buf = await readFile(pathOf(v, key));
    buf[10] ^= 1;
    await writeFile(pathOf(v, key), buf);
    const r = await verify(v);
    assert.deepEqual(kinds(r, key), ['modified']);
    assert.deepEqual(problemKinds(r), ['modified']);
    assert.equal(r.problems, 1);
  });
});

test('truncated object → modified; truncated digest → invalid format', async () => {
  await withVault(async (v) => {
    const key = v.byHour[0][0];
    await truncate(pathOf(v, key), 7);
    await truncate(pathOf(v, dkey(5)), 20);
    const r = await verify(v);
    assert.deepEqual(kinds(r, key), ['modified']);
    assert.deepEqual(kinds(r, dkey(5)), ['digest-invalid-format']);
  });
});

test('deleted object → missing', async () => {
  await withVault(async (v) => {
    const key = v.byHour[4][0];
    await unlink(pathOf(v, key));
    const r = await verify(v);
    assert.deepEqual(kinds(r, key), ['missing']);
    assert.deepEqual(problemKinds(r), ['missing']);
  });
});

test('moved/renamed object → moved (both the old and the new key named)', async () => {
  await withVault(async (v) => {
    const key = v.byHour[1][2];
    const to = key.replace('file-', 'renamed-');
    await rename(pathOf(v, key), pathOf(v, to));
    const r = await verify(v);
    assert.deepEqual(kinds(r, key), ['moved']);
    assert.match(r.findings.find((f) => f.key === key)!.detail, /renamed-/);
    assert.deepEqual(kinds(r, to), ['moved']);
    assert.deepEqual(problemKinds(r), ['moved']);
  });
});

test('inserted object (in no digest) → inserted', async () => {
  await withVault(async (v) => {
    const key = 'AWSLogs/123456789012/redshift/us-east-1/2026/11/01/forged.gz.alv';
    await mkdir(dirname(pathOf(v, key)), { recursive: true });
    await writeFile(pathOf(v, key), 'forged evidence');
    const r = await verify(v);
    assert.deepEqual(kinds(r, key), ['inserted']);
    assert.deepEqual(problemKinds(r), ['inserted']);
  });
});

for (const n of [1, 2, 3]) {
  test(`${n} consecutive digest(s) deleted → each one reported digest-missing`, async () => {
    await withVault(async (v) => {
      const hours = [3, 4, 5].slice(0, n);
      for (const h of hours) await unlink(pathOf(v, dkey(h)));
      const r = await verify(v);
      for (const h of hours) assert.deepEqual(kinds(r, dkey(h)), ['digest-missing'], `hour ${h}`);
      assert.equal(r.findings.filter((f) => f.kind === 'digest-missing').length, n);
      // The objects those digests listed are covered by no digest; the ones a checkpoint also signed stay valid.
      const inCheckpoint = await checkpointedKeys(v);
      for (const h of hours) for (const k of v.byHour[h]) assert.deepEqual(kinds(r, k), [inCheckpoint.has(k) ? 'valid' : 'inserted'], k);
      assert.deepEqual(problemKinds(r), ['digest-missing', 'inserted']);
      assert.equal(r.digests.total, 8);
    });
  });
}

test('modified digest → signature invalid and hash mismatch with the next digest', async () => {
  await withVault(async (v) => {
    await rewriteDigest(v, 3, (b) => {
      b.objects[0].hashValue = '0'.repeat(64);
    });
    const r = await verify(v);
    assert.deepEqual(kinds(r, dkey(3)).sort(), ['digest-modified', 'digest-signature-invalid']);
  });
});

test('forged digest signature (attacker re-signs with own key, same fingerprint claimed) → signature invalid', async () => {
  await withVault(async (v) => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = dkey(6);
    const body = await rewriteDigest(v, 6, (b) => {
      b.objects = b.objects.slice(1);
    });
    const json = Buffer.from(JSON.stringify(body));
    await writeFile(pathOf(v, key), gzipSync(json));
    const sig = sign(null, Buffer.from(stringToSign(body, sha256Hex(json))), privateKey).toString('hex');
    await writeFile(join(v.root, '.auditlake-meta', ...key.split('/')) + '.json', JSON.stringify({ signature: sig, 'signature-algorithm': 'Ed25519' }));
    const r = await verify(v);
    assert.ok(kinds(r, key).includes('digest-signature-invalid'));
    assert.ok(kinds(r, key).includes('digest-modified'), 'the next digest still pins the original hash');
  });
});

test('newest digest deleted → digest-missing, named also without the home state (the checkpoint on top pins it)', async () => {
  await withVault(async (v) => {
    await unlink(pathOf(v, dkey(7)));
    const inCheckpoint = await checkpointedKeys(v);
    const r = await verify(v);
    assert.deepEqual(kinds(r, dkey(7)), ['digest-missing']);
    for (const k of v.byHour[7]) assert.deepEqual(kinds(r, k), [inCheckpoint.has(k) ? 'valid' : 'inserted']);
    // An auditor without the host's state: the newest checkpoint names the newest digest, so its loss is named too.
    const r2 = await verify(v, false);
    assert.deepEqual(kinds(r2, dkey(7)), ['digest-missing']);
    for (const k of v.byHour[7]) assert.deepEqual(kinds(r2, k), [inCheckpoint.has(k) ? 'valid' : 'inserted']);
  });
});

test('digest moved to another key → has been moved; chain broken where it should be', async () => {
  await withVault(async (v) => {
    const from = dkey(1);
    const to = from.replace('_auditlake-digest_global_', '_auditlake-digest_global_').replace(/T\d{6}Z/, 'T013000Z');
    await rename(pathOf(v, from), pathOf(v, to));
    const r = await verify(v);
    assert.deepEqual(kinds(r, from), ['digest-missing']);
    assert.ok(r.findings.some((f) => f.key === to && (f.kind === 'digest-moved' || f.kind === 'digest-inserted')));
  });
});

test('authorised expiry recorded in the chain is not a finding; an unrecorded delete is', async () => {
  await withVault(async (v) => {
    const expired = v.byHour[0][0];
    const sha = sha256Hex(await readFile(pathOf(v, expired)));
    await v.store.delete(expired);
    v.clock.t = T0 + 8 * HOUR + 120_000;
    await v.recorder.recordDeletion({ key: expired, sha256: sha, reason: 'retention', rule: 'retention redshift/* 180d' });
    // Still pending in the journal: verify reads it from the state dir.
    let r = await verify(v);
    assert.deepEqual(kinds(r, expired), ['authorised-expiry']);
    assert.equal(r.problems, 0);
    await v.recorder.flush(T0 + 10 * HOUR);
    r = await verify(v);
    assert.deepEqual(kinds(r, expired), ['authorised-expiry']);
    assert.equal(r.problems, 0);
    assert.equal(r.objects.expired, 1);
    const gone = v.byHour[0][1];
    await unlink(pathOf(v, gone));
    r = await verify(v);
    assert.deepEqual(kinds(r, gone), ['missing']);
  });
});

test('objects recorded but not yet digested verify as pending; modified pending object is caught', async () => {
  await withVault(async (v) => {
    v.clock.t = T0 + 8 * HOUR + 120_000;
    const key = 'AWSLogs/123456789012/redshift/us-east-1/2026/11/01/late.gz.alv';
    const body = Buffer.from('late object');
    await v.store.put(key, body);
    await v.recorder.record({ key, sha256: sha256Hex(body), size: body.length });
    let r = await verify(v);
    assert.deepEqual(kinds(r, key), ['pending']);
    assert.equal(r.problems, 0);
    await writeFile(pathOf(v, key), 'late objecT');
    r = await verify(v);
    assert.deepEqual(kinds(r, key), ['modified']);
  });
});

test('--from/--to: only digests and objects of the range are checked', async () => {
  await withVault(async (v) => {
    const early = v.byHour[0][0];
    const late = v.byHour[6][0];
    for (const k of [early, late]) {
      const buf = await readFile(pathOf(v, k));
      buf[0] ^= 1;
      await writeFile(pathOf(v, k), buf);
    }
    const r = await verifyVault({ store: v.store, publicKeys: v.publicKeys, from: T0 + 5 * HOUR, to: T0 + 8 * HOUR });
    assert.deepEqual(kinds(r, late), ['modified']);
    assert.deepEqual(kinds(r, early), []);
    assert.deepEqual(r.digests, { valid: 3, total: 3 });
    assert.deepEqual(r.found, { from: '2026-11-01T05:00:00Z', to: '2026-11-01T08:00:00Z' });
  });
});
