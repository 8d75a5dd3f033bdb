import type { QueryFn } from './run-query.js';
import { scalar, table } from './run-query.js';
import type { ReportChart, ReportOptions, ReportSection, ReportTable } from './types.js';
import { AUDIT_CONTROL_EVENTS, DDL_ACTION_RE, INTERNAL_USERS, USER_CHANGE_ACTION_RE, lit, localTime } from './sql.js';

/** Everything a section needs: the shared filter, the month range and the options. */
export interface SectionContext {
  q: QueryFn;
  where: string;
  range: { from: string; to: string; days: number };
  options: ReportOptions;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const fmt = (v: number): string => v.toLocaleString('en-US');
const LOGIN = `log_type = 'connection' AND success IS NOT FALSE AND lower(action) NOT LIKE '%disconnect%' AND lower(action) NOT LIKE 'set %'`;
const FAILED = `log_type = 'connection' AND success = false`;

function chartFrom(t: ReportTable, id: string, title: string, kind: 'bar' | 'line', labelCol: number, valueCols: number[]): ReportChart {
  return {
    id, title, kind,
    labels: t.rows.map((r) => String(r[labelCol] ?? '(none)')),
    series: valueCols.map((c) => ({ label: t.columns[c], values: t.rows.map((r) => n(r[c])) })),
  };
}

export async function coverage(c: SectionContext): Promise<ReportSection> {
  const { q, where, options, range } = c;
  const sources = await table(q, 'coverage-sources', 'Sources and log types received', `
    SELECT account, service, cluster, log_type, count(*) AS events,
           count(DISTINCT date_trunc('hour', time)) AS hours_with_data,
           count(DISTINCT CAST(time AS DATE)) AS days_with_data,
           strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first_event, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last_event
    FROM events WHERE ${where} GROUP BY ALL ORDER BY account, service, cluster, log_type`);
  // Missing days collapsed into ranges (gaps and islands: consecutive days share day - row_number()).
  const gaps = await table(q, 'coverage-gaps', 'Days without any record, per source and log type (ranges)', `
    WITH s AS (SELECT DISTINCT account, service, cluster, log_type FROM events WHERE ${where}),
         d AS (SELECT CAST(unnest(generate_series(TIMESTAMP ${lit(range.from.slice(0, 10))}, TIMESTAMP ${lit(range.to.slice(0, 10))} - INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS day),
         h AS (SELECT DISTINCT account, service, cluster, log_type, CAST(time AS DATE) AS day FROM events WHERE ${where}),
         missing AS (SELECT s.account, s.service, s.cluster, s.log_type, d.day
                     FROM s CROSS JOIN d LEFT JOIN h ON h.account = s.account AND h.service = s.service AND h.cluster = s.cluster AND h.log_type = s.log_type AND h.day = d.day
                     WHERE h.day IS NULL),
         g AS (SELECT *, day - CAST(row_number() OVER (PARTITION BY account, service, cluster, log_type ORDER BY day) AS INTEGER) AS grp FROM missing)
    SELECT account, service, cluster, log_type, strftime(min(day), '%Y-%m-%d') AS from_day, strftime(max(day), '%Y-%m-%d') AS to_day, count(*) AS days
    FROM g GROUP BY account, service, cluster, log_type, grp ORDER BY 1, 2, 3, 4, 5`);
  const perDay = await table(q, 'coverage-per-day', 'Records per day and log type', `
    SELECT strftime(CAST(time AS DATE), '%Y-%m-%d') AS day,
           count(*) FILTER (WHERE log_type = 'connection') AS connection,
           count(*) FILTER (WHERE log_type = 'user') AS "user",
           count(*) FILTER (WHERE log_type = 'activity') AS activity,
           count(*) FILTER (WHERE log_type = 'api') AS api
    FROM events WHERE ${where} GROUP BY 1 ORDER BY 1`);
  const srcCount = new Set(sources.rows.map((r) => `${r[0]}/${r[1]}/${r[2]}`)).size;
  return {
    id: 'coverage', title: 'Coverage',
    question: 'Which databases and clusters sent which audit logs, and where are the gaps?',
    summary: `${srcCount} source(s) sent ${sources.totalRows} source/log-type stream(s) over ${range.days} days; ${gaps.rows.reduce((t, r) => t + n(r[6]), 0)} source-day(s) without any record.`,
    charts: [chartFrom(perDay, 'coverage-per-day', 'Records per day by log type', 'bar', 0, [1, 2, 3, 4])],
    tables: [sources, gaps],
  };
}

export async function connections(c: SectionContext): Promise<ReportSection> {
  const { q, where, options, range } = c;
  const perDay = await table(q, 'connections-per-day', 'Logins and failed logins per day', `
    SELECT strftime(CAST(time AS DATE), '%Y-%m-%d') AS day, count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 1`);
  const byUser = await table(q, 'connections-by-user', 'Connection events by user', `
    SELECT coalesce("user", '(unknown)') AS "user", count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed,
           count(DISTINCT remote_host) AS source_hosts
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 2 DESC, 1`);
  const byIp = await table(q, 'connections-by-source', 'Connection events by source address', `
    SELECT coalesce(remote_host, '(none)') AS source, count(*) FILTER (WHERE ${LOGIN}) AS logins, count(*) FILTER (WHERE ${FAILED}) AS failed,
           count(DISTINCT "user") AS users
    FROM events WHERE ${where} AND log_type = 'connection' GROUP BY 1 ORDER BY 2 DESC, 1`);
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
    charts: [chartFrom(perDay, 'connections-per-day', 'Logins and failed logins per day', 'bar', 0, [1, 2])],
    tables: [byUser, byIp, newIps],
  };
}

