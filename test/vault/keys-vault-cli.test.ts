import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { openKeyring } from '../../src/keyring/open-keyring.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { readAll } from '../../src/stores/read-all.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('CLI: keys + ingest keep a verified encrypted copy of every object; lake needs the key; reencrypt proves and refuses', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-keys-cli-'));
  const home = join(dir, 'home');
  const pass = 'correct horse battery staple';
  const env: NodeJS.ProcessEnv = { ...process.env, AUDITLAKE_PASSPHRASE: pass, AUDITLAKE_HOME: home };
  delete env.AUDITLAKE_KEYRING;
  delete env.AUDITLAKE_VAULT_KEY;
  const cli = async (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env, ...extra } });
  try {
    let r = await cli(['keys', 'create', '--alias', 'alias/RedshiftAuditKey', '--description', 'seed 000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^created lk-\S+\talias\/RedshiftAuditKey\tenabled,default,v1\t/);
    // Key management beyond this is covered by the contract suite; the library is used here to keep the test fast.
    const keyring = openKeyring(resolveHome(home, {}), { AUDITLAKE_PASSPHRASE: pass });
    await keyring.create({ alias: 'alias/RedshiftAuditKey2026' });
    r = await cli(['ingest', FIXTURES, '--no-progress']);
    assert.equal(r.code, 0, r.stderr);

    // Every source object is in the vault and decrypts to its original bytes.
    const store = createFsStore({ root: join(home, 'vault') });
    const vault = createVault({ store, keyring, keyId: 'alias/RedshiftAuditKey' });
    const names = (await readdir(FIXTURES)).filter((f) => f.endsWith('.gz'));
    for (const name of names) {
      const key = `AWSLogs/accountid/redshift/us-east-1/2020/06/10/${name}.alv`;
      assert.equal(sha(await readAll(await vault.get(key))), sha(await readFile(join(FIXTURES, name))), key);
    }

    // The lake is encrypted: query works with the passphrase, fails clearly without it.
    r = await cli(['query', 'select count(*) as n from events']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4396/);
    r = await cli(['query', 'select count(*) from events'], { AUDITLAKE_PASSPHRASE: '' });
    assert.equal(r.code, 6);
    assert.match(r.stderr, /needs a passphrase: set AUDITLAKE_PASSPHRASE/);

    // A disabled vault key stops ingest with an error naming the key and the object.
    const newLogs = join(dir, 'new');
    await mkdir(newLogs);
    const newName = 'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T18_24.gz';
    await copyFile(join(FIXTURES, names.find((n) => n.includes('connectionlog_2020-06-10T17_24'))!), join(newLogs, newName));
    await keyring.disable('alias/RedshiftAuditKey2026');
    r = await cli(['ingest', newLogs, '--no-progress'], { AUDITLAKE_VAULT_KEY: 'alias/RedshiftAuditKey2026' });
    assert.equal(r.code, 6, r.stdout + r.stderr);
    assert.match(r.stderr, /alias\/RedshiftAuditKey2026/);
    assert.match(r.stderr, /disabled/);
    assert.ok(r.stderr.includes(`${newName}.alv`), r.stderr);
    await keyring.enable('alias/RedshiftAuditKey2026');

    // Re-encrypt to the new key: the printed report proves count and every SHA-256.
    r = await cli(['reencrypt', '--to', 'alias/RedshiftAuditKey2026']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /objects before: 6 {3}after: 6 {3}re-encrypted: 6 {3}differing: 0/);
    assert.match(r.stdout, /result: VERIFIED/);
    assert.match(r.stdout, /lake key: re-wrapped under alias\/RedshiftAuditKey2026/);
    const [before, after] = [/set SHA-256 before: ([0-9a-f]{64})/, /set SHA-256 after: {2}([0-9a-f]{64})/].map((re) => re.exec(r.stdout)?.[1]);
    assert.ok(before && before === after);
    // The old key can be disabled: vault and lake both still open.
    await keyring.disable('alias/RedshiftAuditKey');
    r = await cli(['query', 'select count(*) as n from events']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4396/);

    // A corrupted object makes reencrypt refuse (exit 1) and keep every copy as it was.
    const victim = join(home, 'vault', `AWSLogs/accountid/redshift/us-east-1/2020/06/10/${names[0]}.alv`);
    const bytes = await readFile(victim);
    bytes[bytes.length - 30] ^= 0xff;
    await chmod(victim, 0o644);
    await writeFile(victim, bytes);
    await keyring.enable('alias/RedshiftAuditKey');
    r = await cli(['reencrypt', '--to', 'alias/RedshiftAuditKey']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /UNREADABLE/);
    assert.match(r.stdout, /result: REFUSED/);
    assert.ok((await readFile(victim)).equals(bytes), 'the corrupted object is left as found');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
