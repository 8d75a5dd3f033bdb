import type { ActivityLogRecord } from '../formats/redshift/activity-log/record.js';
import type { ConnectionLogRecord } from '../formats/redshift/connection-log/record.js';
import type { UserLogRecord } from '../formats/redshift/user-log/record.js';
import type { Rng } from './prng.js';
import type { ClusterSpec, SimUser } from './roster.js';
import type { SecretBag } from './secrets.js';
import { airflowStatements, biStatement, dbtStatement, etlStatements, humanStatement, rdsdbStatements, type PlannedStmt } from './sql.js';
import { planUserChange } from './user-changes.js';

export type { PlannedStmt } from './sql.js';

export const HOUR = 3_600_000;
const MINUTE = 60_000;


/** Everything one cluster logged in one hour, in time order. */
export interface HourBatch {
  connection: ConnectionLogRecord[];
  user: UserLogRecord[];
  activity: Array<{ rec: ActivityLogRecord; secret: boolean }>;
}

export interface ClusterSimOptions {
  rng: Rng;
  secrets: SecretBag;
  windowStart: number;
  windowEnd: number;
  /** Target activity-log bytes for the hour starting at `hourStart` (BI sessions fill up to it). */
  fillBytes: (hourStart: number) => number;
}

export interface ClusterSim {
  /** Simulates the hour starting at `hourStart` (call in order) and returns the records that fall into it. */
  hour(hourStart: number): HourBatch;
}

type Entry =
  | { t: number; seq: number; kind: 'c'; rec: ConnectionLogRecord }
  | { t: number; seq: number; kind: 'u'; rec: UserLogRecord }
  | { t: number; seq: number; kind: 'a'; rec: ActivityLogRecord; secret: boolean };

const ATTACKER_IPS = ['::ffff:185.220.101.47', '::ffff:45.155.205.233', '::ffff:193.56.28.103', '::ffff:89.248.165.74', '::ffff:141.98.11.12'];
const ATTACK_NAMES: ReadonlyArray<readonly [string, number]> = [['admin', 5], ['awsuser', 4], ['root', 3], ['redshift', 2], ['postgres', 2], ['test', 1], ['master', 1]];

/** Database users that are programs, not people (left out of the after-hours count, as an analyst would). */
export const SERVICE_USERS = ['rdsdb', 'etl_loader', 'dbt_runner', 'airflow', 'looker_svc', 'tableau_svc'] as const;

/** After-hours as the manifest and the demo define it: before 07:00 or from 19:00 UTC, or Saturday/Sunday. */
export function isAfterHours(t: number): boolean {
  const d = new Date(t);
  const h = d.getUTCHours();
  const dow = d.getUTCDay();
  return h < 7 || h >= 19 || dow === 0 || dow === 6;
}

/**
 * One Redshift cluster's day-to-day life: the internal `rdsdb` health checks, the hourly loader, nightly dbt,
 * Airflow unloads, people running ad-hoc SQL (sometimes after hours, sometimes mistyping their password),
 * administrators changing users, brute-force bursts from one address, and BI sessions that fill the volume.
 * Sessions are generated whole when they start; their records wait in `pending` until their hour is emitted,
 * so memory holds at most the few hours a session can span.
 */
