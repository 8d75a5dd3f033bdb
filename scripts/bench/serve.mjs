// Section "serve" (issue 15): `auditlake serve` under load on loopback — N concurrent clients searching (keep-alive,
// varied filters, bearer token) plus 1 client streaming intake events (each fsync'ed before its 202) — side by side
// with a trivial Hono "hello" server loaded by the same clients in the same run. Reports p50/p99 latency and
// requests/s, and auditlake's share of the baseline.
// Env: SERVE_BENCH_CLIENTS (default 8), SERVE_BENCH_SECONDS per phase (default 5), SERVE_BENCH_DAYS of demo data (default 7).
import { spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fmt, table } from './lib.mjs';

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One HTTP request over a keep-alive agent; resolves to { status, ms }. */
function hit(agent, port, { method = 'GET', path, headers = {}, body }) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request({ agent, host: '127.0.0.1', port, method, path, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

/** `clients` loops calling `next(i, n)` until `seconds` have passed. */
async function drive(port, clients, seconds, next) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const lat = [];
  const bad = new Map();
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; performance.now() < end; n++) {
      const r = await hit(agent, port, next(c, n));
      if (r.status >= 200 && r.status < 300) lat.push(r.ms);
      else bad.set(r.status, (bad.get(r.status) ?? 0) + 1);
    }
  }));
  const wallS = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  return { ok: lat.length, errors: Object.fromEntries(bad), p50: pct(lat, 50), p99: pct(lat, 99), rps: lat.length / wallS };
}

async function waitHealthy(port, child, what) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const r = await hit(undefined, port, { path: '/healthz' });
    if (r.status === 200) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${what} never answered /healthz`);
}

const HELLO = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.get('/hello', (c) => c.json({ hello: 'world' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[1]) });
`;

function intakeEvent(n) {
  const id = `bench-${process.pid}-${n}`;
  return JSON.stringify({
    version: '0', id, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.rds', account: '111122223333', time: new Date().toISOString(), region: 'eu-west-1',
    detail: { eventSource: 'rds.amazonaws.com', eventName: 'CreateDBInstance', awsRegion: 'eu-west-1', requestParameters: { dBInstanceIdentifier: `bench-db-${n % 50}`, engine: 'postgres' } },
  });
}

export default {
  name: 'serve',
  title: 'auditlake serve under load: concurrent search + intake vs a trivial Hono "hello" (same run, loopback)',
  async run(ctx) {
    const clients = Number(process.env.SERVE_BENCH_CLIENTS ?? 8);
    const seconds = Number(process.env.SERVE_BENCH_SECONDS ?? 5);
    const days = Number(process.env.SERVE_BENCH_DAYS ?? 7);
    const cli = join(ctx.root, 'bin/auditlake.js');
    const home = join(ctx.tmp, 'home-serve');
    // AWS calls of intake workflows fail at once on a closed loopback port instead of reaching out or waiting on IMDS
    const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' };
    const sync = (args) => {
      const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { encoding: 'utf8', env, cwd: ctx.tmp });
      if (r.status !== 0) throw new Error(`auditlake ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout.trim();
    };
    sync(['demo', '--accounts', '3', '--days', String(days), '--no-progress']);
    const rows = Number(JSON.parse(sync(['query', '--format', 'json', 'select count(*) as n from events'])).n);
    const accounts = sync(['query', '--format', 'json', 'select distinct account from events order by 1']).split('\n').map((l) => JSON.parse(l).account);
    const reader = sync(['tokens', 'create', '--scope', 'all', '--role', 'reader']).split('\n').pop();
    const scoped = sync(['tokens', 'create', '--scope', `account:${accounts[0]}`, '--role', 'reader']).split('\n').pop();
    const ingest = sync(['tokens', 'create', '--scope', 'all', '--role', 'ingest']).split('\n').pop();

    const helloPort = await freePort();
    const hello = spawn(process.execPath, ['--input-type=module', '-e', HELLO, String(helloPort)], { cwd: ctx.root, stdio: 'ignore' });
    const servePort = await freePort();
    // the bench's clients share one token each: lift the per-token rate limit out of the way
    const server = spawn(process.execPath, [cli, '--home', home, 'serve', '--listen', `127.0.0.1:${servePort}`, '--rate-limit', '100000000'], { cwd: ctx.tmp, env, stdio: 'ignore' });
    try {
      await waitHealthy(helloPort, hello, 'hello server');
      await waitHealthy(servePort, server, 'auditlake serve');
      // odd clients hold a token confined to the first account (their account filter names it), even ones see all
      const tokenOf = (c) => (c % 2 ? scoped : reader);
      const searchPath = (c, n) => {
        const k = (c * 7919 + n) % 4;
        const acct = c % 2 ? accounts[0] : accounts[(c + n) % accounts.length];
        return ['/api/v1/events?limit=50', `/api/v1/events?limit=50&account=${acct}&logType=connection`, '/api/v1/events?limit=50&q=select', `/api/v1/events?limit=50&from=2026-10-02T00:00:00Z&to=2026-10-03T00:00:00Z`][k];
      };
      // warm-up: the first DuckDB engine per scope is opened lazily
      await drive(servePort, 2, 1, (c, n) => ({ path: searchPath(c, n), headers: { authorization: `Bearer ${tokenOf(c)}` } }));

      const base = await drive(helloPort, clients, seconds, () => ({ path: '/hello' }));
      const health = await drive(servePort, clients, seconds, () => ({ path: '/healthz' }));
      let intakeN = 0;
      const [search, intake] = await Promise.all([
        drive(servePort, clients, seconds, (c, n) => ({ path: searchPath(c, n), headers: { authorization: `Bearer ${tokenOf(c)}` } })),
        drive(servePort, 1, seconds, () => ({ method: 'POST', path: '/api/v1/events', headers: { authorization: `Bearer ${ingest}` }, body: intakeEvent(intakeN++) })),
      ]);
      const row = (name, r) => [name, r.ok.toLocaleString('en-US'), Object.keys(r.errors).length ? JSON.stringify(r.errors) : '0', r.p50.toFixed(1), r.p99.toFixed(1), r.rps.toFixed(0), fmt.ratio(r.rps, base.rps)];
      const lines = [
        `demo home: 3 accounts × ${days} days, ${rows.toLocaleString('en-US')} events; ${clients} keep-alive clients × ${seconds} s per phase; load generator in the bench process on the same cores`,
        '',
        table([
          ['phase', 'answers 2xx', 'errors', 'p50 ms', 'p99 ms', 'req/s', 'req/s vs hello'],
          row(`Hono "hello" (baseline), ${clients} clients`, base),
          row(`auditlake /healthz (no auth), ${clients} clients`, health),
          row(`auditlake search (half account-scoped), ${clients} clients`, search),
          row('auditlake intake (fsync before 202), 1 client, concurrently', intake),
        ]),
        '',
        `search p99 is ${fmt.ratio(search.p99, base.p99)} the hello p99; each search is a DuckDB query over the Parquet lake with the caller's account scope.`,
      ];
      return { lines, results: { clients, seconds, rows, hello: base, healthz: health, search, intake } };
    } finally {
      server.kill('SIGTERM');
      hello.kill('SIGTERM');
      await Promise.all([server, hello].map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    }
  },
};
