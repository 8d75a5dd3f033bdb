import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import { hasErrorCode } from '../../core/errors.js';
import { createLocalKeyring } from '../../keyring/drivers/local.js';
import type { Keyring } from '../../core/keyring.js';
import { createFsStore } from '../../stores/drivers/fs.js';
import { readAll } from '../../stores/read-all.js';
import { createVault, type Vault } from './vault.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');

async function setup(frameSize = 4096): Promise<{ dir: string; vault: Vault; keyring: Keyring; root: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-vault-'));
  const keyring = createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => 'test pass' });
  await keyring.create({ alias: 'alias/RedshiftAuditKey' });
  const root = join(dir, 'vault');
  const vault = createVault({ store: createFsStore({ root }), keyring, keyId: 'alias/RedshiftAuditKey', frameSize });
  return { dir, vault, keyring, root, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const placement = { account: 'accountid', service: 'redshift', region: 'us-east-1', date: '2020-06-10' };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath ?? e.path, e.name));
  return out;
}

test('round trip: every real Redshift fixture comes back byte-for-byte, SHA-256 verified', async () => {
  const t = await setup();
  try {
    const names = (await readdir(FIXTURES)).filter((f) => f.endsWith('.gz'));
    assert.equal(names.length, 6);
    for (const name of names) {
      const original = await readFile(join(FIXTURES, name));
      const r = await t.vault.put(name, createReadStream(join(FIXTURES, name), { highWaterMark: 1000 }), { ...placement, name });
      assert.equal(r.key, `AWSLogs/accountid/redshift/us-east-1/2020/06/10/${name}.alv`);
      assert.equal(r.plaintextSha256, sha(original));
      assert.equal(r.compression, 'none', 'gzip input is kept as it is');
      const opened = await t.vault.open(r.key);
      const back = await readAll(opened.stream);
      assert.ok(back.equals(original), `${name} differs after the round trip`);
      assert.equal((await opened.done).sha256, sha(original));
      const stored = await readFile(join(t.root, r.key));
      assert.equal(sha(stored), r.storedSha256);
      assert.equal(stored.length, r.storedSize!);
    }
    const listed = [];
    for await (const o of t.vault.list()) listed.push(o.key);
    assert.equal(listed.length, 6);
  } finally {
    await t.cleanup();
  }
});

test('plain text input is gzip-compressed, comes back byte-for-byte, and no plaintext touches disk', async () => {
  const t = await setup();
  try {
    const text = gunzipSync(await readFile(join(FIXTURES, 'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T16_24.gz')));
    const r = await t.vault.put('x/pg.log', Readable.from([text.subarray(0, 1), text.subarray(1, 70000), text.subarray(70000)]), { account: '', service: 'postgres', region: 'local', date: '' });
    assert.equal(r.compression, 'gzip');
    assert.ok(r.storedSize! < text.length / 3, `stored ${r.storedSize} B for ${text.length} B of text`);
    assert.ok((await readAll(await t.vault.get(r.key))).equals(text));
    const needle = text.subarray(2000, 2040);
    for (const f of await filesUnder(t.dir)) assert.ok(!(await readFile(f)).includes(needle), `plaintext found in ${f}`);
  } finally {
    await t.cleanup();
  }
});

test('tamper: one flipped byte in a frame, the header, the key block, or truncation → E_INTEGRITY naming the object', async () => {
  const t = await setup(1024);
  try {
    const name = 'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T15_24.gz';
    const r = await t.vault.put(name, createReadStream(join(FIXTURES, name)), { ...placement, name });
    const path = join(t.root, r.key);
    const good = await readFile(path);
    const headerAt = good.indexOf('"frameSize"');
    const keyBlockAt = good.indexOf('"wrappedKey":"') + 14 + 70; // inside the IV/ciphertext of the wrapped key
    const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
      ['ciphertext byte', (b) => { b[b.length - 3000] ^= 0x01; return b; }, /frame \d+ at byte \d+ failed authentication/],
      ['header byte', (b) => { b[headerAt + 13] ^= 0x01; return b; }, /failed authentication|does not authenticate|not JSON|frameSize/],
      ['key block byte', (b) => { b[keyBlockAt] = b[keyBlockAt] === 0x41 ? 0x42 : 0x41; return b; }, /does not authenticate/],
      ['truncated', (b) => b.subarray(0, b.length - 40), /truncated|without its trailer/],
      ['appended', (b) => Buffer.concat([b, Buffer.from('x')]), /after the trailer/],
    ];
    for (const [what, mutate, re] of cases) {
      await chmod(path, 0o644);
      await writeFile(path, mutate(Buffer.from(good)));
      await assert.rejects(readAll(await t.vault.get(r.key)), (e: Error) => {
        assert.ok(hasErrorCode(e, 'E_INTEGRITY'), `${what}: code of ${e.message}`);
        assert.match(e.message, re, what);
        assert.ok(e.message.includes(r.key), `${what}: message names the object`);
        return true;
      });
    }
    await writeFile(path, good);
    assert.ok((await readAll(await t.vault.get(r.key))).equals(await readFile(join(FIXTURES, name))));
  } finally {
    await t.cleanup();
  }
});

