import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { createDigestRecorder } from '../../src/sinks/vault/integrity/digest-recorder.js';
import { loadOrCreateSigningKey } from '../../src/sinks/vault/integrity/signing-key.js';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { finished, runCli, spawnCli } from '../helpers/cli.js';

/**
 * Issue 10: after a verified re-encryption every sealed object read "modified", and after two kill -9s and a
 * resumed run one object stayed "[modified]" for good. The swap is now signed old → new before it happens, so
 * verify must be clean right after each kill, and after the resumed run also without the home state.
 */
test('reencrypt of a sealed vault killed twice with SIGKILL: verify clean after each kill and after the resumed run', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-reenc-verify-'));
  try {
    const home = resolveHome(dir);
    const env = { ...process.env, AUDITLAKE_HOME: dir, AUDITLAKE_PASSPHRASE: 'pw', AUDITLAKE_DIGEST_PERIOD: '1s' };
    const keyring = createLocalKeyring({ dir: home.keys, passphrase: async () => 'pw' });
    await keyring.create({ alias: 'alias/Old' });
    await keyring.create({ alias: 'alias/New' });
    const store = createFsStore({ root: home.vault });
    const signer = await loadOrCreateSigningKey(home.keys, { AUDITLAKE_PASSPHRASE: 'pw' });
    const digest = createDigestRecorder({ store, signer, stateDir: home.state, periodMs: 1000 });
    const vault = createVault({ store, keyring, keyId: 'alias/Old', digest, frameSize: 16 << 10 });
    for (let i = 0; i < 30; i++) {
      const text = Buffer.from(`2026-11-24T10:00:${String(i % 60).padStart(2, '0')}Z LOG: statement: select ${i} from t;\n`.repeat(2000 + i * 50));
      await vault.put(`db-${i}.log`, Readable.from([text]), { account: '123456789012', service: 'postgres', region: 'eu-west-1', date: '2026-11-24', name: `db-${i}.log` });
    }
    await sleep(1100);
    assert.ok((await digest.flush()).length >= 1, 'the objects are sealed in a digest');
    const sealed = await runCli(['verify'], { env });
    assert.equal(sealed.code, 0, sealed.stdout + sealed.stderr);

    const journal = join(home.state, 'reencrypt.journal.jsonl');
    const args = ['reencrypt', '--to', 'alias/New'];
    for (const atDone of [3 + Math.floor(Math.random() * 5), 12 + Math.floor(Math.random() * 8)]) {
      const proc = spawnCli(args, { env });
      const run = finished(proc);
      for (let waited = 0; waited < 90_000 && proc.exitCode === null; waited += 2) {
        const text = await readFile(journal, 'utf8').catch(() => '');
        // Kill between the steps of one object: after `atDone` objects plus a random part of the next one.
        if (text.split('\n').filter((l) => l.includes('"t":"done"')).length >= atDone) {
          await sleep(Math.floor(Math.random() * 30));
          proc.kill('SIGKILL');
          break;
        }
        await sleep(2);
      }
      const r = await run;
      assert.equal(r.signal, 'SIGKILL', `killed mid-run: ${r.stdout}${r.stderr}`);
      const v = await runCli(['verify'], { env });
      assert.equal(v.code, 0, `verify right after the kill at ${atDone} objects:\n${v.stdout}${v.stderr}`);
    }
    const again = await runCli(args, { env });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /result: VERIFIED/);
    for (const extra of [[], ['--no-state']]) {
      const v = await runCli(['verify', ...extra], { env });
      assert.equal(v.code, 0, `verify ${extra.join(' ')} after the resumed run:\n${v.stdout}${v.stderr}`);
      assert.match(v.stdout, /30\/30 vault objects valid/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
