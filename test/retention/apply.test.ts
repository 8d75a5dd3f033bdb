import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrorCode } from '../../src/core/errors.js';
import { verifyVault } from '../../src/sinks/vault/integrity/verify-vault.js';
import { applyRetention } from '../../src/retention/apply.js';
import { emptyConfig } from '../../src/retention/config-file.js';
import { addHold } from '../../src/retention/holds.js';
import { setRule } from '../../src/retention/rules.js';
import { buildVault, HOUR, T0 } from '../integrity/vault-fixture.js';

test('apply deletes expired vault objects, records each in the digest chain, and verify calls them authorised', async () => {
  const v = await buildVault({ hours: 4, perHour: 2, emptyHours: [] });
  try {
    let config = setRule({ ...emptyConfig(), framework: 'none' }, { account: '*', logType: '*', keep: '30d', by: 't' });
    const held = v.byHour[1][0];
    config = addHold(config, { prefix: held, reason: 'litigation 7', by: 'legal' }).config;
    v.clock.t = T0 + 5 * HOUR;
    const r = await applyRetention({ config, store: v.store, recorder: v.recorder, now: Date.parse('2026-12-15T00:00:00Z') });
    assert.equal(r.vaultDeleted, 7);
    assert.equal(r.plan.summary.held, 1);
    // The period that ended since the fixture flushed is sealed (by the first recordDeletion or the final flush).
    let digests = 0;
    // Digests only: the signed checkpoints (issue 10) live beside them under checkpoint/.
    for await (const o of v.store.list('AWSLogs/auditlake/')) if (o.key.endsWith('.json.gz') && !o.key.includes('/checkpoint/')) digests++;
    assert.equal(digests, 5);
    for (const k of v.byHour.flat()) assert.equal((await v.store.head(k)) !== null, k === held, k);
    // Deletions sit in the journal (current period) and then in a signed digest: authorised either way.
    let rep = await verifyVault({ store: v.store, publicKeys: v.publicKeys, stateDir: v.stateDir });
    assert.equal(rep.problems, 0, JSON.stringify(rep.findings.filter((f) => f.kind !== 'valid' && f.kind !== 'digest-valid' && f.kind !== 'authorised-expiry')));
    assert.equal(rep.objects.expired, 7);
    await v.recorder.flush(T0 + 7 * HOUR);
    rep = await verifyVault({ store: v.store, publicKeys: v.publicKeys });
    assert.equal(rep.problems, 0);
    assert.equal(rep.objects.expired, 7);
    assert.equal(rep.objects.valid, 1);
  } finally {
    await v.cleanup();
  }
});

test('apply refuses while a rule violates the framework without an override', async () => {
  const v = await buildVault({ hours: 1, perHour: 1 });
  try {
    const config = { ...setRule({ ...emptyConfig(), framework: 'none' }, { account: '*', logType: '*', keep: '30d', by: 't' }), framework: 'pci-dss' as const };
    await assert.rejects(applyRetention({ config, store: v.store, recorder: v.recorder, now: Date.parse('2026-12-15T00:00:00Z') }), (e: Error) => hasErrorCode(e, 'E_POLICY') && /12 months/.test(e.message));
    assert.ok(await v.store.head(v.byHour[0][0]));
  } finally {
    await v.cleanup();
  }
});