test('disabled key: reading and writing fail with E_KEY naming the key and the object', async () => {
  const t = await setup();
  try {
    const name = 'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T16_24.gz';
    const r = await t.vault.put(name, createReadStream(join(FIXTURES, name)), { ...placement, name });
    await t.keyring.disable('alias/RedshiftAuditKey');
    const check = (e: Error) => hasErrorCode(e, 'E_KEY') && e.message.includes('alias/RedshiftAuditKey') && /disabled/.test(e.message) && e.message.includes(r.key);
    await assert.rejects(readAll(await t.vault.get(r.key)), check);
    const other = name.replace('16_24', '17_24');
    await assert.rejects(t.vault.put(other, createReadStream(join(FIXTURES, other)), { ...placement, name: other }), (e: Error) =>
      hasErrorCode(e, 'E_KEY') && e.message.includes('alias/RedshiftAuditKey') && e.message.includes(`${other}.alv`));
    await t.keyring.enable('alias/RedshiftAuditKey');
    assert.equal((await readAll(await t.vault.get(r.key))).length, 328);
  } finally {
    await t.cleanup();
  }
});

test('rotation: objects sealed before and after a rotate both open', async () => {
  const t = await setup();
  try {
    const [a, b] = ['connectionlog_2020-06-10T15_24', 'connectionlog_2020-06-10T16_24'].map((s) => `accountid_redshift_us-east-1_redshift-cluster-1_${s}.gz`);
    const ra = await t.vault.put(a, createReadStream(join(FIXTURES, a)), { ...placement, name: a });
    await t.keyring.rotate('alias/RedshiftAuditKey');
    assert.equal((await t.keyring.describe('alias/RedshiftAuditKey')).versions, 2);
    const rb = await t.vault.put(b, createReadStream(join(FIXTURES, b)), { ...placement, name: b });
    assert.ok((await readAll(await t.vault.get(ra.key))).equals(await readFile(join(FIXTURES, a))));
    assert.ok((await readAll(await t.vault.get(rb.key))).equals(await readFile(join(FIXTURES, b))));
  } finally {
    await t.cleanup();
  }
});

test('keep() is idempotent per source version; a new version of the same name is kept beside it', async () => {
  const t = await setup();
  try {
    const name = 'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T15_24.gz';
    const info = { format: 'redshift-connectionlog' as const, account: 'accountid', region: 'us-east-1', service: 'redshift', cluster: 'redshift-cluster-1', keyDate: '2020-06-10', key: name };
    const ref = { store: 'file:///logs', key: name, etag: '676-1', size: 676 };
    await t.vault.keep(ref, info, createReadStream(join(FIXTURES, name)));
    await t.vault.keep(ref, info, createReadStream(join(FIXTURES, name)));
    await t.vault.keep({ ...ref, etag: '676-2' }, info, createReadStream(join(FIXTURES, name)));
    await t.vault.keep({ ...ref, etag: '676-2' }, info, createReadStream(join(FIXTURES, name)));
    const keys = [];
    for await (const o of t.vault.list()) keys.push(o.key);
    assert.equal(keys.length, 2, keys.join(', '));
    assert.ok(keys.includes(`AWSLogs/accountid/redshift/us-east-1/2020/06/10/${name}.alv`));
    assert.match(keys.find((k) => k.includes('~'))!, /~[0-9a-f]{12}\.alv$/);
  } finally {
    await t.cleanup();
  }
});
