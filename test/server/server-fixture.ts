import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventIdFor } from '../../src/core/event-id.js';
import type { AuditEvent, LogType } from '../../src/core/event.js';
import { resolveHome, type HomeLayout } from '../../src/core/home.js';
import type { FleetDatabase } from '../../src/config/fleet.js';
import { openTokenStore } from '../../src/server/auth/token-store.js';
import type { Role } from '../../src/server/auth/principal.js';
import type { ResolveTarget } from '../../src/server/intake/intake-service.js';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/start-server.js';
import { openLake, type OpenedLake } from '../../src/sinks/lake/index.js';
import type { EnableResult } from '../../src/sources/postgres/enable-result.js';

export const ACCT_A = '111122223333';
export const ACCT_B = '444455556666';
/** Text only account B's records carry: finding it in any answer to an A-scoped token is a leak. */
export const MARKER_B = 'zz-only-in-b-7f3a';
export const MARKER_A = 'zz-only-in-a-19c2';

let seq = 0;
function ev(account: string, time: string, logType: LogType, f: Partial<AuditEvent>): AuditEvent {
  seq += 1;
  const marker = account === ACCT_B ? MARKER_B : MARKER_A;
  return {
    eventId: eventIdFor(['server-test', String(seq)]), time: Date.parse(time), logType,
    sourceFormat: logType === 'api' ? 'cloudtrail' : logType === 'connection' ? 'redshift-connectionlog' : 'redshift-useractivitylog',
    account, region: 'eu-west-1', service: 'redshift', cluster: account === ACCT_B ? 'b-cluster' : 'a-cluster', database: 'dev',
    user: account === ACCT_B ? 'bob_b' : 'alice_a', session: String(seq), remoteHost: '10.0.0.1', remotePort: '5439', action: 'authenticated',
    statement: null, success: true, errorCode: null, object: null, details: { marker }, raw: `record ${seq} ${marker}`, sourceObject: `test-${account}`, sourceLine: seq,
    ...f,
  };
}

/** Two accounts, every log type, October 2026. */
export function fixtureEvents(): AuditEvent[] {
  seq = 0;
  const out: AuditEvent[] = [];
  for (const acct of [ACCT_A, ACCT_B]) {
    const m = acct === ACCT_B ? MARKER_B : MARKER_A;
    for (let d = 1; d <= 5; d++) {
      const day = `2026-10-0${d}`;
      out.push(ev(acct, `${day}T09:00:00Z`, 'connection', {}));
      out.push(ev(acct, `${day}T23:30:00Z`, 'connection', { action: 'authentication failure', success: false }));
      out.push(ev(acct, `${day}T10:00:00Z`, 'activity', { action: 'SELECT', statement: `select * from sales /* ${m} */`, object: 'public.sales' }));
    }
    out.push(ev(acct, '2026-10-02T12:00:00Z', 'user', { action: 'create', object: `user_${m}`, sourceFormat: 'redshift-userlog' }));
    out.push(ev(acct, '2026-10-03T12:00:00Z', 'api', { action: 'ModifyCluster', service: 'redshift', object: `arn:${m}` }));
  }
  return out;
}

export async function buildLake(home: HomeLayout): Promise<OpenedLake> {
  const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  const b = lake.beginBatch();
  for (const e of fixtureEvents()) await b.add(e);
  await b.commit([]);
  return lake;
}

export interface Fixture {
  dir: string;
  home: HomeLayout;
  lake: OpenedLake;
  server: RunningServer;
  url: string;
  tokens: Record<string, string>;
  call(path: string, opts?: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; text: string; json: () => any }>;
  close(): Promise<void>;
}

/** A server over a two-account lake, with a token for every role × {A, B, all}. */
export async function startFixture(opts: Partial<StartServerOptions> & { resolve?: ResolveTarget; enable?: (db: FleetDatabase, url: string) => Promise<EnableResult>; dir?: string; keepLake?: boolean } = {}): Promise<Fixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'al-serve-'));
  const home = resolveHome(join(dir, 'home'));
  const lake = opts.keepLake ? await openLake({ root: home.lake, tmpDir: home.tmp }) : await buildLake(home);
  const store = openTokenStore(home);
  const tokens: Record<string, string> = {};
  if (!opts.keepLake) {
    for (const role of ['reader', 'ingest', 'admin'] as Role[]) {
      for (const [scope, account] of [['A', ACCT_A], ['B', ACCT_B], ['all', null]] as const) tokens[`${role}:${scope}`] = store.create({ role, account }).token;
    }
  }
  const server = await startServer({
    home, lake, masterKey: null, vault: null, listen: { host: '127.0.0.1', port: 0 }, flushMs: 60_000, log: () => {},
    resolve: opts.resolve ?? (async () => ({ wait: 'test: never reachable' })),
    ...opts,
  });
  return {
    dir, home, lake, server, url: server.url, tokens,
    async call(path, o = {}) {
      const headers: Record<string, string> = { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers };
      const res = await fetch(server.url + path, { method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'), headers, body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body) });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    },
    async close() {
      await server.close();
      await lake.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
