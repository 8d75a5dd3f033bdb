import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createDigestRecorder } from '../../src/sinks/vault/integrity/digest-recorder.js';
import { createSigner, publicKeyFingerprint } from '../../src/sinks/vault/integrity/signing-key.js';
import { verifyVault } from '../../src/sinks/vault/integrity/verify-vault.js';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { applyRetention } from '../../src/retention/apply.js';
import { emptyConfig } from '../../src/retention/config-file.js';
import { addHold } from '../../src/retention/holds.js';
import { setRule } from '../../src/retention/rules.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { reencryptVault } from '../../src/sinks/vault/reencrypt.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { repoRoot } from '../helpers/repo-root.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');
const HOUR = 3_600_000;

test('real vault + real Redshift files: digest chain verifies clean through re-encryption, retention and a tamper', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-vault-e2e-'));
  try {
    const clock = { t: Date.parse('2026-11-24T10:05:00Z') };
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeys = new Map([[publicKeyFingerprint(publicKey), publicKey]]);
    const store = createFsStore({ root: join(dir, 'vault') });
    const stateDir = join(dir, 'state');
    const digest = createDigestRecorder({ store, signer: createSigner(privateKey), stateDir, now: () => clock.t });
    const keyring = createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => 'pw' });
    await keyring.create({ alias: 'alias/RedshiftAuditKey' });
    await keyring.create({ alias: 'alias/RedshiftAuditKey2026' });
    const vault = createVault({ store, keyring, keyId: 'alias/RedshiftAuditKey', digest, frameSize: 4096 });
    const keys: string[] = [];
    for (const name of (await readdir(FIXTURES)).filter((f) => f.endsWith('.gz')).sort()) {
      const r = await vault.put(name, createReadStream(join(FIXTURES, name)), { account: 'accountid', service: 'redshift', region: 'us-east-1', date: '2020-06-10', name });
      keys.push(r.key);
    }
    clock.t += HOUR;
    assert.equal((await digest.flush()).length, 1);
    let rep = await verifyVault({ store, publicKeys, stateDir });
    assert.equal(rep.problems, 0);
    assert.equal(rep.objects.valid, 6);

    // Seed 000's job: re-encrypt everything under the new key; the chain records the old copies' deletion.
    const re = await reencryptVault({ store, keyring, toKey: 'alias/RedshiftAuditKey2026', journalPath: join(stateDir, 'reencrypt.journal.jsonl'), digest });
    assert.equal(re.ok, true);
    clock.t += HOUR;
    await digest.flush();
    rep = await verifyVault({ store, publicKeys, stateDir });
    assert.equal(rep.problems, 0, JSON.stringify(rep.findings.filter((f) => !['valid', 'digest-valid', 'authorised-expiry'].includes(f.kind))));
    assert.equal(rep.objects.valid, 6);

    // Seed 001: 6 months retention (framework none), one file under legal hold.
    let config = setRule({ ...emptyConfig(), framework: 'none' }, { account: '*', logType: '*', keep: '180d', by: 'ops' });
    config = addHold(config, { prefix: keys[0], reason: 'case 9', by: 'legal' }).config;
    const applied = await applyRetention({ config, store, recorder: digest, now: clock.t });
    assert.equal(applied.vaultDeleted, 5, JSON.stringify(applied.plan.items.map((i) => i.id)));
    clock.t += HOUR;
    await digest.flush();
    rep = await verifyVault({ store, publicKeys });
    assert.equal(rep.problems, 0);
    // 5 by retention + the 6 re-encryption staging copies, each deletion recorded with its rule.
    const expired = rep.findings.filter((f) => f.kind === 'authorised-expiry');
    assert.equal(expired.filter((f) => / by retention /.test(f.detail)).length, 5);
    assert.equal(expired.filter((f) => / by reencrypt staging copy /.test(f.detail)).length, 6);
    assert.equal(rep.objects.valid, 1);

    // One flipped ciphertext byte in the held object: caught without any key.
    const p = join(dir, 'vault', ...keys[0].split('/'));
    const buf = await readFile(p);
    buf[buf.length - 20] ^= 0x40;
    await writeFile(p, buf);
    rep = await verifyVault({ store, publicKeys });
    assert.deepEqual(rep.findings.filter((f) => f.subject === 'object' && f.kind !== 'authorised-expiry').map((f) => [f.key, f.kind]), [[keys[0], 'modified']]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
