import { AUDIT_LOGGING_EVENTS } from '../cloudtrail-sim.js';
import { SERVICE_USERS } from '../cluster-sim.js';

/** One question the demo answers, with the SQL it runs over the lake's views. */
export interface DemoQuestion {
  id: 'failed-logins' | 'user-changes' | 'top-users' | 'after-hours' | 'audit-logging-api';
  title: string;
  sql: string;
}

const list = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

/** The demo's questions. The same definitions as the generator's manifest, so the answers can be checked. */
export const DEMO_QUESTIONS: readonly DemoQuestion[] = [
  {
    id: 'failed-logins',
    title: 'Failed logins by user (Redshift connection log)',
    sql:
      `select "user", count(*) as failed_logins, count(distinct remote_host) as from_hosts, ` +
      `strftime(max(time), '%Y-%m-%d %H:%M') as last_attempt_utc from connections ` +
      `where action = 'authentication failure' group by 1 order by 2 desc, 1 limit 10`,
  },
  {
    id: 'user-changes',
    title: 'User changes (Redshift user log)',
    sql:
      `select action, count(*) as changes, count(distinct account) as accounts, ` +
      `strftime(max(time), '%Y-%m-%d %H:%M') as latest_utc from user_changes group by 1 order by 2 desc, 1`,
  },
  {
    id: 'top-users',
    title: 'Top users by statements (Redshift user activity log)',
    sql: `select "user", count(*) as statements, count(distinct session) as sessions from activity group by 1 order by 2 desc, 1 limit 8`,
  },
  {
    id: 'after-hours',
    title: 'After-hours sessions by people (before 07:00, from 19:00 UTC, weekends; service accounts left out)',
    sql:
      `select "user", count(*) as sessions, count(distinct remote_host) as from_hosts from connections ` +
      `where action = 'initiating session' and "user" not in (${list(SERVICE_USERS)}) ` +
      `and (hour(time) < 7 or hour(time) >= 19 or dayofweek(time) in (0, 6)) group by 1 order by 2 desc, 1 limit 10`,
  },
  {
    id: 'audit-logging-api',
    title: 'API calls touching audit logging (CloudTrail)',
    sql:
      `select action, count(*) as calls, count(*) filter (where error_code is null) as succeeded, ` +
      `count(*) filter (where error_code is not null) as refused, count(distinct account) as accounts from api_calls ` +
      `where action in (${list(AUDIT_LOGGING_EVENTS)}) group by 1 order by 2 desc, 1`,
  },
];

/** Three commands printed at the end of the demo for the reader to try next. */
export function nextCommands(homeFlag: string): string[] {
  const h = homeFlag ? ` --home ${homeFlag}` : '';
  return [
    `auditlake${h} query "select time, account, \\"user\\", action, error_code from api_calls where action in ('DisableLogging','StopLogging','DeleteTrail') order by time"`,
    `auditlake${h} query "select time, cluster, \\"user\\", statement from activity where action in ('CREATE USER','ALTER USER','DROP USER') order by time limit 20"`,
    `auditlake${h} query --format csv "select remote_host, count(*) n from connections where not success group by 1 order by n desc"`,
  ];
}
