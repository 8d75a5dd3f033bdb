import { errorMessage, hasErrorCode } from '../core/errors.js';
import type { HomeLayout } from '../core/home.js';
import type { Lake } from '../core/lake.js';
import { createCollector, type Collector } from '../pipeline/collector.js';
import type { CollectConfig, CollectSource } from '../config/collect.js';
import type { EnableResult } from '../sources/postgres/enable-result.js';
import { enablePostgres } from '../sources/postgres/enable.js';
import { enableMariaDb } from '../sources/mariadb/enable.js';
import { raiseAlert, type FleetAlert } from './alert.js';
import { fullJitterDelay } from './backoff.js';
import type { FleetConfig, FleetDatabase } from '../config/fleet.js';
import { openFleetStore, type FleetOutcome, type FleetStore } from './state.js';
import { createOwnActivity } from '../pipeline/own-activity.js';
import { silenceStep } from './silence.js';

export interface WatcherDeps {
  home: HomeLayout;
  /** Re-read on every cycle, so a new entry in the fleet file is noticed. */
  loadConfig: () => FleetConfig;
  /** Databases found by discovery (RDS / Redshift polls); default none. */
  discover?: (cfg: FleetConfig) => Promise<FleetDatabase[]>;
  /** The lake the collector delivers to (absent: enable + checks only). */
  lake?: Lake;
  now?: () => number;
  random?: () => number;
  /** Where alert lines go (default stderr). */
  write?: (s: string) => void;
  /**
   * Enable function per engine (tests keep the real ones; injectable for dry runs). It reports the audit-log session
   * ids of its own connections through `onSession`, so the canary traffic does not count as the database's activity.
   */
  enable?: (db: FleetDatabase, url: string, onSession: (ids: string[]) => void) => Promise<EnableResult>;
  /** Called for every outcome of a run() cycle (the CLI prints them). */
  onOutcome?: (o: FleetOutcome) => void;
}

export interface Watcher {
  /** One pass: notice databases, advance their workflows, drift + silence checks, collect. */
  cycle(): Promise<FleetOutcome[]>;
  /** Cycles every pollSeconds until stop(). */
  run(): Promise<void>;
  stop(): Promise<void>;
  readonly store: FleetStore;
  collector(): Collector | null;
}

function urlWithPassword(db: FleetDatabase): string {
  if (!db.passwordEnv) return db.url;
  const pw = process.env[db.passwordEnv];
  if (!pw) return db.url;
  const u = new URL(db.url);
  u.password = encodeURIComponent(pw);
  return u.toString();
}

/**
 * Engine-level enable; for an RDS instance the parameter/option group first (through the SDK, idempotent): while
 * its static settings are `pending-reboot`, the SQL step fails with the exact reason and the workflow retries.
 */
async function defaultEnable(db: FleetDatabase, url: string, onSession: (ids: string[]) => void): Promise<EnableResult> {
  const notes: string[] = [];
  if (db.rds) {
    const [{ RDSClient }, { enableRdsAuditing }, { formatAwsResult }] = await Promise.all([import('@aws-sdk/client-rds'), import('../sources/aws-databases/rds-audit.js'), import('../sources/aws-databases/aws-change.js')]);
    const r = await enableRdsAuditing(new RDSClient({ region: db.rds.region }), db.rds.instanceId, { pgauditLog: db.pgauditLog });
    if (r.changes.length) notes.push(formatAwsResult(r));
  }
  const res = /^postgres/.test(url)
    ? await enablePostgres(url, { pgauditLog: db.pgauditLog, logFormat: db.format === 'jsonlog' ? 'jsonlog' : 'csvlog', onSession })
    : await enableMariaDb(url, { auditFile: db.auditFile, onSession });
  res.notes.push(...notes);
  return res;
}

