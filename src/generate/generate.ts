import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditlakeError } from '../core/errors.js';
import { renderCloudTrailFile } from '../formats/cloudtrail/render-cloudtrail.js';
import { renderCloudTrailKey, renderRedshiftKey } from '../formats/object-key/render-key.js';
import { renderActivityLogRecord } from '../formats/redshift/activity-log/render-activity-log.js';
import { renderConnectionLogLine } from '../formats/redshift/connection-log/render-connection-log.js';
import { renderUserLogLine } from '../formats/redshift/user-log/render-user-log.js';
import { DEFAULT_START } from './defaults.js';
import { AUDIT_LOGGING_EVENTS, createCloudTrailSim } from './cloudtrail-sim.js';
import { createClusterSim, HOUR, isAfterHours, SERVICE_USERS, type HourBatch } from './cluster-sim.js';
import { createGzipWriter, type WrittenObject } from './gzip-writer.js';
import { bump, emptyAccount, sortedCounts, sumTotals } from './manifest.js';
import { createRng } from './prng.js';
import { buildRoster, type ClusterSpec } from './roster.js';
import { createSecretBag } from './secrets.js';
import type { AccountManifest, GeneratedLogType, GenerateManifest, GenerateOptions, GenerateResult, ObjectCounts } from './types.js';

const DAY = 24 * HOUR;
/** Objects being gzipped at once: zlib runs on the libuv pool, so this overlaps compression with simulation. */
const IN_FLIGHT = 8;

export { DEFAULT_START };

function validate(o: GenerateOptions): { start: number; activityMb: number } {
  const bad = (m: string): never => {
    throw new AuditlakeError('E_USAGE', `generate: ${m}`);
  };
  if (!Number.isInteger(o.accounts) || o.accounts < 1 || o.accounts > 9) bad(`--accounts must be 1–9, got ${o.accounts}`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366) bad(`--days must be 1–366, got ${o.days}`);
  if (!Number.isSafeInteger(o.seed)) bad(`--seed must be an integer, got ${o.seed}`);
  const startText = o.start ?? DEFAULT_START;
  const start = /^\d{4}-\d{2}-\d{2}$/.test(startText) ? Date.parse(`${startText}T00:00:00Z`) : NaN;
  if (Number.isNaN(start)) bad(`--start must be a date YYYY-MM-DD, got "${startText}"`);
  const activityMb = o.activityMb ?? 0.5 * o.accounts * o.days;
  if (!(activityMb >= 0) || !Number.isFinite(activityMb)) bad(`--activity-mb must be a number ≥ 0, got ${o.activityMb}`);
  if (o.maxClustersPerAccount !== undefined && !(Number.isInteger(o.maxClustersPerAccount) && o.maxClustersPerAccount >= 1)) bad(`clusters per account must be ≥ 1, got ${o.maxClustersPerAccount}`);
  const level = o.gzipLevel ?? 6;
  if (!Number.isInteger(level) || level < 1 || level > 9) bad(`gzip level must be 1–9, got ${level}`);
  return { start, activityMb };
}

/** Weight of an hour in the activity volume: office hours on weekdays carry three times the load. */
function hourWeight(t: number): number {
  const d = new Date(t);
  const dow = d.getUTCDay();
  const h = d.getUTCHours();
  return dow >= 1 && dow <= 5 && h >= 8 && h <= 18 ? 3 : 1;
}

