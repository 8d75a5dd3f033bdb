import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHome } from '../../src/core/home.js';
import { openHomeVault } from '../../src/sinks/vault/open-home-vault.js';
import { readAll } from '../../src/stores/read-all.js';
import { runBinSync } from '../helpers/cli.js';
import { ACCT_A, startFixture } from './server-fixture.js';

test('self-audit: API calls (also refused ones) become CloudTrail records in the vault and the lake, secrets redacted; the report evidences PCI 10.2.1.3', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-selfaudit-'));
  const env = { AUDITLAKE_PASSPHRASE: 'self-audit-test-pass' };
  const created = runBinSync(join(dir, 'home'), ['keys', 'create', '--alias', 'alias/audit'], { env });
  assert.equal(created.code, 0, created.err);
  const home = resolveHome(join(dir, 'home'));
  const vault = await openHomeVault(home, { env, mode: 'on' });
  const f = await startFixture({ dir, vault });
  try {
    await f.call('/api/v1/events?limit=5');                                                                     // 401
    await f.call('/api/v1/events?limit=5', { token: f.tokens['reader:A'] });                                    // read
    await f.call('/api/v1/query', { token: f.tokens['reader:A'], body: { sql: "select 1 where 'x' <> 'password=Hunter2Secret!'" } });
    await f.call('/api/v1/verify', { method: 'POST', token: f.tokens['reader:A'] });                            // 403
    const written = await f.server.ctx.audit.flush();
    assert.ok(written >= 4, `records flushed: ${written}`);

    // the lake: log type api, service auditlake, who / what / outcome / origin
    const admin = f.tokens['admin:all'];
    const rows = (await f.call('/api/v1/query', { token: admin, body: { sql: "select action, \"user\", success, error_code, remote_host, raw from api_calls where service = 'auditlake' order by time, action" } })).json().rows as unknown[][];
    const by = (a: string) => rows.filter((r) => r[0] === a);
    assert.ok(by('SearchEvents').some((r) => r[1] === 'anonymous' && r[2] === false && r[3] === 'E_AUTH'), 'the refused anonymous search is recorded');
    assert.ok(by('SearchEvents').some((r) => r[2] === true && String(r[1]).length === 12), 'the reader search is recorded with its token id');
    assert.ok(by('StartVerify').some((r) => r[3] === 'E_FORBIDDEN'));
    assert.equal(by('RunQuery').length, 1);
    assert.equal(by('RunQuery')[0][4], '127.0.0.1');
    const all = JSON.stringify(rows);
    assert.ok(!all.includes('Hunter2Secret'), 'the secret in the SQL text is redacted');
    assert.ok(!all.includes(f.tokens['reader:A'].slice(17)), 'no token secret in the trail');
    // an account-confined reader cannot read auditlake's own trail
    const scoped = (await f.call('/api/v1/query', { token: f.tokens['reader:A'], body: { sql: "select count(*) from events where service = 'auditlake'" } })).json();
    assert.deepEqual(scoped.rows, [[0]]);

    // the vault: one sealed CloudTrail log file per flushed segment, in the digest chain's journal
    const keys: string[] = [];
    for await (const o of vault!.list('AWSLogs/auditlake/')) keys.push(o.key);
    assert.ok(keys.length >= 1, 'self-audit object in the vault');
    const body = JSON.parse((await readAll(await vault!.get(keys[0]))).toString('utf8')) as { Records: { eventName: string; userIdentity: { principalId: string } }[] };
    assert.ok(body.Records.some((r) => r.eventName === 'RunQuery'));
    const journal = runBinSync(home.root, ['verify', '--json'], { env });
    const report = JSON.parse(journal.out) as { problems: number; objects: { pending: number; total: number } };
    assert.equal(report.problems, 0, journal.out);
    assert.ok(report.objects.pending + report.objects.total >= keys.length);

    // the month's report: 10.2.1.3 evidenced from these records
    const month = new Date().toISOString().slice(0, 7);
    const rep = (await f.call(`/api/v1/reports/${month}`, { token: admin })).json() as { checks: { requirement: string; status: string; evidence: string }[] };
    const row = rep.checks.find((c) => c.requirement === '10.2.1.3');
    assert.equal(row?.status, 'pass', JSON.stringify(row));
    assert.match(row!.evidence, /access record/);
    assert.equal(ACCT_A.length, 12);
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
