import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createS3Store } from '../../src/stores/drivers/s3.js';
import { readAll } from '../../src/stores/read-all.js';
import { reencryptVault } from '../../src/sinks/vault/reencrypt.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { repoRoot } from '../helpers/repo-root.js';
import { startS3rver } from '../helpers/s3rver.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('vault on S3 (s3rver): streamed multi-frame put, byte-for-byte get, then a verified rewrap', async () => {
  const s3 = await startS3rver({ buckets: ['audit-vault'] });
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-vault-s3-'));
  try {
    const keyring = createLocalKeyring({ dir, passphrase: async () => 'pw' });
    await keyring.create({ alias: 'alias/RedshiftAuditKey' });
    await keyring.create({ alias: 'alias/RedshiftAuditKey2026' });
    const store = createS3Store({ bucket: 'audit-vault', prefix: 'prod', client: s3.client });
    const vault = createVault({ store, keyring, keyId: 'alias/RedshiftAuditKey', frameSize: 64 << 10 });
    const originals = new Map<string, Buffer>();
    for (const name of (await readdir(FIXTURES)).filter((f) => f.endsWith('.gz'))) {
      const gz = await readFile(join(FIXTURES, name));
      // Redshift's own files (kept as gzip) and their text (gzip-compressed by the vault), several frames each.
      for (const [n, body] of [[name, gz], [name.replace(/\.gz$/, '.log'), gunzipSync(gz)]] as const) {
        const r = await vault.put(n, Readable.from([body]), { account: 'accountid', service: 'redshift', region: 'us-east-1', date: '2020-06-10' });
        originals.set(r.key, body);
      }
    }
    for (const [key, body] of originals) assert.equal(sha(await readAll(await vault.get(key))), sha(body), key);
    const report = await reencryptVault({ store, keyring, toKey: 'alias/RedshiftAuditKey2026', rewrapOnly: true, journalPath: join(dir, 'state', 'j.jsonl') });
    assert.equal(report.ok, true);
    assert.equal(report.countAfter, originals.size);
    await keyring.disable('alias/RedshiftAuditKey');
    for (const [key, body] of originals) assert.ok((await readAll(await vault.get(key))).equals(body), key);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await s3.stop();
  }
});
