import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ACCT_A, ACCT_B, MARKER_A, MARKER_B, startFixture, type Fixture } from './server-fixture.js';

/**
 * Every role × every endpoint × own / other account, plus SQL that tries to reach other accounts' rows or files.
 * The invariant checked on every answer: a token confined to account A never receives anything of account B
 * (its id or the marker text only B's records carry), whatever the status code.
 */
let f: Fixture;
before(async () => { f = await startFixture(); });
after(async () => { await f.close(); });

const intakeEvent = (account: string, id: string) => ({
  id, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.rds', account, region: 'eu-west-1', time: '2026-12-01T10:00:00Z',
  detail: { eventSource: 'rds.amazonaws.com', eventName: 'CreateDBInstance', awsRegion: 'eu-west-1', requestParameters: { dBInstanceIdentifier: `db-${id}`, engine: 'postgres' } },
});

const ENDPOINTS: { name: string; path: (other: string) => string; method?: string; body?: (acct: string) => unknown; need: 'read' | 'intake' | 'admin' | 'any' }[] = [
  { name: 'search', path: () => '/api/v1/events?limit=500', need: 'read' },
  { name: 'search other account', path: (o) => `/api/v1/events?limit=500&account=${o}`, need: 'read' },
  { name: 'search text of other', path: () => `/api/v1/events?q=${MARKER_B}`, need: 'read' },
  { name: 'query', path: () => '/api/v1/query', body: () => ({ sql: 'select account, "user", raw from events' }), need: 'read' },
  { name: 'report json', path: () => '/api/v1/reports/2026-10', need: 'read' },
  { name: 'report other account', path: (o) => `/api/v1/reports/2026-10?account=${o}`, need: 'read' },
  { name: 'report html', path: () => '/api/v1/reports/2026-10?format=html', need: 'read' },
  { name: 'databases', path: () => '/api/v1/databases', need: 'read' },
  { name: 'verify status', path: () => '/api/v1/verify', need: 'read' },
  { name: 'verify start', path: () => '/api/v1/verify', method: 'POST', need: 'admin' },
  { name: 'intake own', path: () => '/api/v1/events', body: (a) => intakeEvent(a, `own-${a}-${Math.random()}`), need: 'intake' },
  { name: 'workflows', path: () => '/api/v1/workflows', need: 'any' },
  { name: 'openapi', path: () => '/api/openapi.json', need: 'any' },
  { name: 'metrics', path: () => '/metrics', need: 'any' },
];

const allowed = (role: string, need: string) => need === 'any' || role === 'admin' || (role === 'reader' && need === 'read') || (role === 'ingest' && need === 'intake');

test('no endpoint answers without a token except /healthz', async () => {
  assert.equal((await f.call('/healthz')).status, 200);
  for (const e of ENDPOINTS) {
    const r = await f.call(e.path(ACCT_B), { method: e.method, body: e.body?.(ACCT_A) });
    assert.equal(r.status, 401, `${e.name} without a token`);
    assert.ok(!r.text.includes(MARKER_A) && !r.text.includes(MARKER_B));
  }
  // a forged token of the right shape (costs an scrypt each: three are enough), a revoked and an expired one
  for (const e of ENDPOINTS.slice(0, 3)) {
    const bad = await f.call(e.path(ACCT_B), { token: 'alk_000000000000_' + 'x'.repeat(43) });
    assert.equal(bad.status, 401, `${e.name} with a forged token`);
  }
});

