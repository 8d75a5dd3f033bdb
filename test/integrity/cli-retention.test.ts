import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, recent } from './cli-helpers.js';

test('auditlake retention + hold: framework refusal, override, plan, hold, apply, then verify shows authorised deletions', async () => {
  const v = await recent();
  try {
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    assert.equal(cli(v.dir, 'retention', 'framework', 'pci-dss').code, 0);
    let r = cli(v.dir, 'retention', 'set', '--keep', '1d');
    assert.equal(r.code, 7);
    assert.match(r.err, /Retain audit log history for at least 12 months/);
    r = cli(v.dir, 'retention', 'set', '--keep', '1d', '--override-framework', 'test: short retention accepted', '--by', 'tester');
    assert.equal(r.code, 0, r.err);
    r = cli(v.dir, 'hold', 'add', '--prefix', v.byHour[0][0], '--reason', 'case 42', '--by', 'legal');
    assert.equal(r.code, 0, r.err);
    const holdId = r.out.trim();
    r = cli(v.dir, 'retention', 'plan', '--now', later, '--no-lake');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.match(/^would delete\tvault\t/gm)?.length, 20);
    assert.match(r.out, new RegExp(`^held\\tvault\\t${v.byHour[0][0]}\\t.*legal hold ${holdId} by legal: case 42`, 'm'));
    assert.ok(await v.store.head(v.byHour[1][0]), 'plan deletes nothing');
    r = cli(v.dir, 'retention', 'apply', '--now', later, '--no-lake');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^20 vault object\(s\) and 0 lake partition\(s\) deleted/m);
    assert.equal(await v.store.head(v.byHour[1][0]), null);
    assert.ok(await v.store.head(v.byHour[0][0]), 'held object kept');
    r = cli(v.dir, 'verify');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^1\/1 vault objects valid.*; 20 authorised deletions$/m);
    assert.match(cli(v.dir, 'hold', 'list').out, new RegExp(`${holdId}\\tprefix .*\\tcase 42\\tby legal`));
    assert.equal(cli(v.dir, 'hold', 'remove', holdId).code, 0);
    assert.match(cli(v.dir, 'hold', 'list').out, /no legal holds/);
  } finally {
    await v.cleanup();
  }
});
