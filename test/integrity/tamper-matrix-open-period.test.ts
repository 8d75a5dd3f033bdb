import { cp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestKey, sha256Hex } from '../../src/sinks/vault/integrity/digest-format.js';
import type { FindingKind } from '../../src/sinks/vault/integrity/findings.js';
import { JOURNAL_FILE } from '../../src/sinks/vault/integrity/journal.js';
import { verifyVault, type VerifyVaultReport } from '../../src/sinks/vault/integrity/verify-vault.js';
import { buildVault, HOUR, T0, type VaultFixture } from './vault-fixture.js';

/**
 * The tamper matrix of issue 10 for what the hourly digests alone could not protect: objects of the open period
 * (covered only by a checkpoint), the journal, the ends of the chain, re-encrypted objects and a rolled-back home.
 * Each case is checked with the home state and as an auditor without it (`--no-state`).
 */
const pathOf = (v: VaultFixture, key: string) => join(v.root, ...key.split('/'));
const LOC = { account: 'auditlake', region: 'global' };
const kinds = (r: VerifyVaultReport, key: string): FindingKind[] => r.findings.filter((f) => f.key === key).map((f) => f.kind);
const verify = (v: VaultFixture, withState: boolean, expectHead?: string) =>
  verifyVault({ store: v.store, publicKeys: v.publicKeys, ...(withState ? { stateDir: v.stateDir } : {}), ...(expectHead ? { expectHead } : {}) });

/** A sealed 8-hour vault plus 3 objects of the open period, recorded and checkpointed like an ingest commit. */
async function withOpenPeriod(fn: (v: VaultFixture, open: string[], head: string) => Promise<void>): Promise<void> {
  const v = await buildVault();
  try {
    const open: string[] = [];
    for (let i = 0; i < 3; i++) {
      v.clock.t = T0 + 8 * HOUR + (i + 2) * 60_000;
      const key = `AWSLogs/123456789012/redshift/us-east-1/2026/11/01/open-${i}.gz.alv`;
      const body = Buffer.from(`open period object ${i} `.repeat(40));
      await v.recorder.recordIntent({ key });
      await v.store.put(key, body);
      await v.recorder.record({ key, sha256: sha256Hex(body), size: body.length });
      open.push(key);
    }
    const head = await v.recorder.checkpoint();
    assert.ok(head);
    for (const s of [true, false]) assert.equal((await verify(v, s, head.sha256)).problems, 0, `clean (state ${s})`);
    await fn(v, open, head.sha256);
  } finally {
    await v.cleanup();
  }
}

