import type { QueryFn } from './run-query.js';
import { toCell } from './run-query.js';
import { INTERNAL_USERS, lit } from './sql.js';

/**
 * One scan of the month, aggregated with GROUPING SETS into every per-source, per-day, per-hour, per-user
 * and per-database count the sections need. Scanning 10 M events once instead of once per section is what
 * keeps a month within seconds; the result is small (sources × hours at most).
 */
export interface Overview {
  sources: { account: string; service: string; cluster: string; logType: string; events: number; first: string; last: string; days: Set<string>; hours: number }[];
  perDay: Map<string, Record<string, number>>;
  byUser: Map<string, { logType: string; user: string; events: number; afterHours: number }[]>;
  byDatabase: { account: string; cluster: string; database: string; statements: number }[];
  byLogType: Map<string, { events: number; failed: number; who: number; what: number; outcome: number; origin: number; object: number }>;
}

const COLS = ['account', 'service', 'cluster', 'log_type', 'user', 'database', 'day', 'hour'] as const;
type Col = (typeof COLS)[number];
/** DuckDB's GROUPING(c1..cn) bitmask for a set: bit = 1 where the column is aggregated away, c1 most significant. */
const maskOf = (set: Col[]) => COLS.reduce((m, c, i) => m | (set.includes(c) ? 0 : 1 << (COLS.length - 1 - i)), 0);

const SETS = {
  source: ['account', 'service', 'cluster', 'log_type'],
  sourceDay: ['account', 'service', 'cluster', 'log_type', 'day'],
  sourceHour: ['account', 'service', 'cluster', 'log_type', 'hour'],
  day: ['log_type', 'day'],
  user: ['log_type', 'user'],
  database: ['log_type', 'account', 'cluster', 'database'],
  logType: ['log_type'],
} satisfies Record<string, Col[]>;

export async function loadOverview(q: QueryFn, where: string, afterHoursSql: string): Promise<Overview> {
  const sets = Object.values(SETS).map((s) => `(${s.map((c) => (c === 'user' ? '"user"' : c)).join(', ')})`).join(', ');
  const r = await q(`
    WITH m AS (SELECT account,
                      -- CloudTrail is one stream per account, whatever service each call went to
                      CASE WHEN log_type = 'api' THEN 'cloudtrail' ELSE service END AS service,
                      CASE WHEN log_type = 'api' THEN '' ELSE cluster END AS cluster,
                      log_type, "user", database, strftime(CAST(time AS DATE), '%Y-%m-%d') AS day,
                      date_trunc('hour', time) AS hour, time, success, remote_host, action, object,
                      ${afterHoursSql} AND coalesce("user", '') NOT IN (${INTERNAL_USERS.map(lit).join(', ')}) AS after_hours
               FROM events WHERE ${where})
    SELECT GROUPING(account, service, cluster, log_type, "user", database, day, hour) AS g,
           account, service, cluster, log_type, "user", database, day,
           count(*) AS n, strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last,
           count(*) FILTER (WHERE after_hours) AS after_hours,
           count(*) FILTER (WHERE success = false) AS failed,
           count(*) FILTER (WHERE "user" IS NOT NULL AND "user" <> '') AS who,
           count(*) FILTER (WHERE action IS NOT NULL AND action <> '') AS what,
           count(*) FILTER (WHERE success IS NOT NULL) AS outcome,
           count(*) FILTER (WHERE remote_host IS NOT NULL AND remote_host <> '') AS origin,
           count(*) FILTER (WHERE object IS NOT NULL AND object <> '') AS object
    FROM m GROUP BY GROUPING SETS (${sets})`);
  const o: Overview = { sources: [], perDay: new Map(), byUser: new Map(), byDatabase: [], byLogType: new Map() };
  const sourceIndex = new Map<string, Overview['sources'][number]>();
  const key = (a: unknown, s: unknown, c: unknown, l: unknown) => `${a}\u001f${s}\u001f${c}\u001f${l}`;
  const pending: { set: string; row: unknown[] }[] = [];
  const masks = new Map(Object.entries(SETS).map(([name, set]) => [maskOf(set), name]));
  for (const raw of r.rows) {
    const row = raw.map(toCell);
    const set = masks.get(Number(row[0]));
    const [account, service, cluster, logType, user, database, day] = row.slice(1, 8).map((v) => (v === null ? null : String(v)));
    const n = Number(row[8]);
    switch (set) {
      case 'source': {
        const s = { account: account ?? '', service: service ?? '', cluster: cluster ?? '', logType: logType ?? '', events: n, first: String(row[9]), last: String(row[10]), days: new Set<string>(), hours: 0 };
        o.sources.push(s);
        sourceIndex.set(key(account, service, cluster, logType), s);
        break;
      }
      case 'sourceDay':
      case 'sourceHour':
        pending.push({ set, row });
        break;
      case 'day': {
        const d = o.perDay.get(day ?? '') ?? {};
        d[logType ?? ''] = n;
        o.perDay.set(day ?? '', d);
        break;
      }
      case 'user': {
        const list = o.byUser.get(logType ?? '') ?? [];
        list.push({ logType: logType ?? '', user: user ?? '(unknown)', events: n, afterHours: Number(row[11]) });
        o.byUser.set(logType ?? '', list);
        break;
      }
      case 'database':
        if (logType === 'activity') o.byDatabase.push({ account: account ?? '', cluster: cluster ?? '', database: database ?? '(unknown)', statements: n });
        break;
      case 'logType':
        o.byLogType.set(logType ?? '', { events: n, failed: Number(row[12]), who: Number(row[13]), what: Number(row[14]), outcome: Number(row[15]), origin: Number(row[16]), object: Number(row[17]) });
        break;
    }
  }
  for (const { set, row } of pending) {
    const s = sourceIndex.get(key(row[1], row[2], row[3], row[4]));
    if (!s) continue;
    if (set === 'sourceDay') s.days.add(String(row[7]));
    else s.hours += 1;
  }
  o.sources.sort((a, b) => key(a.account, a.service, a.cluster, a.logType).localeCompare(key(b.account, b.service, b.cluster, b.logType)));
  o.byDatabase.sort((a, b) => b.statements - a.statements || a.database.localeCompare(b.database));
  for (const list of o.byUser.values()) list.sort((a, b) => b.events - a.events || a.user.localeCompare(b.user));
  return o;
}
