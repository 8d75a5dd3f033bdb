import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasErrorCode } from '../../src/core/errors.js';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { keyringContract } from './keyring.contract.js';

const pass = (p: string) => async () => p;

keyringContract('local', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-keyring-'));
  return { keyring: createLocalKeyring({ dir, passphrase: pass('correct horse') }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

test('local: file is 0600, holds no key material or alias in clear; wrong and missing passphrase are clear errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-keyring-'));
  try {
    const kr = createLocalKeyring({ dir, passphrase: pass('correct horse') });
    const k = await kr.create({ alias: 'alias/RedshiftAuditKey' });
    const file = join(dir, 'keyring.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const text = await readFile(file, 'utf8');
    assert.ok(!text.includes('RedshiftAuditKey') && !text.includes(k.keyId), 'aliases and ids are inside the encrypted part');
    assert.ok(!text.includes('correct horse'));

    const wrong = createLocalKeyring({ dir, passphrase: pass('wrong horse') });
    await assert.rejects(wrong.list(), (e: Error) => hasErrorCode(e, 'E_KEY') && /wrong passphrase/.test(e.message) && e.message.includes(file) && !e.message.includes('wrong horse'));

    const env = { ...process.env };
    delete env.AUDITLAKE_PASSPHRASE;
    const { defaultPassphraseSource } = await import('../../src/keyring/passphrase.js');
    const none = createLocalKeyring({ dir, passphrase: defaultPassphraseSource(env) });
    // The test runner's stdin is not a terminal, so no prompt can be shown.
    await assert.rejects(none.list(), (e: Error) => hasErrorCode(e, 'E_KEY') && /AUDITLAKE_PASSPHRASE/.test(e.message));

    const fromEnv = createLocalKeyring({ dir, passphrase: defaultPassphraseSource({ AUDITLAKE_PASSPHRASE: 'correct horse' }) });
    assert.equal((await fromEnv.list())[0].keyId, k.keyId);
    assert.equal(await fromEnv.defaultKey(), k.keyId);
    const k2 = await fromEnv.create({ alias: 'alias/Second' });
    assert.equal(await fromEnv.defaultKey(), k.keyId, 'only the first key becomes default by itself');
    await fromEnv.setDefault!('alias/Second');
    assert.equal(await createLocalKeyring({ dir, passphrase: pass('correct horse') }).defaultKey(), k2.keyId);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