export function createClusterSim(spec: ClusterSpec, opts: ClusterSimOptions): ClusterSim {
  const { rng, secrets, windowStart, windowEnd } = opts;
  let pending: Entry[] = [];
  let seq = 0;
  let nextPid = spec.pidBase;
  let nextXid = rng.int(1000, 900000);
  /** Activity bytes still owed to the requested volume (negative: written ahead). */
  let fillBalance = 0;
  const users = spec.users;
  const hours = Math.round((windowEnd - windowStart) / HOUR);
  const changeHours = scheduleHours(rng.fork('changes'), hours, Math.max(2, Math.round((hours / 24) * 0.45)), 0.75);
  const burstHours = scheduleHours(rng.fork('bursts'), hours, Math.max(1, Math.round(hours / 24 / 6)), 0.1);
  const newPid = (): string => String((nextPid += rng.int(1, 300)));
  const newXid = (): string => String((nextXid += rng.int(1, 6)));

  if (spec.createdAt !== null) for (const u of users) if (u.kind !== 'internal' && u.kind !== 'admin') u.active = false;

  function conn(user: SimUser | { name: string; host: string; db: string }, event: string, t: number, pid: string, s: SessionWire): void {
    const local = s.host === '[local]';
    const rec: ConnectionLogRecord = {
      event,
      recordtime: t,
      remotehost: s.host,
      remoteport: s.port,
      pid,
      dbname: s.db,
      username: user.name,
      authmethod: s.auth,
      duration: s.durationUs ?? '0',
      sslversion: s.ssl[0],
      sslcipher: s.ssl[1],
      mtu: '0',
      sslcompression: '',
      sslexpansion: '',
      iamauthguid: '',
      application_name: s.appVisible ? s.app : '',
    };
    if (spec.modernConnectionLog) {
      rec.os_version = s.os;
      rec.driver_version = s.driver;
      rec.plugin_name = local ? '' : 'none';
      rec.protocol_version = local ? '0' : '2';
      rec.sessionid = s.sessionId;
    }
    pending.push({ t, seq: seq++, kind: 'c', rec });
  }

  interface SessionWire {
    host: string;
    port: string;
    db: string;
    auth: string;
    ssl: [string, string];
    app: string;
    appVisible: boolean;
    os: string;
    driver: string;
    sessionId: string;
    durationUs?: string;
  }

  function wire(user: SimUser, host = user.host): SessionWire {
    const local = host === '[local]';
    return {
      host,
      port: local ? '' : String(rng.int(1024, 65535)),
      db: user.db,
      auth: local ? 'Ident' : 'password',
      ssl: local ? ['', ''] : rng.chance(0.7) ? ['TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384'] : ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
      app: user.app,
      appVisible: false,
      os: user.osVersion,
      driver: user.driverVersion,
      sessionId: rng.uuid(),
    };
  }

  /** One session: connection records around the statements; returns the activity bytes it wrote (approx.). */
  function session(user: SimUser, t0: number, stmts: PlannedStmt[], gapMeanMs: number, host?: string): number {
    t0 += rng.int(0, 999); // schedules are in whole minutes; real clocks are not
    if (t0 >= windowEnd - 2000) return 0;
    const pid = newPid();
    const w = wire(user, host);
    if (user.kind === 'internal') w.ssl = ['', ''];
    conn(user, 'authenticated', t0, pid, w);
    conn(user, 'initiating session', t0 + rng.int(0, 1), pid, w);
    let t = t0 + rng.int(100, 900);
    let bytes = 0;
    if (w.app && w.host !== '[local]') {
      const ta = t0 + rng.int(30, 400);
      w.appVisible = true;
      conn(user, 'set application_name', ta, pid, { ...w, durationUs: String((ta - t0) * 1000 + rng.int(0, 999)) });
      if (w.app.startsWith('JDBC')) stmts = [{ sql: `SET application_name = '${w.app}'` }, ...stmts];
    }
    let xid = newXid();
    for (const s of stmts) {
      if (t >= windowEnd - 1000) break;
      // Statements inside the loader's BEGIN … COMMIT share its transaction id; everything else gets its own.
      if (!(user.role === 'etl' && (s.sql === 'COMMIT;' || s.sql.startsWith('COPY') || s.sql.startsWith('INSERT INTO')))) xid = newXid();
      const at = Math.floor(t / 1000) * 1000;
      const rec: ActivityLogRecord = { time: at, db: w.db, user: user.name, pid, userid: String(user.id), xid, sql: s.sql };
      pending.push({ t: at, seq: seq++, kind: 'a', rec, secret: s.secret === true });
      bytes += 88 + user.name.length + s.sql.length;
      if (s.rewritten) pending.push({ t: at, seq: seq++, kind: 'a', rec: { ...rec, sql: s.rewritten }, secret: false });
      if (s.change) {
        const ut = t + rng.int(2, 400);
        pending.push({ t: ut, seq: seq++, kind: 'u', rec: s.change(ut, pid, xid) });
      }
      t += Math.max(50, Math.round(rng.exp(gapMeanMs)));
    }
    const end = Math.min(t + rng.int(200, 30_000), windowEnd - 1);
    conn(user, 'disconnecting session', end, pid, { ...w, durationUs: String((end - t0) * 1000 + rng.int(0, 999)) });
    return bytes;
  }

  function failedLogin(name: string, t: number, host: string, db: string): void {
    const w: SessionWire = {
      host,
      port: String(rng.int(1024, 65535)),
      db,
      auth: 'password',
      ssl: ['TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384'],
      app: '',
      appVisible: false,
      os: '',
      driver: '',
      sessionId: rng.uuid(),
    };
    conn({ name, host, db }, 'authentication failure', t, newPid(), w);
  }

  function bruteForce(from: number): void {
    const host = rng.pick(ATTACKER_IPS);
    let t = from + rng.int(0, 50) * MINUTE + rng.int(0, 59_999);
    const n = rng.int(15, 60);
    for (let i = 0; i < n && t < windowEnd; i++) {
      failedLogin(rng.weighted(ATTACK_NAMES), t, host, 'dev');
      t += rng.int(400, 12_000);
    }
  }

  function creation(t: number): void {
    const admin = users.find((u) => u.kind === 'admin')!;
    const row = (u: SimUser, action: string, at: number, usecatupd: string): Entry => ({
      t: at,
      seq: seq++,
      kind: 'u',
      rec: { userid: String(u.id), username: u.name, action, usecreatedb: '1', usesuper: '1', usecatupd, pid: newPid(), xid: newXid(), recordtime: at },
    });
    pending.push(row(users[0], 'alter', t, '1'), row(admin, 'create', t + rng.int(200, 900), '0'));
    // Half an hour later the administrator creates everybody else.
    const stmts: PlannedStmt[] = [];
    for (const u of users) {
      if (u.active) continue;
      const pw = secrets.password(rng);
      stmts.push({
        sql: `CREATE USER ${u.name} PASSWORD '${pw}';`,
        secret: true,
        change: (at, pid, xid) => {
          u.active = true;
          return { userid: String(u.id), username: u.name, action: 'create', usecreatedb: '0', usesuper: '0', usecatupd: '0', pid, xid, recordtime: at };
        },
      });
      stmts.push({ sql: `GRANT USAGE ON SCHEMA analytics TO ${u.name};` });
    }
    session(admin, t + rng.int(20, 40) * MINUTE, stmts, 4000);
  }

  function hour(hStart: number): HourBatch {
    const hEnd = hStart + HOUR;
    const created = spec.createdAt;
    if (created === null || created < hEnd) simulate(hStart, created !== null && created >= hStart ? created : hStart, hEnd);
    const ready: Entry[] = [];
    const rest: Entry[] = [];
    for (const e of pending) (e.t < hEnd ? ready : rest).push(e);
    pending = rest;
    ready.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const out: HourBatch = { connection: [], user: [], activity: [] };
    for (const e of ready) {
      if (e.kind === 'c') out.connection.push(e.rec);
      else if (e.kind === 'u') out.user.push(e.rec);
      else out.activity.push({ rec: e.rec, secret: e.secret });
    }
    return out;
  }

  function simulate(hStart: number, from: number, hEnd: number): void {
    const index = Math.round((hStart - windowStart) / HOUR);
    const d = new Date(hStart);
    const hod = d.getUTCHours();
    const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
    const business = weekday && hod >= 8 && hod <= 18;
    let bytes = 0;
    if (spec.createdAt !== null && spec.createdAt >= hStart && spec.createdAt < hEnd) creation(spec.createdAt);

    // rdsdb: health checks every few minutes, local Ident sessions of a few hundred milliseconds.
    const rdsdb = users[0];
    for (let t = from + Math.round(rng.exp(6 * MINUTE)); t < hEnd; t += MINUTE + Math.round(rng.exp(8 * MINUTE))) {
      bytes += session(rdsdb, t, rdsdbStatements(rng), 40, rng.chance(0.85) ? '[local]' : '::ffff:127.0.0.1');
    }
    for (const u of users) {
      if (!u.active || u.kind !== 'service') continue;
      if (u.role === 'etl') bytes += session(u, from + rng.int(4, 7) * MINUTE, etlStatements(rng, secrets, rng.chance(0.06)), 9000);
      if (u.role === 'dbt' && hod === 2) bytes += session(u, from + rng.int(0, 5) * MINUTE, Array.from({ length: rng.int(8, 24) }, () => dbtStatement(rng)), 15_000);
      if (u.role === 'airflow' && hod % 6 === 1) bytes += session(u, from + rng.int(10, 20) * MINUTE, airflowStatements(rng, secrets, rng.chance(0.25)), 20_000);
    }
    for (const u of users) {
      if (!u.active || u.kind !== 'human') continue;
      if (!rng.chance(business ? 0.3 : 0.012)) continue;
      const t0 = from + rng.int(0, Math.max(0, hEnd - from - 1));
      // Now and then the password is mistyped first.
      if (rng.chance(0.05)) failedLogin(u.name, Math.max(from, t0 - rng.int(3000, 30_000)), u.host, u.db);
      bytes += session(u, t0, Array.from({ length: rng.int(2, 18) }, () => humanStatement(rng, u.name)), 45_000);
    }
    const changes = changeHours.get(index) ?? 0;
    if (changes > 0 && (spec.createdAt === null || from > spec.createdAt + 2 * HOUR)) {
      const admin = users.find((u) => u.kind === 'admin' && u.active)!;
      const stmts: PlannedStmt[] = [];
      for (let i = 0; i < changes; i++) stmts.push(...planUserChange(rng, users, secrets));
      bytes += session(admin, from + rng.int(0, 40) * MINUTE, stmts, 20_000);
    }
    if (burstHours.has(index)) bruteForce(from);
    // BI sessions fill the hour up to its share of the requested volume.
    const bi = users.find((u) => u.active && (u.role === 'looker' || u.role === 'tableau'));
    if (bi) {
      const tool = bi.role === 'looker' ? 'Looker' : 'Tableau';
      // The balance carries over, so the overshoot of one hour's last session is taken from the next hour.
      for (fillBalance += opts.fillBytes(hStart) - bytes; fillBalance > 0; ) {
        const t0 = from + rng.int(0, Math.max(0, hEnd - from - 1));
        const n = rng.int(5, 60);
        fillBalance -= session(bi, t0, Array.from({ length: n }, () => biStatement(rng, tool)), 4000) || 1;
      }
    } else fillBalance += opts.fillBytes(hStart) - bytes;
  }

  return { hour };
}

/** Picks `n` hour indexes (with repeats counted), a share `business` of them inside weekday office hours. */
function scheduleHours(rng: Rng, hours: number, n: number, businessShare: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let h = rng.int(0, hours - 1);
    if (rng.chance(businessShare)) h = Math.floor(h / 24) * 24 + rng.int(9, 17);
    else if (businessShare < 0.5) h = Math.floor(h / 24) * 24 + rng.pick([0, 1, 2, 3, 4, 22, 23]);
    if (h >= hours) h = hours - 1;
    out.set(h, (out.get(h) ?? 0) + 1);
  }
  return out;
}
