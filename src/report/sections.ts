import type { Overview } from './overview.js';
import type { QueryFn } from './run-query.js';
import { table, toCell, TABLE_ROW_CAP, TOP_ROWS } from './run-query.js';
import type { ReportChart, ReportOptions, ReportSection, ReportTable } from './types.js';
import { AUDIT_CONTROL_EVENTS, DDL_ACTION_RE, INTERNAL_USERS, USER_CHANGE_ACTION_RE, lit } from './sql.js';

/** Everything a section needs: the shared filter, the month, the options and the one-scan overview. */
export interface SectionContext {
  q: QueryFn;
  where: string;
  range: { from: string; to: string; days: number };
  options: ReportOptions;
  /** SQL predicate: `time` is outside business hours (precomputed UTC intervals). */
  afterHoursSql: string;
  overview: Overview;
  /** DDL and user/privilege statements of the month (activity log), oldest first. */
  notable: NotableStatements;
}

export interface NotableStatements {
  columns: string[];
  rows: (string | number | boolean | null)[][];
  total: number;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const fmt = (v: number): string => v.toLocaleString('en-US');
const INTERNAL = INTERNAL_USERS.map(lit).join(', ');
const LOGIN = `log_type = 'connection' AND success IS NOT FALSE AND lower(action) NOT LIKE '%disconnect%' AND lower(action) NOT LIKE 'set %'`;
const FAILED = `log_type = 'connection' AND success = false`;
const NOTABLE_RE = `${DDL_ACTION_RE}|${USER_CHANGE_ACTION_RE}`;
const ACTION = 4; // index of `action` in the notable rows
const CONTINUOUS = ['connection', 'activity'];

/** One scan of the activity log for the statements that change schema, users or privileges. */
export async function loadNotable(q: QueryFn, where: string): Promise<NotableStatements> {
  const sql = `SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, cluster, coalesce("user", '(unknown)') AS "user", upper(action) AS action,
                      coalesce(object, '') AS object, left(coalesce(statement, ''), 300) AS statement, database
               FROM events WHERE ${where} AND log_type = 'activity' AND regexp_matches(upper(action), ${lit(NOTABLE_RE)}) ORDER BY time, event_id`;
  const t = await table(q, 'notable', 'notable', sql);
  return { columns: t.columns, rows: t.rows, total: t.totalRows };
}

const isUserChange = (action: unknown) => new RegExp(USER_CHANGE_ACTION_RE).test(String(action));
const tableOf = (id: string, title: string, columns: string[], rows: ReportTable['rows']): ReportTable => ({ id, title, columns, rows, totalRows: rows.length });

export async function coverage(c: SectionContext): Promise<ReportSection> {
  const { overview: o, range } = c;
  const sources = tableOf('coverage-sources', 'Sources and log types received',
    ['account', 'service', 'cluster', 'log_type', 'events', 'hours_with_data', 'days_with_data', 'first_event', 'last_event'],
    o.sources.map((s) => [s.account, s.service, s.cluster, s.logType, s.events, s.hours, s.days.size, s.first, s.last]));
  const days: string[] = [];
  for (let t = Date.parse(range.from); t < Date.parse(range.to); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const gapRows: ReportTable['rows'] = [];
  // Only the continuous streams can have gaps: Redshift writes a user-log record only when a user changes,
  // and CloudTrail only when an API is called, so a quiet day there is no evidence of a failure.
  for (const s of o.sources.filter((x) => CONTINUOUS.includes(x.logType))) {
    let start: string | null = null;
    let count = 0;
    days.forEach((d, i) => {
      const missing = !s.days.has(d);
      if (missing) { start ??= d; count++; }
      if (start && (!missing || i === days.length - 1)) {
        gapRows.push([s.account, s.service, s.cluster, s.logType, start, missing ? d : days[i - 1], count]);
        start = null; count = 0;
      }
    });
  }
  const gaps = tableOf('coverage-gaps', 'Days without any record, per source (connection and activity logs), as ranges', ['account', 'service', 'cluster', 'log_type', 'from_day', 'to_day', 'days'], gapRows);
  const types = ['connection', 'user', 'activity', 'api'];
  const perDay: ReportChart = { id: 'coverage-per-day', title: 'Records per day by log type', kind: 'bar', labels: days, series: types.map((t) => ({ label: t, values: days.map((d) => o.perDay.get(d)?.[t] ?? 0) })) };
  const srcCount = new Set(o.sources.map((s) => `${s.account}/${s.service}/${s.cluster}`)).size;
  return {
    id: 'coverage', title: 'Coverage',
    question: 'Which databases and clusters sent which audit logs, and where are the gaps?',
    summary: `${srcCount} source(s) sent ${o.sources.length} source/log-type stream(s) over ${range.days} days; ${gapRows.reduce((t, r) => t + n(r[6]), 0)} source-day(s) without any record.`,
    charts: o.sources.length ? [perDay] : [], tables: [sources, gaps],
  };
}

export async function connections(c: SectionContext): Promise<ReportSection> {
  const { q, where, range } = c;
  const perDay = await table(q, 'connections-per-day', 'Logins and failed logins per day', `
    SELECT strftime(CAST(time AS DATE), '%Y-%m-%d') AS day, count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 1`);
  const byUser = await table(q, 'connections-by-user', 'Connection events by user', `
    SELECT coalesce("user", '(unknown)') AS "user", count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed,
           count(DISTINCT remote_host) AS source_hosts
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 2 DESC, 1`, TOP_ROWS);
  const byIp = await table(q, 'connections-by-source', 'Connection events by source address', `
    SELECT coalesce(remote_host, '(none)') AS source, count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed,
           count(DISTINCT "user") AS users
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 2 DESC, 1`, TOP_ROWS);
  const newIps = await table(q, 'connections-new-sources', 'Source addresses first seen this month', `
    SELECT remote_host AS source, strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first_seen, count(*) AS events, string_agg(DISTINCT "user", ', ') AS users
    FROM events WHERE ${where} AND log_type = 'connection' AND remote_host IS NOT NULL AND remote_host <> '[local]'
      AND remote_host NOT IN (SELECT DISTINCT remote_host FROM events WHERE log_type = 'connection' AND remote_host IS NOT NULL AND time < TIMESTAMP ${lit(range.from.slice(0, 19).replace('T', ' '))})
    GROUP BY 1 ORDER BY 2`);
  const logins = perDay.rows.reduce((s, r) => s + n(r[1]), 0);
  return {
    id: 'connections', title: 'Connections',
    question: 'Who connected, from where, and which source addresses are new?',
    summary: `${fmt(logins)} successful login/session events by ${byUser.totalRows} user(s) from ${byIp.totalRows} source address(es); ${newIps.totalRows} address(es) first seen this month.`,
    charts: perDay.rows.length ? [{ id: 'connections-per-day', title: 'Logins and failed logins per day', kind: 'bar', labels: perDay.rows.map((r) => String(r[0])), series: [1, 2].map((i) => ({ label: perDay.columns[i], values: perDay.rows.map((r) => n(r[i])) })) }] : [],
    tables: [byUser, byIp, newIps],
  };
}

export async function failedLogins(c: SectionContext): Promise<ReportSection> {
  const { q, where } = c;
  const byUserIp = await table(q, 'failed-logins', 'Failed logins by user and source', `
    SELECT coalesce("user", '(unknown)') AS "user", coalesce(remote_host, '(none)') AS source, count(*) AS failures,
           strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last
    FROM events WHERE ${where} AND ${FAILED} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`, TOP_ROWS);
  const bursts = await table(q, 'failed-login-bursts', 'Bursts: 5 or more failures from one source within 10 minutes', `
    SELECT coalesce(remote_host, '(none)') AS source, strftime(time_bucket(INTERVAL 10 MINUTE, time), '%Y-%m-%dT%H:%M:%SZ') AS window_start,
           count(*) AS failures, string_agg(DISTINCT coalesce("user", '(unknown)'), ', ') AS users
    FROM events WHERE ${where} AND ${FAILED} GROUP BY 1, 2 HAVING count(*) >= 5 ORDER BY 3 DESC, 2`);
  const total = c.overview.byLogType.get('connection')?.failed ?? 0;
  const top = byUserIp.rows.slice(0, 10);
  return {
    id: 'failed-logins', title: 'Failed logins',
    question: 'Which invalid logical access attempts happened, by whom and from where, and were there bursts?',
    summary: `${fmt(total)} failed login(s) across ${byUserIp.totalRows} user/source pair(s); ${bursts.totalRows} burst(s) of ≥ 5 failures in 10 minutes.`,
    charts: top.length ? [{ id: 'failed-by-user', title: 'Failed logins, top user/source pairs', kind: 'bar', labels: top.map((r) => `${r[0]} @ ${r[1]}`), series: [{ label: 'failures', values: top.map((r) => n(r[2])) }] }] : [],
    tables: [byUserIp, bursts],
  };
}

export async function userChanges(c: SectionContext): Promise<ReportSection> {
  const { q, where, notable } = c;
  const fromUserLog = await table(q, 'user-log', 'user log', `
    SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, cluster, coalesce("user", '(not recorded by source)') AS who,
           action, coalesce(object, '') AS object, '' AS statement, source_format AS source
    FROM events WHERE ${where} AND log_type = 'user' ORDER BY time, event_id`);
  const fromActivity = notable.rows.filter((r) => isUserChange(r[ACTION]))
    .map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], 'activity log']);
  const rows = [...fromUserLog.rows, ...fromActivity].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const changes = { ...tableOf('user-changes', 'Every user and privilege change', ['time', 'account', 'cluster', 'who', 'action', 'object', 'statement', 'source'], rows), totalRows: fromUserLog.totalRows + fromActivity.length };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(r[4]).toUpperCase(), (counts.get(String(r[4]).toUpperCase()) ?? 0) + 1);
  const byAction = tableOf('user-changes-by-action', 'User and privilege changes by action', ['action', 'changes'], [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return {
    id: 'user-changes', title: 'User and privilege changes',
    question: 'Which users and privileges were created, altered, dropped, renamed or granted — by whom and when?',
    summary: `${fmt(changes.totalRows)} change(s): ${byAction.rows.map((r) => `${r[0]} ${r[1]}`).join(', ') || 'none'}.`,
    charts: byAction.rows.length ? [{ id: 'user-changes-by-action', title: 'Changes by action', kind: 'bar', labels: byAction.rows.map((r) => String(r[0])), series: [{ label: 'changes', values: byAction.rows.map((r) => n(r[1])) }] }] : [],
    tables: [changes, byAction],
  };
}

/** Superusers as the user log records them, plus the users named with --admin-users. */
export function adminUsersSql(c: SectionContext): string {
  const named = c.options.adminUsers.map(lit);
  const fromLog = `SELECT DISTINCT object FROM events WHERE log_type = 'user' AND object IS NOT NULL AND CAST(json_extract(details, '$.usesuper') AS VARCHAR) IN ('1', '"1"', 'true')`;
  return named.length ? `(${fromLog} UNION SELECT unnest([${named.join(', ')}]))` : `(${fromLog})`;
}

export async function adminActivity(c: SectionContext): Promise<ReportSection> {
  const { q, where } = c;
  const admins = (await q(`SELECT x FROM ${adminUsersSql(c)} AS t(x) WHERE x NOT IN (${INTERNAL}) ORDER BY x`)).rows.map((r) => String(r[0]));
  const inAdmins = admins.length ? `"user" IN (${admins.map(lit).join(', ')})` : 'false';
  const byUser = await table(q, 'admin-activity', 'Statements by administrators (superusers and --admin-users)', `
    SELECT "user", upper(action) AS action, count(*) AS statements, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last
    FROM events WHERE ${where} AND log_type = 'activity' AND ${inAdmins} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`, TOP_ROWS);
  const statements = (c.overview.byUser.get('activity') ?? []).filter((u) => admins.includes(u.user)).reduce((s, u) => s + u.events, 0);
  return {
    id: 'admin-activity', title: 'Superuser and administrator activity',
    question: 'What did users with administrative access do?',
    summary: `Administrators: ${admins.join(', ') || 'none identified'}. ${fmt(statements)} statement(s) by them (Redshift's internal user rdsdb excluded).`,
    charts: [], tables: [byUser],
  };
}

export async function ddl(c: SectionContext): Promise<ReportSection> {
  const rows = c.notable.rows.filter((r) => !isUserChange(r[ACTION]) && !INTERNAL_USERS.includes(String(r[3])));
  const list = tableOf('ddl', 'DDL statements', ['time', 'account', 'cluster', 'database', 'user', 'action', 'object', 'statement'], rows.map((r) => [r[0], r[1], r[2], r[7], r[3], r[4], r[5], r[6]]));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(`${r[3]}\u001f${r[4]}`, (counts.get(`${r[3]}\u001f${r[4]}`) ?? 0) + 1);
  const byUser = tableOf('ddl-by-user', 'DDL statements by user and verb', ['user', 'action', 'statements'],
    [...counts].map(([k, v]) => [...k.split('\u001f'), v] as ReportTable['rows'][number]).sort((a, b) => n(b[2]) - n(a[2]) || String(a[0]).localeCompare(String(b[0]))));
  const capped = c.notable.total > c.notable.rows.length ? ` (first ${fmt(TABLE_ROW_CAP)} notable statements examined of ${fmt(c.notable.total)})` : '';
  return {
    id: 'ddl', title: 'Creation and deletion of system-level objects (DDL)',
    question: 'Which schema objects were created, altered or dropped, and by whom?',
    summary: `${fmt(list.totalRows)} DDL statement(s) by ${new Set(rows.map((r) => r[3])).size} user(s)${capped}.`,
    charts: [], tables: [byUser, list],
  };
}

export async function afterHours(c: SectionContext): Promise<ReportSection> {
  const { q, where, options, afterHoursSql } = c;
  const { startHour, endHour, days } = options.businessHours;
  const logins = await table(q, 'after-hours', 'Logins outside business hours', `
    SELECT coalesce("user", '(unknown)') AS "user", coalesce(remote_host, '(none)') AS source, count(*) AS logins,
           strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first_utc, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last_utc
    FROM events WHERE ${where} AND ${LOGIN} AND ${afterHoursSql} AND coalesce("user", '') NOT IN (${INTERNAL})
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`, TOP_ROWS);
  const [afterLogins, afterUsers] = ((await q(`SELECT count(*), count(DISTINCT "user") FROM events WHERE ${where} AND ${LOGIN} AND ${afterHoursSql} AND coalesce("user", '') NOT IN (${INTERNAL})`)).rows[0] ?? []).map(toCell);
  const stmts = (c.overview.byUser.get('activity') ?? []).reduce((s, u) => s + u.afterHours, 0);
  const dayNames = days.map((d) => ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]).join(',');
  return {
    id: 'after-hours', title: 'After-hours access',
    question: `Who accessed the databases outside business hours (${dayNames} ${startHour}:00–${endHour}:00, ${options.timeZone})?`,
    summary: `${fmt(n(afterLogins))} login(s) by ${n(afterUsers)} user(s) and ${fmt(stmts)} statement(s) outside business hours (rdsdb excluded).`,
    charts: [], tables: [logins],
  };
}