/**
 * Writes realistic, deterministic Redshift audit logs (connection, user, user activity; one object per
 * cluster and hour) and CloudTrail log files in the real S3 layouts under `<out>/AWSLogs/…`, plus
 * `<out>/manifest.json` with the counts the parsers must read back. Same options and seed → byte-identical
 * files. Memory stays bounded: one hour of one cluster (plus sessions still open) at a time.
 */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const { start, activityMb } = validate(opts);
  const end = start + opts.days * DAY;
  const level = opts.gzipLevel ?? 6;
  const only = new Set<GeneratedLogType>(opts.only ?? ['connectionlog', 'userlog', 'useractivitylog', 'cloudtrail']);
  if (existsSync(join(opts.out, 'AWSLogs'))) {
    throw new AuditlakeError('E_EXISTS', `generate: ${join(opts.out, 'AWSLogs')} already exists; choose an empty --out directory or pass --force`);
  }
  await mkdir(opts.out, { recursive: true });

  const rng = createRng(opts.seed);
  const roster = buildRoster(rng.fork('roster'), opts.accounts, start, opts.maxClustersPerAccount);
  const secrets = createSecretBag();
  const clusters = roster.flatMap((a) => a.clusters);
  const liveFrom = (c: ClusterSpec): number => (c.createdAt === null ? start : Math.floor(c.createdAt / HOUR) * HOUR);
  let totalWeight = 0;
  for (const c of clusters) for (let t = liveFrom(c); t < end; t += HOUR) totalWeight += hourWeight(t);
  const perWeight = totalWeight > 0 ? (activityMb * 1e6) / totalWeight : 0;

  const keys: string[] = [];
  const writer = createGzipWriter(level);
  const inFlight: Promise<void>[] = [];
  async function put(key: string, parts: Iterable<string>, counts: ObjectCounts): Promise<void> {
    keys.push(key);
    counts.objects++;
    const p = writer.write(join(opts.out, key), parts).then((w: WrittenObject) => {
      counts.bytes += w.bytes;
      counts.compressedBytes += w.compressedBytes;
      opts.onObject?.(key, w.bytes);
    });
    p.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    inFlight.push(p);
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  }

  const manifests: AccountManifest[] = [];
  for (const [ai, acct] of roster.entries()) {
    const m = emptyAccount(acct.account, acct.region, acct.clusters.map((c) => c.name));
    manifests.push(m);
    for (const spec of acct.clusters) {
      const sim = createClusterSim(spec, {
        rng: rng.fork(`cluster/${acct.account}/${spec.name}`),
        secrets,
        windowStart: start,
        windowEnd: end,
        fillBytes: (t) => perWeight * hourWeight(t),
      });
      for (let h = start; h < end; h += HOUR) {
        const batch = sim.hour(h);
        const keyTime = h + HOUR + spec.keyMinute * 60_000;
        const key = (logType: 'connectionlog' | 'userlog' | 'useractivitylog'): string =>
          renderRedshiftKey({ account: acct.account, region: acct.region, cluster: spec.name, logType, time: keyTime });
        countBatch(m, batch, only);
        if (only.has('connectionlog') && batch.connection.length > 0) {
          await put(key('connectionlog'), map(batch.connection, (r) => renderConnectionLogLine(r) + '\n'), m.connectionlog);
        }
        if (only.has('userlog') && batch.user.length > 0) {
          await put(key('userlog'), map(batch.user, (r) => renderUserLogLine(r) + '\n'), m.userlog);
        }
        if (only.has('useractivitylog') && batch.activity.length > 0) {
          await put(key('useractivitylog'), map(batch.activity, (a) => renderActivityLogRecord(a.rec) + '\n'), m.useractivitylog);
        }
      }
    }
    if (only.has('cloudtrail')) {
      const ct = createCloudTrailSim(acct, ai, rng.fork(`cloudtrail/${acct.account}`), start, end);
      for (let d = start; d < end; d += DAY) {
        for (const f of ct.day(d)) {
          const seen = new Set<string>();
          for (const r of f.records) {
            m.cloudtrail.records++;
            if (seen.has(r.eventID!)) {
              m.cloudtrail.duplicates++;
              continue;
            }
            seen.add(r.eventID!);
            m.cloudtrail.uniqueEvents++;
            bump(m.cloudtrail.byEventName, r.eventName!);
            if (r.errorCode) m.cloudtrail.errors++;
            if ((AUDIT_LOGGING_EVENTS as readonly string[]).includes(r.eventName!)) m.cloudtrail.auditLoggingCalls++;
            if (r.eventName === 'ConsoleLogin' && (r.responseElements as { ConsoleLogin?: string } | null)?.ConsoleLogin === 'Failure') m.cloudtrail.consoleLoginFailures++;
          }
          const key = renderCloudTrailKey({ account: acct.account, region: f.region, time: f.delivery, unique: f.unique });
          await put(key, [renderCloudTrailFile(f.records)], m.cloudtrail);
        }
      }
    }
  }
  await Promise.all(inFlight);

  for (const m of manifests) {
    m.failedLoginsByUser = sortedCounts(m.failedLoginsByUser);
    m.userChangesByAction = sortedCounts(m.userChangesByAction);
    m.statementsByUser = sortedCounts(m.statementsByUser);
    m.cloudtrail.byEventName = sortedCounts(m.cloudtrail.byEventName);
  }
  const manifest: GenerateManifest = {
    generator: 'auditlake-generate/1',
    seed: opts.seed,
    start: new Date(start).toISOString().slice(0, 10),
    days: opts.days,
    activityMb,
    ...(opts.maxClustersPerAccount !== undefined ? { maxClustersPerAccount: opts.maxClustersPerAccount } : {}),
    accounts: manifests,
    totals: sumTotals(manifests),
  };
  await writeFile(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, keys, secrets: [...secrets.planted].sort() };
}

function* map<T>(items: readonly T[], f: (x: T) => string): Generator<string> {
  for (const x of items) yield f(x);
}

function countBatch(m: AccountManifest, b: HourBatch, only: Set<GeneratedLogType>): void {
  if (only.has('connectionlog')) {
    m.connectionlog.records += b.connection.length;
    for (const r of b.connection) {
      if (r.event === 'authentication failure') {
        m.failedLogins++;
        bump(m.failedLoginsByUser, r.username);
      } else if (r.event === 'initiating session') {
        m.sessions++;
        if (!(SERVICE_USERS as readonly string[]).includes(r.username) && isAfterHours(r.recordtime)) m.afterHoursSessions++;
      }
    }
  }
  if (only.has('userlog')) {
    m.userlog.records += b.user.length;
    m.userChanges += b.user.length;
    for (const r of b.user) bump(m.userChangesByAction, r.action);
  }
  if (only.has('useractivitylog')) {
    m.useractivitylog.records += b.activity.length;
    for (const a of b.activity) {
      bump(m.statementsByUser, a.rec.user);
      if (a.secret) m.secretStatements++;
      if (a.rec.sql.includes('\n')) m.multiLineStatements++;
    }
  }
}

/** Removes what a previous generate() wrote into `out` (the AWSLogs tree and the manifest). */
export async function clearGenerated(out: string): Promise<void> {
  await rm(join(out, 'AWSLogs'), { recursive: true, force: true });
  await rm(join(out, 'manifest.json'), { force: true });
}
