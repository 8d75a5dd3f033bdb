import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { readAll } from '../../src/stores/read-all.js';
import { reencryptVault } from '../../src/vault/reencrypt.js';
import { createVault } from '../../src/vault/vault.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const isTs = import.meta.url.endsWith('.ts');
const child = fileURLToPath(new URL(`../helpers/reencrypt-child.${isTs ? 'ts' : 'js'}`, import.meta.url));

/** Deterministic log-like text, `n` bytes (compressible, like real audit logs). */
function logText(seed: number, n: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < n; i++) {
    const l = `'2026-11-24T10:${String(i % 60).padStart(2, '0')}:00Z UTC [ db=dev user=u${(seed * 31 + i) % 97} pid=${seed * 1000 + i} ] LOG: select * from t${i % 13} where id = ${(seed * 7919 + i * 104729) % 1000003};\n`;
    lines.push(l);
    size += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, n);
}

for (const rewrap of [false, true]) {
  test(`reencrypt ${rewrap ? '--rewrap-only ' : ''}killed with SIGKILL mid-run resumes and proves every object unchanged`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditlake-reenc-kill-'));
    try {
      const keyring = createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => 'pw' });
      await keyring.create({ alias: 'alias/Old' });
      const to = await keyring.create({ alias: 'alias/New' });
      const store = createFsStore({ root: join(dir, 'vault') });
      const vault = createVault({ store, keyring, keyId: 'alias/Old', frameSize: 64 << 10 });
      const expected = new Map<string, string>();
      for (let i = 0; i < 40; i++) {
        const text = logText(i, 400_000 + i * 1000);
        const r = await vault.put(`db-${i}.log`, Readable.from([text]), { account: '123456789012', service: 'postgres', region: 'eu-west-1', date: '2026-11-24', name: `db-${i}.log` });
        expected.set(r.key, sha(text));
      }

      // Run the re-encryption in a child and kill -9 it once a few objects have been rewritten.
      const journalPath = join(dir, 'state', 'reencrypt.journal.jsonl');
      const proc = spawn(process.execPath, [...(isTs ? ['--import', 'tsx'] : []), child], {
        env: { ...process.env, AUDITLAKE_TEST_DIR: dir, AUDITLAKE_TEST_REWRAP: rewrap ? '1' : '0' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
      let killedAt = -1;
      for (let waited = 0; waited < 60_000; waited += 5) {
        const text = await readFile(journalPath, 'utf8').catch(() => '');
        const done = text.split('\n').filter((l) => l.includes('"t":"done"')).length;
        if (done >= 5) { proc.kill('SIGKILL'); killedAt = done; break; }
        if (proc.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const code = await exited;
      assert.ok(killedAt >= 5, `child finished or failed before it could be killed (exit ${code}): ${stderr}`);
      assert.equal(code, null, 'killed by signal');

      // Resume in this process: same journal, same target.
      const report = await reencryptVault({ store, keyring, toKey: 'alias/New', rewrapOnly: rewrap, journalPath });
      assert.equal(report.resumed, true);
      assert.equal(report.ok, true, JSON.stringify(report.objects.filter((o) => o.status !== 'match'), null, 1));
      assert.equal(report.countBefore, 40);
      assert.equal(report.countAfter, 40);
      assert.equal(report.setSha256Before, report.setSha256After);
      for (const o of report.objects) {
        assert.equal(o.sha256After, expected.get(o.key), `${o.key} after`);
        assert.equal(o.keyIdAfter, to.keyId);
      }
      for await (const o of store.list('reencrypt-staging/')) assert.fail(`staging copy left: ${o.key}`);
      await keyring.disable('alias/Old');
      const one = [...expected.keys()][0];
      assert.equal(sha(await readAll(await vault.get(one))), expected.get(one));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