for (const withState of [true, false]) {
  const as = withState ? 'with the home state' : 'without it (--no-state)';
  test(`unsealed object deleted → missing, ${as}`, async () => {
    await withOpenPeriod(async (v, open) => {
      await unlink(pathOf(v, open[1]));
      assert.deepEqual(kinds(await verify(v, withState), open[1]), ['missing']);
    });
  });

  test(`unsealed object truncated → modified, ${as}`, async () => {
    await withOpenPeriod(async (v, open) => {
      await writeFile(pathOf(v, open[0]), '');
      assert.deepEqual(kinds(await verify(v, withState), open[0]), ['modified']);
    });
  });

  test(`unsealed object deleted and its journal line removed → missing, ${as}`, async () => {
    await withOpenPeriod(async (v, open) => {
      await unlink(pathOf(v, open[2]));
      const j = join(v.stateDir, JOURNAL_FILE);
      const text = await readFile(j, 'utf8');
      await writeFile(j, text.split('\n').filter((l) => !l.includes(open[2])).join('\n'));
      assert.deepEqual(kinds(await verify(v, withState), open[2]), ['missing']);
      // Sealing later does not launder it either.
      await v.recorder.flush(T0 + 10 * HOUR);
      assert.deepEqual(kinds(await verify(v, withState), open[2]), ['missing']);
    });
  });

  test(`unsealed object modified and its journal line edited to match → modified, ${as}`, async () => {
    await withOpenPeriod(async (v, open) => {
      const forged = Buffer.from('forged bytes');
      await writeFile(pathOf(v, open[0]), forged);
      const j = join(v.stateDir, JOURNAL_FILE);
      const lines = (await readFile(j, 'utf8')).split('\n').map((l) => {
        if (!l.includes(open[0]) || !l.includes('"kind":"object"')) return l;
        const e = JSON.parse(l) as { sha256: string; size: number };
        return JSON.stringify({ ...e, sha256: sha256Hex(forged), size: forged.length });
      });
      await writeFile(j, lines.join('\n'));
      assert.deepEqual(kinds(await verify(v, withState), open[0]), ['modified']);
    });
  });

  test(`sealed object replaced by an older copy of itself (before its re-encryption) → modified, ${as}`, async () => {
    await withOpenPeriod(async (v) => {
      const key = v.byHour[1][0];
      const old = await readFile(pathOf(v, key));
      const fresh = Buffer.from('the re-encrypted envelope');
      v.clock.t = T0 + 8 * HOUR + 30 * 60_000;
      await v.recorder.recordIntent({ key, from: sha256Hex(old), to: sha256Hex(fresh) });
      await v.store.delete(key);
      await v.store.put(key, fresh);
      await v.recorder.recordDeletion({ key, sha256: sha256Hex(old), reason: 'reencrypt', rule: 'reencrypt to alias/New' });
      await v.recorder.record({ key, sha256: sha256Hex(fresh), size: fresh.length });
      await v.recorder.checkpoint();
      assert.deepEqual(kinds(await verify(v, withState), key), ['valid'], 'the re-encrypted copy verifies at once');
      await writeFile(pathOf(v, key), old);
      assert.deepEqual(kinds(await verify(v, withState), key), ['modified']);
    });
  });

  test(`first digest deleted → digest-missing, ${as}`, async () => {
    await withOpenPeriod(async (v) => {
      const first = digestKey(LOC, T0 + HOUR);
      await unlink(pathOf(v, first));
      assert.deepEqual(kinds(await verify(v, withState), first), ['digest-missing']);
    });
  });

  test(`home rolled back (vault and state restored from an older copy) → caught by --expect-head, ${as}`, async () => {
    await withOpenPeriod(async (v, _open, oldHead) => {
      const snapshot = join(v.dir, 'snapshot');
      await cp(v.root, join(snapshot, 'vault'), { recursive: true });
      await cp(v.stateDir, join(snapshot, 'state'), { recursive: true });
      v.clock.t = T0 + 8 * HOUR + 40 * 60_000;
      const key = 'AWSLogs/123456789012/redshift/us-east-1/2026/11/01/later.gz.alv';
      const body = Buffer.from('an object the attacker wants gone');
      await v.store.put(key, body);
      await v.recorder.record({ key, sha256: sha256Hex(body), size: body.length });
      const newHead = (await v.recorder.checkpoint())!.sha256;
      assert.equal((await verify(v, withState, newHead)).problems, 0);
      assert.equal((await verify(v, withState, oldHead)).problems, 0, 'an older kept head is still in the chain');
      await rm(v.root, { recursive: true });
      await rm(v.stateDir, { recursive: true });
      await cp(join(snapshot, 'vault'), v.root, { recursive: true });
      await cp(join(snapshot, 'state'), v.stateDir, { recursive: true });
      // A consistent older home verifies clean on its own — only the head kept outside tells.
      assert.equal((await verify(v, withState)).problems, 0);
      const r = await verify(v, withState, newHead);
      assert.deepEqual(r.findings.filter((f) => f.kind === 'head-not-found').map((f) => f.key), [newHead]);
    });
  });

  test(`newest checkpoint deleted → ${withState ? 'checkpoint missing' : 'caught by --expect-head'}, ${as}`, async () => {
    await withOpenPeriod(async (v, _open, head) => {
      let newest = '';
      for await (const o of v.store.list('AWSLogs/auditlake/auditlake-digest/global/checkpoint/')) newest = o.key;
      await unlink(pathOf(v, newest));
      const r = await verify(v, withState, head);
      if (withState) assert.deepEqual(kinds(r, newest), ['digest-missing']);
      assert.ok(r.findings.some((f) => f.kind === 'head-not-found'), 'the kept head is gone');
    });
  });
}