/**
 * The fleet watcher: a durable enable → verify → collect workflow per database (state survives restarts; failed
 * steps retry with full-jitter backoff up to `retry.attempts`, then the database is marked failed and alerted —
 * and tried again at the next drift check), a periodic drift check (enable again: anything it had to change was
 * turned off or weakened → re-enforced and alerted), and a silence check (no audit record from a database for
 * longer than its threshold → alert). Every outcome is appended to `state/fleet/outcomes.jsonl`.
 */
export function createWatcher(d: WatcherDeps): Watcher {
  const now = d.now ?? Date.now;
  const store = openFleetStore(d.home, now);
  const enable = d.enable ?? defaultEnable;
  let collector: Collector | null = null;
  let collectorKey = '';
  let stopping = false;
  let found: FleetDatabase[] = [];
  let lastDiscoverAt = -Infinity;
  let wake: (() => void) | null = null;
  // the drift check's own connections and canaries: recorded in the lake, kept off the silence clock
  const own = createOwnActivity({ now });

  const alert = (a: Omit<FleetAlert, 'time'>, webhook?: string) => raiseAlert({ ...a, time: new Date(now()).toISOString() }, webhook, d.write);

  async function ensureCollector(dbs: FleetDatabase[]): Promise<void> {
    if (!d.lake) return;
    const sources: CollectSource[] = dbs
      .filter((db) => db.log && store.get(db.name)?.step === 'enabled')
      .map((db) => ({ name: db.name, type: /^postgres/.test(db.url) ? 'postgres' : 'mariadb', log: db.log!, format: db.format ?? 'csvlog', server: db.name, account: '', region: '', utcOffsetMinutes: 0, startAt: 'beginning' }));
    const key = JSON.stringify(sources);
    if (key === collectorKey) return;
    // the source set changed: flush and close the old collector, start one over the new set (buffers persist)
    if (collector) await collector.stop();
    collector = null;
    collectorKey = key;
    if (sources.length === 0) return;
    const cc: CollectConfig = { sources, maxEvents: 5000, maxBytes: 8 * 1024 * 1024, maxDelayMs: 1000, pollMs: 200 };
    collector = await createCollector(cc, d.home, d.lake, { own });
  }

  async function advance(cfg: FleetConfig, db: FleetDatabase, out: FleetOutcome[]): Promise<void> {
    const t = now();
    let st = store.get(db.name);
    if (!st) {
      st = { step: 'pending', attempts: 0, nextAttemptAt: t };
      store.set(db.name, st);
      out.push(store.record({ database: db.name, event: 'discovered', ok: true, message: `new database ${db.name}` }));
    }
    const driftDue = st.step !== 'pending' && t - (st.lastDriftCheckAt ?? st.enabledAt ?? 0) >= cfg.driftCheckSeconds * 1000;
    const enableDue = st.step === 'pending' && t >= st.nextAttemptAt;
    if (enableDue || driftDue) {
      const attempt = st.attempts + 1;
      try {
        const res = await enable(db, urlWithPassword(db), (ids) => own.addSessions(db.name, ids));
        const changes = res.changes.map((c) => `${c.setting}: ${c.from} -> ${c.to}`);
        if (st.step === 'pending' || st.step === 'failed') {
          out.push(store.record({ database: db.name, event: 'enable', ok: true, attempt, message: `enabled and verified (canary after ${res.verified?.ms} ms)`, changes, verifiedMs: res.verified?.ms }));
        } else {
          out.push(store.record({ database: db.name, event: 'drift', ok: changes.length === 0, message: changes.length ? `drift re-enforced: ${changes.join('; ')}` : 'no drift', changes, verifiedMs: res.verified?.ms }));
          if (changes.length) await alert({ type: 'drift', database: db.name, message: `audit settings were off or weakened and have been re-enforced: ${changes.join('; ')}` }, cfg.webhook);
        }
        store.set(db.name, { ...st, step: 'enabled', attempts: 0, nextAttemptAt: 0, enabledAt: st.enabledAt ?? t, lastDriftCheckAt: t, lastError: undefined });
      } catch (err) {
        const msg = errorMessage(err);
        if (st.step === 'enabled') {
          // the database was audited; now a check failed (canary never arrived, or unreachable)
          const type = hasErrorCode(err, 'E_INTEGRITY') ? 'canary' : 'failed';
          out.push(store.record({ database: db.name, event: 'drift', ok: false, message: msg }));
          await alert({ type, database: db.name, message: msg }, cfg.webhook);
          store.set(db.name, { ...st, lastDriftCheckAt: t, lastError: msg });
        } else if (attempt >= cfg.retry.attempts) {
          out.push(store.record({ database: db.name, event: 'failed', ok: false, attempt, message: `gave up after ${attempt} attempts: ${msg}` }));
          // alert on the transition only; a failed database is retried at every drift check without new alerts
          if (st.step !== 'failed') await alert({ type: 'failed', database: db.name, message: `enable failed after ${attempt} attempts: ${msg}` }, cfg.webhook);
          store.set(db.name, { ...st, step: 'failed', attempts: attempt, lastDriftCheckAt: t, lastError: msg });
        } else {
          const wait = fullJitterDelay(attempt - 1, cfg.retry.baseMs, cfg.retry.maxMs, d.random);
          out.push(store.record({ database: db.name, event: 'retry', ok: false, attempt, message: msg, retryInMs: wait }));
          store.set(db.name, { ...st, attempts: attempt, nextAttemptAt: t + wait, lastError: msg });
        }
      }
    }
    // silence: a collected database that produced no audit record (other than our own canaries) for too long
    const cur = store.get(db.name)!;
    if (cur.step === 'enabled' && db.log && collector) {
      const limit = (db.silenceMinutes ?? cfg.silenceMinutes) * 60_000;
      const step = silenceStep({ now: t, lastRecordAt: collector.lastRecordAt(db.name) ?? cur.enabledAt ?? t, limitMs: limit, alertedAt: cur.silenceAlertedAt });
      if (step.kind === 'silent') {
        out.push(store.record({ database: db.name, event: 'silence', ok: false, message: step.message }));
        await alert({ type: 'silence', database: db.name, message: step.message }, cfg.webhook);
        store.set(db.name, { ...cur, silenceAlertedAt: t });
      } else if (step.kind === 'resumed') {
        out.push(store.record({ database: db.name, event: 'resumed', ok: true, message: step.message }));
        await alert({ type: 'resumed', database: db.name, message: step.message }, cfg.webhook);
        store.set(db.name, { ...cur, silenceAlertedAt: undefined });
      }
    }
  }

  async function cycle(): Promise<FleetOutcome[]> {
    const cfg = d.loadConfig();
    // discovery (AWS API calls) only every pollSeconds; the fleet file is cheap and re-read every cycle
    if (d.discover && now() - lastDiscoverAt >= cfg.pollSeconds * 1000) {
      found = await d.discover(cfg);
      lastDiscoverAt = now();
    }
    const dbs = [...cfg.databases, ...found.filter((f) => !cfg.databases.some((x) => x.name === f.name))];
    const out: FleetOutcome[] = [];
    for (const db of dbs) await advance(cfg, db, out);
    await ensureCollector(dbs);
    if (collector) await collector.tick();
    return out;
  }

  return {
    store,
    collector: () => collector,
    cycle,
    async run() {
      while (!stopping) {
        try {
          for (const o of await cycle()) d.onOutcome?.(o);
        } catch (err) {
          (d.write ?? ((s: string) => process.stderr.write(s)))(`auditlake watch: cycle failed: ${errorMessage(err)}\n`);
        }
        const waitMs = Math.min(d.loadConfig().pollSeconds * 1000, 1000);
        await new Promise<void>((r) => {
          const t = setTimeout(r, waitMs);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
      }
    },
    async stop() {
      stopping = true;
      wake?.();
      if (collector) await collector.stop();
      collector = null;
    },
  };
}