export async function topUsers(c: SectionContext): Promise<ReportSection> {
  const o = c.overview;
  const users = (o.byUser.get('activity') ?? []).slice(0, 50);
  const usersT = tableOf('top-users', 'Top users by statement count', ['user', 'statements'], users.map((u) => [u.user, u.events]));
  const dbsT = tableOf('top-databases', 'Top databases by statement count', ['account', 'cluster', 'database', 'statements'], o.byDatabase.slice(0, 50).map((d) => [d.account, d.cluster, d.database, d.statements]));
  const days = [...o.perDay.keys()].sort();
  const total = o.byLogType.get('activity')?.events ?? 0;
  const top = users.slice(0, 15);
  const charts: ReportChart[] = total ? [
    { id: 'activity-per-day', title: 'Statements per day', kind: 'line', labels: days, series: [{ label: 'statements', values: days.map((d) => o.perDay.get(d)?.activity ?? 0) }] },
    { id: 'top-users', title: 'Top users by statements', kind: 'bar', labels: top.map((u) => u.user), series: [{ label: 'statements', values: top.map((u) => u.events) }] },
  ] : [];
  return {
    id: 'top-users', title: 'Top users and databases',
    question: 'Who runs the most statements, and against which databases?',
    summary: `${fmt(total)} statement(s); busiest user ${users[0]?.user ?? 'none'}.`,
    charts, tables: [usersT, dbsT],
  };
}

