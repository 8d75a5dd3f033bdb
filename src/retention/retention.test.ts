import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrorCode } from '../core/errors.js';
import { createMemoryStore } from '../stores/drivers/memory.js';
import { classifyVaultKey } from './classify-key.js';
import { emptyConfig, validateConfig } from './config-file.js';
import { addHold, removeHold } from './holds.js';
import { exportLifecycle } from './lifecycle.js';
import { planRetention } from './plan.js';
import { ruleFor, setFramework, setRule } from './rules.js';
import { retentionStatus } from './status.js';
import type { RetentionConfig } from './types.js';

const by = 'tester';
const cfg = (framework: RetentionConfig['framework']): RetentionConfig => ({ ...emptyConfig(), framework });
const rs = (acct: string, type: string, date: string, cluster = 'prod-dw') =>
  `AWSLogs/${acct}/redshift/us-east-1/${date.replace(/-/g, '/')}/${acct}_redshift_us-east-1_${cluster}_${type}_${date}T10:00.gz.alv`;

test('pci-dss refuses 180d quoting 10.5.1; override is recorded; 90d queryable enforced', () => {
  const c = cfg('pci-dss');
  assert.throws(
    () => setRule(c, { account: '*', logType: '*', keep: '180d', by }),
    (e: Error) => hasErrorCode(e, 'E_POLICY') && /Retain audit log history for at least 12 months/.test(e.message) && /--override-framework/.test(e.message),
  );
  assert.throws(() => setRule(c, { account: '*', logType: '*', keep: '400d', lakeKeep: '60d', by }), /queryable 60d, shorter than pci-dss/);
  const ok = setRule(c, { account: '*', logType: '*', keep: '400d', lakeKeep: '90d', by });
  assert.equal(ok.rules.length, 1);
  assert.equal(ok.rules[0].override, undefined);
  const over = setRule(c, { account: '*', logType: '*', keep: '180d', by, overrideReason: 'seed 001: six months' });
  assert.deepEqual({ ...over.rules[0].override, at: 'x' }, { reason: 'seed 001: six months', by, at: 'x' });
  assert.throws(() => setRule(c, { account: '*', logType: '*', keep: '180d', by, overrideReason: '  ' }), /needs a reason/);
});

test('hipaa needs 6y, gxp allows no automatic deletion, none allows anything; switching framework re-checks rules', () => {
  assert.throws(() => setRule(cfg('hipaa'), { account: '*', logType: '*', keep: '5y', by }), /HIPAA 45 CFR 164.316/);
  setRule(cfg('hipaa'), { account: '*', logType: '*', keep: '6y', by });
  assert.throws(() => setRule(cfg('gxp'), { account: '*', logType: '*', keep: '30y', by }), /21 CFR 11.10\(e\)/);
  const none = setRule(cfg('none'), { account: '*', logType: '*', keep: '180d', by });
  assert.throws(() => setFramework(none, 'pci-dss'), (e: Error) => hasErrorCode(e, 'E_POLICY'));
  assert.equal(setFramework(none, 'none').framework, 'none');
  assert.throws(() => setRule(cfg('none'), { account: '*', logType: '*', keep: '30d', lakeKeep: '60d', by }), /cannot outlive/);
});

test('the longest matching rule wins; mixed files need a wildcard rule', () => {
  let c = setRule(cfg('none'), { account: '*', logType: '*', keep: '100d', by });
  c = setRule(c, { account: '111111111111', logType: 'connection', keep: '400d', by });
  c = setRule(c, { account: '111111111111', logType: 'activity', keep: '50d', by });
  assert.equal(ruleFor(c.rules, '111111111111', 'connection')!.keep, '400d');
  assert.equal(ruleFor(c.rules, '111111111111', 'activity')!.keep, '100d', 'wildcard 100d is longer than the 50d account rule');
  assert.equal(ruleFor(c.rules, '111111111111', null)!.keep, '400d');
  const noWild = setRule(cfg('none'), { account: '1', logType: 'connection', keep: '10d', by });
  assert.equal(ruleFor(noWild.rules, '1', null), undefined);
});

test('classifies vault keys: Redshift log types and cluster, CloudTrail, mixed files, foreign keys', () => {
  assert.deepEqual(classifyVaultKey(rs('123456789012', 'useractivitylog', '2026-01-02', 'my_cluster_1')), {
    account: '123456789012', service: 'redshift', region: 'us-east-1', date: '2026-01-02', logType: 'activity', cluster: 'my_cluster_1',
  });
  assert.equal(classifyVaultKey('AWSLogs/1/cloudtrail/us-east-1/2026/01/02/1_CloudTrail_us-east-1_20260102T1000Z_x.json.gz.alv')!.logType, 'api');
  assert.equal(classifyVaultKey('AWSLogs/1/postgres/eu-west-1/2026/01/02/postgresql.log.2026-01-02-10.gz.alv')!.logType, null);
  assert.equal(classifyVaultKey('reencrypt-staging/x'), null);
  assert.equal(classifyVaultKey('reencrypt-staging/AWSLogs/1/redshift/us-east-1/2026/01/02/x.alv'), null, 'staging copies are never retention candidates');
});