export async function failedLogins(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const byUserIp = await table(q, 'failed-logins', 'Failed logins by user and source', `
    SELECT coalesce("user", '(unknown)') AS "user", coalesce(remote_host, '(none)') AS source, count(*) AS failures,
           strftime(min(time), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last
    FROM events WHERE ${where} AND ${FAILED} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);
  const bursts = await table(q, 'failed-login-bursts', 'Bursts: 5 or more failures from one source within 10 minutes', `
    SELECT coalesce(remote_host, '(none)') AS source, strftime(time_bucket(INTERVAL 10 MINUTE, time), '%Y-%m-%dT%H:%M:%SZ') AS window_start,
           count(*) AS failures, string_agg(DISTINCT coalesce("user", '(unknown)'), ', ') AS users
    FROM events WHERE ${where} AND ${FAILED} GROUP BY 1, 2 HAVING count(*) >= 5 ORDER BY 3 DESC, 2`);
  const total = byUserIp.rows.reduce((s, r) => s + n(r[2]), 0);
  const top = byUserIp.rows.slice(0, 10);
  return {
    id: 'failed-logins', title: 'Failed logins',
    question: 'Which invalid logical access attempts happened, by whom and from where, and were there bursts?',
    summary: `${fmt(total)} failed login(s) across ${byUserIp.totalRows} user/source pair(s); ${bursts.totalRows} burst(s) of ≥ 5 failures in 10 minutes.`,
    charts: [{ id: 'failed-by-user', title: 'Failed logins, top user/source pairs', kind: 'bar', labels: top.map((r) => `${r[0]} @ ${r[1]}`), series: [{ label: 'failures', values: top.map((r) => n(r[2])) }] }],
    tables: [byUserIp, bursts],
  };
}

export async function userChanges(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const changes = await table(q, 'user-changes', 'Every user and privilege change', `
    SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, cluster, coalesce("user", '(not recorded by source)') AS who,
           action, coalesce(object, '') AS object, left(coalesce(statement, ''), 300) AS statement, source_format AS source
    FROM events WHERE ${where} AND (log_type = 'user' OR (log_type = 'activity' AND regexp_matches(upper(action), ${lit(USER_CHANGE_ACTION_RE)})))
    ORDER BY time, event_id`);
  const byAction = await table(q, 'user-changes-by-action', 'User and privilege changes by action', `
    SELECT upper(action) AS action, count(*) AS changes FROM events
    WHERE ${where} AND (log_type = 'user' OR (log_type = 'activity' AND regexp_matches(upper(action), ${lit(USER_CHANGE_ACTION_RE)})))
    GROUP BY 1 ORDER BY 2 DESC, 1`);
  return {
    id: 'user-changes', title: 'User and privilege changes',
    question: 'Which users and privileges were created, altered, dropped, renamed or granted — by whom and when?',
    summary: `${fmt(changes.totalRows)} change(s): ${byAction.rows.map((r) => `${r[0]} ${r[1]}`).join(', ') || 'none'}.`,
    charts: [chartFrom(byAction, 'user-changes-by-action', 'Changes by action', 'bar', 0, [1])],
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
  const { q, where, options } = c;
  const admins = adminUsersSql(c);
  const excluded = INTERNAL_USERS.map(lit).join(', ');
  const byUser = await table(q, 'admin-activity', 'Statements by administrators (superusers and --admin-users)', `
    SELECT "user", upper(action) AS action, count(*) AS statements, strftime(max(time), '%Y-%m-%dT%H:%M:%SZ') AS last
    FROM events WHERE ${where} AND log_type = 'activity' AND "user" IN ${admins} AND "user" NOT IN (${excluded})
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);
  const adminList = await q(`SELECT string_agg(x, ', ' ORDER BY x) FROM ${admins} AS t(x) WHERE x NOT IN (${excluded})`);
  const names = String(adminList.rows[0]?.[0] ?? '') || 'none identified';
  return {
    id: 'admin-activity', title: 'Superuser and administrator activity',
    question: 'What did users with administrative access do?',
    summary: `Administrators: ${names}. ${fmt(byUser.rows.reduce((s, r) => s + n(r[2]), 0))} statement(s) by them (Redshift's internal user rdsdb excluded).`,
    charts: [], tables: [byUser],
  };
}