export async function controlPlane(c: SectionContext): Promise<ReportSection> {
  const { q, where } = c;
  const names = AUDIT_CONTROL_EVENTS.map(lit).join(', ');
  const list = await table(q, 'control-plane', 'API calls that touch audit logging', `
    SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, region, coalesce("user", '(unknown)') AS who, action, coalesce(object, '') AS object,
           CASE WHEN success THEN 'ok' ELSE coalesce(error_code, 'failed') END AS outcome, coalesce(remote_host, '') AS source
    FROM api_calls WHERE ${where} AND action IN (${names}) ORDER BY time, event_id`);
  const counts = new Map<string, [number, number]>();
  for (const r of list.rows) { const k = String(r[4]); const v = counts.get(k) ?? [0, 0]; v[0]++; if (r[6] !== 'ok') v[1]++; counts.set(k, v); }
  const byAction = tableOf('control-plane-by-action', 'Audit-relevant API calls by action', ['action', 'calls', 'failed'], [...counts].map(([k, [a, f]]) => [k, a, f] as ReportTable['rows'][number]).sort((a, b) => n(b[1]) - n(a[1]) || String(a[0]).localeCompare(String(b[0]))));
  const disabling = list.rows.filter((r) => ['DisableLogging', 'StopLogging', 'DeleteTrail'].includes(String(r[4])) && r[6] === 'ok').length;
  return {
    id: 'control-plane', title: 'Control-plane changes to audit logging (CloudTrail)',
    question: 'Did anyone switch audit logging off, or change the settings that control it?',
    summary: `${fmt(list.totalRows)} audit-relevant API call(s); ${disabling} successful call(s) that disable logging or delete a trail.`,
    charts: [], tables: [byAction, list],
  };
}

export const SECTIONS = [coverage, connections, failedLogins, userChanges, adminActivity, ddl, afterHours, topUsers, controlPlane];