test('plan: ages by whole days, holds by cluster/prefix/account keep objects, digests never touched', async () => {
  const store = createMemoryStore();
  const keys = [
    rs('111111111111', 'connectionlog', '2026-01-01'),
    rs('111111111111', 'connectionlog', '2026-06-30'),
    rs('111111111111', 'userlog', '2026-01-01', 'legal-cluster'),
    rs('222222222222', 'useractivitylog', '2026-01-01'),
    rs('333333333333', 'connectionlog', '2026-01-01'),
    'AWSLogs/auditlake/auditlake-digest/global/2026/01/01/auditlake_auditlake-digest_global_20260101T010000Z.json.gz',
  ];
  for (const k of keys) await store.put(k, Buffer.from(k));
  let c = setRule(cfg('none'), { account: '*', logType: '*', keep: '180d', by });
  c = setRule(c, { account: '333333333333', logType: '*', keep: '2y', by });
  c = addHold(c, { cluster: 'legal-cluster', reason: 'case 1', by }).config;
  const h2 = addHold(c, { account: '222222222222', reason: 'case 2', by });
  c = h2.config;
  // 2026-01-01 ends 2026-01-02T00:00Z; 180 days later is 2026-07-01T00:00Z.
  const before = await planRetention({ config: c, store, now: Date.parse('2026-06-30T23:59:59Z') });
  assert.deepEqual(before.items.filter((i) => i.action === 'delete').map((i) => i.id), []);
  const plan = await planRetention({ config: c, store, now: Date.parse('2026-07-01T00:00:00Z') });
  const del = plan.items.filter((i) => i.action === 'delete').map((i) => i.id);
  const held = plan.items.filter((i) => i.action === 'hold').map((i) => [i.id, i.hold!.reason]);
  assert.deepEqual(del, [keys[0]]);
  assert.deepEqual(held, [[keys[2], 'case 1'], [keys[3], 'case 2']]);
  assert.equal(plan.summary.vaultDeletes, 1);
  assert.equal(plan.summary.held, 2);
  assert.equal(plan.lakeSupported, false);
  const lifted = await planRetention({ config: removeHold(c, h2.hold.id), store, now: Date.parse('2026-07-01T00:00:00Z') });
  assert.ok(lifted.items.some((i) => i.id === keys[3] && i.action === 'delete'));
});

test('plan: lake partitions expire by lakeKeep; a cluster hold protects that account\'s partitions', async () => {
  const store = createMemoryStore();
  await store.put(rs('111111111111', 'connectionlog', '2026-05-01', 'held-dw'), Buffer.from('x'));
  let c = setRule(cfg('none'), { account: '*', logType: '*', keep: '400d', lakeKeep: '30d', by });
  // A stand-in exposing only the two optional Lake methods retention uses (the real lake may not implement them yet).
  const partitions = [
    { logType: 'connection', account: '111111111111', region: 'us-east-1', date: '2026-05-01', files: 2, bytes: 100 },
    { logType: 'connection', account: '222222222222', region: 'us-east-1', date: '2026-05-01', files: 1, bytes: 50 },
    { logType: 'connection', account: '222222222222', region: 'us-east-1', date: '2026-06-25', files: 1, bytes: 50 },
  ];
  const lake = { listPartitions: async () => partitions, dropPartitions: async () => ({ files: 0, bytes: 0 }) };
  let plan = await planRetention({ config: c, store, lake, now: Date.parse('2026-07-01T00:00:00Z') });
  assert.deepEqual(plan.items.filter((i) => i.action === 'delete').map((i) => i.id), [
    'log_type=connection/account=111111111111/region=us-east-1/date=2026-05-01',
    'log_type=connection/account=222222222222/region=us-east-1/date=2026-05-01',
  ]);
  c = addHold(c, { cluster: 'held-dw', reason: 'r', by }).config;
  plan = await planRetention({ config: c, store, lake, now: Date.parse('2026-07-01T00:00:00Z') });
  assert.deepEqual(plan.items.filter((i) => i.action === 'hold').map((i) => i.account), ['111111111111']);
});

test('export-lifecycle: per-account prefixes, longest Redshift rule, held prefixes left out, gxp exports nothing', () => {
  let c = setRule(cfg('none'), { account: '111111111111', logType: 'connection', keep: '400d', by });
  c = setRule(c, { account: '111111111111', logType: 'user', keep: '200d', by });
  c = setRule(c, { account: '111111111111', logType: 'activity', keep: '180d', by });
  c = setRule(c, { account: '111111111111', logType: 'api', keep: '1y', by });
  let out = exportLifecycle(c);
  assert.deepEqual(out.configuration.Rules, [
    { ID: 'auditlake-111111111111-redshift-400d', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/111111111111/redshift/' }, Expiration: { Days: 400 } },
    { ID: 'auditlake-111111111111-cloudtrail-365d', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/111111111111/cloudtrail/' }, Expiration: { Days: 365 } },
  ]);
  c = addHold(c, { account: '111111111111', reason: 'r', by }).config;
  out = exportLifecycle(c);
  assert.deepEqual(out.configuration.Rules, []);
  assert.equal(out.notes.length, 2);
  assert.deepEqual(exportLifecycle({ ...cfg('gxp') }).configuration.Rules, []);
});

test('config validation rejects unknown keys by name; status summarises for the report', () => {
  assert.throws(() => validateConfig({ version: 1, framework: 'none', rules: [], holds: [], hold: [] }, 'x'), /hold is not a known key/);
  assert.throws(() => validateConfig({ version: 1, framework: 'sox', rules: [], holds: [] }, 'x'), /framework must be one of/);
  let c = setRule(cfg('pci-dss'), { account: '*', logType: '*', keep: '400d', lakeKeep: '100d', by });
  c = setRule(c, { account: '1', logType: 'api', keep: '365d', by });
  assert.deepEqual({ ...retentionStatus(c), summary: '' }, { minDays: 365, queryableDays: 100, summary: '' });
});
