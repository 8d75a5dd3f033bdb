import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, chmod, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import { createLocalKeyring } from '../../keyring/drivers/local.js';
import { createFsStore } from '../../stores/drivers/fs.js';
import { readAll } from '../../stores/read-all.js';
import { reencryptVault } from './reencrypt.js';
import { createVault } from './vault.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-reenc-'));
  const keyring = createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => 'pw' });
  const old = await keyring.create({ alias: 'alias/RedshiftAuditKey' });
  const neu = await keyring.create({ alias: 'alias/RedshiftAuditKey2026' });
  const store = createFsStore({ root: join(dir, 'vault') });
  const vault = createVault({ store, keyring, keyId: 'alias/RedshiftAuditKey', frameSize: 4096 });
  const originals = new Map<string, Buffer>();
  for (const name of (await readdir(FIXTURES)).filter((f) => f.endsWith('.gz'))) {
    const r = await vault.put(name, createReadStream(join(FIXTURES, name)), { account: 'accountid', service: 'redshift', region: 'us-east-1', date: '2020-06-10', name });
    originals.set(r.key, await readFile(join(FIXTURES, name)));
  }
  return { dir, keyring, store, vault, originals, oldId: old.keyId, newId: neu.keyId, journalPath: join(dir, 'state', 'reencrypt.journal.jsonl'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

for (const rewrapOnly of [false, true]) {
  test(`reencrypt ${rewrapOnly ? '--rewrap-only' : '(full)'}: every object moves to the new key; count and every SHA-256 proven equal`, async () => {
    const t = await setup();
    try {
      const report = await reencryptVault({ store: t.store, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey2026', rewrapOnly, journalPath: t.journalPath });
      assert.equal(report.ok, true, JSON.stringify(report.objects.filter((o) => o.status !== 'match')));
      assert.equal(report.countBefore, 6);
      assert.equal(report.countAfter, 6);
      assert.equal(report.changed, 6);
      assert.equal(report.setSha256Before, report.setSha256After);
      for (const o of report.objects) assert.equal(o.sha256Before, sha(t.originals.get(o.key)!));
      // The old key can go away now: everything opens under the new one, byte-for-byte.
      await t.keyring.disable('alias/RedshiftAuditKey');
      for (const [key, original] of t.originals) {
        assert.ok((await readAll(await t.vault.get(key))).equals(original), key);
        assert.equal((await t.vault.inspect(key)).keyBlock.keyId, t.newId);
      }
      for await (const o of t.store.list('reencrypt-staging/')) assert.fail(`staging copy left behind: ${o.key}`);
      await assert.rejects(access(t.journalPath), 'journal moved aside after success');
      // A second run has nothing to do and still proves the set.
      const again = await reencryptVault({ store: t.store, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey2026', rewrapOnly, journalPath: t.journalPath });
      assert.equal(again.ok, true);
      assert.equal(again.changed, 0);
      assert.equal(again.setSha256After, report.setSha256After);
    } finally {
      await t.cleanup();
    }
  });
}

test('reencrypt refuses when an object is corrupted: non-ok report names it, no copy is changed', async () => {
  const t = await setup();
  try {
    const victim = [...t.originals.keys()][2];
    const path = join(t.dir, 'vault', victim);
    const bytes = await readFile(path);
    bytes[bytes.length - 100] ^= 0x40;
    await chmod(path, 0o644);
    await writeFile(path, bytes);
    const storedBefore = new Map<string, string>();
    for (const key of t.originals.keys()) storedBefore.set(key, sha(await readFile(join(t.dir, 'vault', key))));
    const report = await reencryptVault({ store: t.store, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey2026', journalPath: t.journalPath });
    assert.equal(report.ok, false);
    const bad = report.objects.filter((o) => o.status !== 'match');
    assert.deepEqual(bad.map((o) => [o.key, o.status]), [[victim, 'UNREADABLE']]);
    assert.match(bad[0].reason!, /failed authentication/);
    for (const key of t.originals.keys()) assert.equal(sha(await readFile(join(t.dir, 'vault', key))), storedBefore.get(key), `${key} must be untouched`);
    assert.match(report.journal, /refused/);
  } finally {
    await t.cleanup();
  }
});

test('reencrypt refuses when a new copy does not verify (store corrupts it): old copy kept, rerun completes', async () => {
  const t = await setup();
  try {
    const victim = [...t.originals.keys()][4];
    const oldStored = sha(await readFile(join(t.dir, 'vault', victim)));
    // A store that damages the staging copy of one object on the way in (a bad disk, a buggy proxy).
    const flaky = {
      ...t.store,
      async put(key: string, body: Buffer | NodeJS.ReadableStream, o?: Parameters<typeof t.store.put>[2]) {
        if (key === `reencrypt-staging/${victim}`) {
          const b = await readAll(body as never);
          b[b.length - 50] ^= 0x08;
          return t.store.put(key, b, o);
        }
        return t.store.put(key, body as never, o);
      },
    };
    const report = await reencryptVault({ store: flaky, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey2026', journalPath: t.journalPath });
    assert.equal(report.ok, false);
    const bad = report.objects.filter((o) => o.status !== 'match');
    assert.deepEqual(bad.map((o) => [o.key, o.status]), [[victim, 'FAILED']]);
    assert.match(bad[0].reason!, /does not verify.*old copy kept/);
    assert.equal(sha(await readFile(join(t.dir, 'vault', victim))), oldStored, 'old copy untouched');
    assert.equal(bad[0].keyIdAfter, t.oldId);
    for await (const o of t.store.list('reencrypt-staging/')) assert.fail(`bad staging copy left: ${o.key}`);
    await access(t.journalPath); // kept for the retry
    // A different target while a run is unfinished is refused.
    await assert.rejects(reencryptVault({ store: t.store, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey', journalPath: t.journalPath }), /unfinished run/);
    const retry = await reencryptVault({ store: t.store, keyring: t.keyring, toKey: 'alias/RedshiftAuditKey2026', journalPath: t.journalPath });
    assert.equal(retry.ok, true);
    assert.equal(retry.resumed, true);
    assert.equal(retry.setSha256After, report.setSha256Before);
  } finally {
    await t.cleanup();
  }
});