export async function ddl(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const filter = `${where} AND log_type = 'activity' AND regexp_matches(upper(action), ${lit(DDL_ACTION_RE)}) AND NOT regexp_matches(upper(action), ${lit(USER_CHANGE_ACTION_RE)}) AND coalesce("user", '') NOT IN (${INTERNAL_USERS.map(lit).join(', ')})`;
  const byUser = await table(q, 'ddl-by-user', 'DDL statements by user and verb', `
    SELECT coalesce("user", '(unknown)') AS "user", upper(action) AS action, count(*) AS statements FROM events WHERE ${filter} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);
  const list = await table(q, 'ddl', 'DDL statements', `
    SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, cluster, database, "user", upper(action) AS action, coalesce(object, '') AS object, left(coalesce(statement, ''), 300) AS statement
    FROM events WHERE ${filter} ORDER BY time, event_id`);
  return {
    id: 'ddl', title: 'Creation and deletion of system-level objects (DDL)',
    question: 'Which schema objects were created, altered or dropped, and by whom?',
    summary: `${fmt(list.totalRows)} DDL statement(s) by ${new Set(byUser.rows.map((r) => r[0])).size} user(s).`,
    charts: [], tables: [byUser, list],
  };
}

export async function afterHours(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const { startHour, endHour, days } = options.businessHours;
  const lt = localTime(options.timeZone);
  const outside = `NOT (isodow(${lt}) IN (${days.join(', ')}) AND hour(${lt}) >= ${startHour} AND hour(${lt}) < ${endHour})`;
  const logins = await table(q, 'after-hours', 'Logins outside business hours', `
    SELECT coalesce("user", '(unknown)') AS "user", coalesce(remote_host, '(none)') AS source, count(*) AS logins,
           strftime(min(${lt}), '%Y-%m-%d %H:%M') AS first_local, strftime(max(${lt}), '%Y-%m-%d %H:%M') AS last_local
    FROM events WHERE ${where} AND ${LOGIN} AND ${outside} AND coalesce("user", '') NOT IN (${INTERNAL_USERS.map(lit).join(', ')})
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`);
  const stmts = await scalar(q, `SELECT count(*) FROM events WHERE ${where} AND log_type = 'activity' AND ${outside} AND coalesce("user", '') NOT IN (${INTERNAL_USERS.map(lit).join(', ')})`);
  const dayNames = days.map((d) => ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]).join(',');
  return {
    id: 'after-hours', title: 'After-hours access',
    question: `Who accessed the databases outside business hours (${dayNames} ${startHour}:00–${endHour}:00, ${options.timeZone})?`,
    summary: `${fmt(logins.rows.reduce((s, r) => s + n(r[2]), 0))} login(s) by ${new Set(logins.rows.map((r) => r[0])).size} user(s) and ${fmt(stmts)} statement(s) outside business hours (rdsdb excluded).`,
    charts: [], tables: [logins],
  };
}

export async function topUsers(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const users = await table(q, 'top-users', 'Top users by statement count', `
    SELECT coalesce("user", '(unknown)') AS "user", count(*) AS statements, count(DISTINCT database) AS databases
    FROM events WHERE ${where} AND log_type = 'activity' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`);
  const dbs = await table(q, 'top-databases', 'Top databases by statement count', `
    SELECT account, cluster, coalesce(database, '(unknown)') AS database, count(*) AS statements, count(DISTINCT "user") AS users
    FROM events WHERE ${where} AND log_type = 'activity' GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3 LIMIT 50`);
  const perDay = await table(q, 'activity-per-day', 'Statements per day', `
    SELECT strftime(CAST(time AS DATE), '%Y-%m-%d') AS day, count(*) AS statements FROM events WHERE ${where} AND log_type = 'activity' GROUP BY 1 ORDER BY 1`);
  const top = users.rows.slice(0, 15);
  return {
    id: 'top-users', title: 'Top users and databases',
    question: 'Who runs the most statements, and against which databases?',
    summary: `${fmt(perDay.rows.reduce((s, r) => s + n(r[1]), 0))} statement(s); busiest user ${users.rows[0]?.[0] ?? 'none'}.`,
    charts: [
      chartFrom(perDay, 'activity-per-day', 'Statements per day', 'line', 0, [1]),
      { id: 'top-users', title: 'Top users by statements', kind: 'bar', labels: top.map((r) => String(r[0])), series: [{ label: 'statements', values: top.map((r) => n(r[1])) }] },
    ],
    tables: [users, dbs],
  };
}

export async function controlPlane(c: SectionContext): Promise<ReportSection> {
  const { q, where, options } = c;
  const names = AUDIT_CONTROL_EVENTS.map(lit).join(', ');
  const list = await table(q, 'control-plane', 'API calls that touch audit logging', `
    SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, account, region, coalesce("user", '(unknown)') AS who, action, coalesce(object, '') AS object,
           CASE WHEN success THEN 'ok' ELSE coalesce(error_code, 'failed') END AS outcome, coalesce(remote_host, '') AS source
    FROM api_calls WHERE ${where} AND action IN (${names}) ORDER BY time, event_id`);
  const byAction = await table(q, 'control-plane-by-action', 'Audit-relevant API calls by action', `
    SELECT action, count(*) AS calls, count(*) FILTER (WHERE success = false) AS failed FROM api_calls WHERE ${where} AND action IN (${names}) GROUP BY 1 ORDER BY 2 DESC, 1`);
  const disabling = list.rows.filter((r) => ['DisableLogging', 'StopLogging', 'DeleteTrail'].includes(String(r[4])) && r[6] === 'ok').length;
  return {
    id: 'control-plane', title: 'Control-plane changes to audit logging (CloudTrail)',
    question: 'Did anyone switch audit logging off, or change the settings that control it?',
    summary: `${fmt(list.totalRows)} audit-relevant API call(s); ${disabling} successful call(s) that disable logging or delete a trail.`,
    charts: [], tables: [byAction, list],
  };
}

export const SECTIONS = [coverage, connections, failedLogins, userChanges, adminActivity, ddl, afterHours, topUsers, controlPlane];
