import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHome } from '../../src/core/home.js';
import { openTokenStore } from '../../src/server/auth/token-store.js';
import { freePort, pgSkip, startPostgres, PG_SUPERUSER_PASSWORD } from '../helpers/postgres.js';
import { repoRoot } from '../helpers/repo-root.js';
import { ACCT_A, startFixture } from './server-fixture.js';

const createEvent = (id: string, instance: string, account = ACCT_A) => ({
  version: '0', id, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.rds', account, time: '2026-12-01T10:00:00Z', region: 'eu-west-1',
  detail: {
    eventVersion: '1.08', eventTime: '2026-12-01T10:00:00Z', eventSource: 'rds.amazonaws.com', eventName: 'CreateDBInstance', awsRegion: 'eu-west-1',
    requestParameters: { dBInstanceIdentifier: instance, engine: 'postgres', masterUsername: 'postgres', masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    responseElements: { dBInstanceIdentifier: instance, engine: 'postgres', dBInstanceStatus: 'creating' }, eventID: `ct-${id}`,
  },
});

test('intake: a create event starts the fleet workflow (enable + verify on a real PostgreSQL); duplicates accepted once', { skip: pgSkip(), timeout: 120_000 }, async () => {
  const db = await startPostgres();
  process.env.AL_TEST_INTAKE_PG_PW = PG_SUPERUSER_PASSWORD;
  let polls = 0;
  // Stands in for RDS DescribeDBInstances (no RDS here): "creating" on the first poll, then available at the local server.
  const f = await startFixture({
    resolve: async (wf) => (++polls < 2 ? { wait: `${wf.resource} is creating` } : { database: { name: wf.database, url: `postgres://postgres@127.0.0.1:${db.port}/postgres`, passwordEnv: 'AL_TEST_INTAKE_PG_PW' } }),
    fleet: () => ({ databases: [], discovery: [], driftCheckSeconds: 3600, silenceMinutes: 60, retry: { attempts: 3, baseMs: 50, maxMs: 200 }, pollSeconds: 0.2 }),
  });
  try {
    const token = f.tokens['ingest:A'];
    const first = await f.call('/api/v1/events', { token, body: createEvent('evt-1', 'orders-db') });
    assert.equal(first.status, 202);
    const r = first.json().results[0];
    assert.equal(r.accepted, true);
    assert.match(r.workflowId, /^wf_[0-9a-f]{24}$/);
    // the same event again (EventBridge retries): accepted once; a second event for the same database joins its workflow
    const dup = (await f.call('/api/v1/events', { token, body: createEvent('evt-1', 'orders-db') })).json().results[0];
    assert.deepEqual([dup.accepted, dup.workflowId], [false, r.workflowId]);
    const again = (await f.call('/api/v1/events', { token, body: [createEvent('evt-2', 'orders-db'), { ...createEvent('evt-3', 'x'), detail: { ...createEvent('evt-3', 'x').detail, eventName: 'DeleteDBInstance' } }] })).json().results;
    assert.deepEqual(again.map((x: { accepted: boolean; workflowId: string | null; ignored: string | null }) => [x.accepted, x.workflowId, !!x.ignored]), [[true, r.workflowId, false], [true, null, true]]);
    // a malformed event names the field
    const bad = await f.call('/api/v1/events', { token, body: { id: 'e', account: '12', detail: { eventName: 'CreateDBInstance' } } });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /account/);

    let wf: { step: string; history: { event: string; ok: boolean; message: string }[]; eventIds: string[] } | undefined;
    for (let i = 0; i < 200; i++) {
      wf = (await f.call(`/api/v1/workflows/${r.workflowId}`, { token })).json();
      if (wf!.step === 'enabled') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(wf!.step, 'enabled', JSON.stringify(wf));
    const events = wf!.history.map((h) => h.event);
    for (const e of ['accepted', 'waiting', 'resolved', 'discovered', 'enable']) assert.ok(events.includes(e), `history has ${e}: ${events.join(',')}`);
    assert.deepEqual(wf!.eventIds, ['evt-1', 'evt-2']);
    const c = await db.admin();
    assert.equal((await c.query('SHOW log_connections')).rows[0].log_connections, 'on'); // really enabled
    await c.end();
    // the databases endpoint shows it with its workflow state, metrics count the intake
    const dbs = (await f.call('/api/v1/databases', { token: f.tokens['reader:A'] })).json().databases;
    assert.ok(dbs.some((d: { name: string; workflow: { step: string } | null }) => d.name === 'orders-db' && d.workflow?.step === 'enabled'));
    const metrics = (await f.call('/metrics', { token })).text;
    assert.match(metrics, /component_received_events_total\{result="accepted"\} 2/);
    assert.match(metrics, /component_received_events_total\{result="duplicate"\} 1/);
  } finally {
    await f.close();
    await db.stop();
  }
});

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url + '/healthz')).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} never became healthy`);
}

test('kill -9 right after 202s: every accepted intake event is there after a restart, and stays de-duplicated', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-serve-kill-'));
  const home = join(dir, 'home');
  const token = openTokenStore(resolveHome(home)).create({ role: 'ingest', account: null }).token;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = () => spawn(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', home, 'serve', '--listen', `127.0.0.1:${port}`], { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  let child = start();
  try {
    await waitHealthy(url);
    const post = (body: unknown) => fetch(url + '/api/v1/events', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // a stream of events; stop listening for answers at a random point and kill -9 while requests are in flight
    const accepted: string[] = [];
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const id = `k-${i}`;
      inflight.push(post(createEvent(id, `db-${i % 7}`)).then(async (res) => { if (res.status === 202) accepted.push(id); }).catch(() => undefined));
      if (i === 40) {
        await Promise.race([Promise.all(inflight.slice(0, 20)), new Promise((r) => setTimeout(r, 15_000))]);
        child.kill('SIGKILL');
      }
    }
    await Promise.all(inflight);
    // The child may already be gone (the kill landed while the requests settled): 'exit' would never fire again.
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    assert.ok(accepted.length >= 5 && accepted.length < 60, `accepted before the kill: ${accepted.length} (some must be answered, some cut off)`);
    child = start();
    await waitHealthy(url);
    // every event answered 202 before the kill is known after the restart: re-sending it is a duplicate
    const res = await post(accepted.map((id) => createEvent(id, `db-${Number(id.slice(2)) % 7}`)).slice(0, 100));
    const results = ((await res.json()) as { results: { accepted: boolean; eventId: string }[] }).results;
    const lost = results.filter((x) => x.accepted).map((x) => x.eventId);
    assert.deepEqual(lost, [], 'accepted events lost by kill -9');
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
