import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { repoRoot } from '../helpers/repo-root.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');
const SCRIPT = join(repoRoot, 'scripts/verify-alv.py');
const hasPython = spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('docs/reference/vault-format.md is enough: an independent Python reader opens envelopes auditlake wrote, and rejects a tampered one', { skip: !hasPython && 'python3 with the cryptography package is not installed' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-indep-'));
  try {
    const pass = 'independent check';
    const keyring = createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => pass });
    await keyring.create({ alias: 'alias/RedshiftAuditKey' });
    await keyring.rotate('alias/RedshiftAuditKey'); // the reader must pick key version 2
    const root = join(dir, 'vault');
    const vault = createVault({ store: createFsStore({ root }), keyring, keyId: 'alias/RedshiftAuditKey', frameSize: 8192 });
    const gzName = 'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T16_24.gz';
    const gzBytes = await readFile(join(FIXTURES, gzName));
    const text = gunzipSync(gzBytes);
    const a = await vault.put(gzName, createReadStream(join(FIXTURES, gzName)), { account: 'accountid', service: 'redshift', region: 'us-east-1', date: '2020-06-10' });
    const b = await vault.put('postgresql-2026-11-24.log', Readable.from([text]), { account: '123456789012', service: 'postgres', region: 'eu-west-1', date: '2026-11-24' });
    const run = (key: string, out: string) =>
      spawnSync('python3', [SCRIPT, join(dir, 'keys', 'keyring.json'), join(root, key), key, out], { env: { ...process.env, AUDITLAKE_PASSPHRASE: pass }, encoding: 'utf8' });
    for (const [r, original] of [[a, gzBytes], [b, text]] as const) {
      const out = join(dir, 'out.bin');
      const p = run(r.key, out);
      assert.equal(p.status, 0, p.stdout + p.stderr);
      assert.equal(p.stdout.trim(), `OK ${sha(original)} ${original.length}`);
      assert.ok((await readFile(out)).equals(original));
    }
    const path = join(root, b.key);
    const bytes = await readFile(path);
    bytes[bytes.length - 200] ^= 1;
    await chmod(path, 0o644);
    await writeFile(path, bytes);
    const p = run(b.key, join(dir, 'out2.bin'));
    assert.equal(p.status, 1);
    assert.match(p.stdout, /FAIL frame \d+ failed authentication/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