test('role × endpoint × own/other account: roles enforced, 0 reads of another account', async () => {
  let checked = 0;
  for (const role of ['reader', 'ingest', 'admin']) {
    for (const e of ENDPOINTS) {
      const token = f.tokens[`${role}:A`];
      const r = await f.call(e.path(ACCT_B), { token, method: e.method, body: e.body?.(ACCT_A) });
      checked++;
      // the confinement invariant, whatever the status
      assert.ok(!r.text.includes(MARKER_B), `${role}:A ${e.name} leaked B's marker (status ${r.status})`);
      assert.ok(!r.text.includes(ACCT_B), `${role}:A ${e.name} leaked B's account id (status ${r.status})`);
      if (!allowed(role, e.need)) {
        assert.equal(r.status, 403, `${role} must be refused ${e.name}`);
        continue;
      }
      assert.ok(r.status < 300 || (e.name.includes('other') && r.status === 403), `${role}:A ${e.name} → ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
  // own account is visible to A readers; an unscoped reader sees both
  const own = await f.call('/api/v1/events?limit=500', { token: f.tokens['reader:A'] });
  assert.ok(own.text.includes(MARKER_A));
  const all = await f.call('/api/v1/events?limit=500', { token: f.tokens['reader:all'] });
  assert.ok(all.text.includes(MARKER_A) && all.text.includes(MARKER_B));
  // intake of another account's event is refused for a scoped ingest token
  const cross = await f.call('/api/v1/events', { token: f.tokens['ingest:A'], body: intakeEvent(ACCT_B, 'cross-1') });
  assert.equal(cross.status, 403);
  assert.ok(checked >= 40);
});

test('an event id of another account is not found, and the workflow of another account is not visible', async () => {
  const b = (await f.call('/api/v1/events?limit=1', { token: f.tokens['reader:B'] })).json().events[0];
  const r = await f.call(`/api/v1/events/${b.eventId}`, { token: f.tokens['reader:A'] });
  assert.equal(r.status, 404);
  const accepted = (await f.call('/api/v1/events', { token: f.tokens['ingest:B'], body: intakeEvent(ACCT_B, 'wf-b-1') })).json();
  const wf = accepted.results[0].workflowId;
  assert.match(wf, /^wf_[0-9a-f]{24}$/);
  assert.equal((await f.call(`/api/v1/workflows/${wf}`, { token: f.tokens['ingest:B'] })).status, 200);
  assert.equal((await f.call(`/api/v1/workflows/${wf}`, { token: f.tokens['reader:A'] })).status, 404);
});

const L = () => f.home.lake;
const ESCAPES = (): string[] => [
  'select account, count(*) from events group by 1',
  `select * from events where account = '${ACCT_B}'`,
  `select * from read_parquet('${L()}/log_type=connection/account=${ACCT_B}/**/*.parquet')`,
  `select * from read_parquet('${L()}/**/*.parquet', hive_partitioning=true)`,
  `select * from read_parquet('${L()}/log_type=connection/account=${ACCT_A}/../account=${ACCT_B}/**/*.parquet')`,
  `select * from '${L()}/log_type=activity/account=${ACCT_B}/*/*/*.parquet'`,
  `select * from read_text('${L()}/_auditlake_manifest.json')`,
  `select * from read_csv('${L()}/_auditlake_manifest.json')`,
  `select * from glob('${L()}/**')`,
  'select sql from duckdb_views()',
  'select * from duckdb_settings()',
  `attach '${L()}/x.db' as x`,
  `copy (select 1) to '${L()}/x.csv'`,
  "set allowed_directories = ['/']",
  "set enable_external_access = true",
  'install httpfs',
  "pragma add_parquet_key('k', 'AAAAAAAAAAAAAAAAAAAAAA==')",
  `select * from events; select * from read_parquet('${L()}/**/*.parquet')`,
  `with x as (select * from read_parquet('${L()}/log_type=user/account=${ACCT_B}/**/*.parquet')) select * from x`,
  `select * from read_json_auto('${L()}/../home/state/api-tokens.json')`,
];

test('SQL escape attempts from an account-confined token read nothing of another account', async () => {
  for (const sql of ESCAPES()) {
    for (const token of [f.tokens['reader:A'], f.tokens['admin:A']]) {
      const r = await f.call('/api/v1/query', { token, body: { sql } });
      // MARKER_B is in no SQL text, so finding it anywhere is data; B's account id may only come back inside an error
      // message that quotes the caller's own SQL, never in a result
      assert.ok(!r.text.includes(MARKER_B), `leak through: ${sql}\n→ ${r.status} ${r.text.slice(0, 300)}`);
      if (r.status === 200) assert.ok(!JSON.stringify(r.json().rows).includes(ACCT_B), `rows of B through: ${sql}`);
      assert.ok(r.status === 200 || r.status === 400, `${sql} → ${r.status}`);
    }
  }
  // the first one works and shows exactly the own account
  const ok = (await f.call('/api/v1/query', { token: f.tokens['reader:A'], body: { sql: 'select distinct account from events' } })).json();
  assert.deepEqual(ok.rows, [[ACCT_A]]);
});
