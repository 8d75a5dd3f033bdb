import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { readAll } from '../../src/stores/read-all.js';
import { createVault } from '../../src/sinks/vault/vault.js';
import { finished, spawnCli } from '../helpers/cli.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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

      // `auditlake reencrypt` in a child, killed with SIGKILL once a few objects have been rewritten.
      const journalPath = join(dir, 'state', 'reencrypt.journal.jsonl');
      const env = { ...process.env, AUDITLAKE_HOME: dir, AUDITLAKE_PASSPHRASE: 'pw' };
      const args = ['reencrypt', '--to', 'alias/New', ...(rewrap ? ['--rewrap-only'] : [])];
      const proc = spawnCli(args, { env });
      const first = finished(proc);
      let killedAt = -1;
      for (let waited = 0; waited < 90_000; waited += 5) {
        const text = await readFile(journalPath, 'utf8').catch(() => '');
        const done = text.split('\n').filter((l) => l.includes('"t":"done"')).length;
        if (done >= 5) { proc.kill('SIGKILL'); killedAt = done; break; }
        if (proc.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const killed = await first;
      assert.ok(killedAt >= 5 && killedAt < 40, `child finished or failed before it could be killed: ${killed.stdout}${killed.stderr}`);
      assert.equal(killed.signal, 'SIGKILL');

      // The same command again resumes from the journal and prints the proof.
      const again = await finished(spawnCli(args, { env }));
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /resumed: yes/);
      assert.match(again.stdout, /objects before: 40 {3}after: 40 {3}/);
      assert.match(again.stdout, /result: VERIFIED/);
      const before = /set SHA-256 before: ([0-9a-f]{64})/.exec(again.stdout)?.[1];
      const after = /set SHA-256 after: {2}([0-9a-f]{64})/.exec(again.stdout)?.[1];
      assert.ok(before && before === after);
      // Independently of the report: every object line shows the hash the test computed from its own input.
      for (const [key, want] of expected) {
        const line = again.stdout.split('\n').find((l) => l.startsWith(`${key}\t`));
        assert.equal(line, `${key}\t${want}\t${want}\t${to.keyId}\tmatch`);
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
