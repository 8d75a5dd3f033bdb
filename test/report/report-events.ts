import { eventIdFor } from '../../src/core/event-id.js';
import type { AuditEvent, LogType, SourceFormat } from '../../src/core/event.js';

/**
 * A small, hand-built month (2026-10) whose answers are known, plus a few September events that must
 * stay out of the October report but make one source address "already seen".
 */
let seq = 0;
function ev(time: string, logType: LogType, fields: Partial<AuditEvent>): AuditEvent {
  seq += 1;
  const fmt: SourceFormat = logType === 'api' ? 'cloudtrail' : logType === 'connection' ? 'redshift-connectionlog' : logType === 'user' ? 'redshift-userlog' : 'redshift-useractivitylog';
  return {
    eventId: eventIdFor(['report-test', String(seq)]), time: Date.parse(time), logType, sourceFormat: fmt,
    account: '111122223333', region: 'us-east-1', service: logType === 'api' ? 'redshift' : 'redshift', cluster: 'prod-dw',
    database: 'dev', user: null, session: String(1000 + seq), remoteHost: null, remotePort: null, action: '', statement: null,
    success: null, errorCode: null, object: null, details: {}, raw: `raw ${seq}`, sourceObject: 'test', sourceLine: seq,
    ...fields,
  };
}

const login = (time: string, user: string, host: string) => ev(time, 'connection', { user, remoteHost: host, remotePort: '5439', action: 'authenticated', success: true });
const fail = (time: string, user: string, host: string) => ev(time, 'connection', { user, remoteHost: host, remotePort: '5439', action: 'authentication failure', success: false });
const sql = (time: string, user: string, action: string, statement: string, object: string | null = null) => ev(time, 'activity', { user, action, statement, object });

export function reportEvents(): AuditEvent[] {
  seq = 0;
  const out: AuditEvent[] = [
    // September: alice from 10.0.0.1 (so that address is not "new" in October)
    login('2026-09-15T10:00:00Z', 'alice', '::ffff:10.0.0.1'),
    sql('2026-09-15T10:01:00Z', 'alice', 'SELECT', 'select 1'),
    // October, business hours (Thu 2026-10-01 is a Thursday)
    login('2026-10-01T09:00:00Z', 'alice', '::ffff:10.0.0.1'),
    login('2026-10-01T09:30:00Z', 'bob', '::ffff:10.0.0.2'),
    login('2026-10-02T11:00:00Z', 'alice', '::ffff:10.0.0.1'),
    // after hours: Saturday 2026-10-03 and a Tuesday 22:00
    login('2026-10-03T14:00:00Z', 'mallory', '::ffff:203.0.113.9'),
    login('2026-10-06T22:00:00Z', 'bob', '::ffff:10.0.0.2'),
    // rdsdb (internal) after hours: excluded from after-hours and admin sections
    login('2026-10-04T03:00:00Z', 'rdsdb', '[local]'),
    // a burst: 6 failures in 10 minutes from one address, plus 2 scattered failures
    ...[0, 1, 2, 3, 4, 5].map((i) => fail(`2026-10-05T08:0${i}:00Z`, 'admin', '::ffff:198.51.100.7')),
    fail('2026-10-07T12:00:00Z', 'bob', '::ffff:10.0.0.2'),
    fail('2026-10-20T12:00:00Z', 'carol', '::ffff:10.0.0.3'),
    ev('2026-10-01T17:00:00Z', 'connection', { user: 'alice', remoteHost: '::ffff:10.0.0.1', action: 'disconnecting session', success: true }),
    // user log: alice becomes superuser, dave created, eve dropped
    ev('2026-10-02T10:00:00Z', 'user', { action: 'alter', object: 'alice', details: { usesuper: '1' } }),
    ev('2026-10-02T10:05:00Z', 'user', { action: 'create', object: 'dave', details: { usesuper: '0' } }),
    ev('2026-10-09T10:05:00Z', 'user', { action: 'drop', object: 'eve', details: { usesuper: '0' } }),
    // activity
    sql('2026-10-01T09:01:00Z', 'alice', 'SELECT', 'select * from sales'),
    sql('2026-10-01T09:02:00Z', 'alice', 'SELECT', 'select * from sales where id = 1'),
    sql('2026-10-01T09:03:00Z', 'alice', 'CREATE TABLE', 'create table t1 (id int)', 't1'),
    sql('2026-10-01T09:35:00Z', 'bob', 'SELECT', 'select 2'),
    sql('2026-10-02T10:05:00Z', 'alice', 'CREATE USER', "create user dave password '***'", 'dave'),
    sql('2026-10-02T10:06:00Z', 'alice', 'GRANT', 'grant select on sales to dave', 'sales'),
    sql('2026-10-03T14:01:00Z', 'mallory', 'DROP TABLE', 'drop table t1', 't1'),
    sql('2026-10-04T03:00:00Z', 'rdsdb', 'SELECT', 'select health()'),
    // API calls
    ev('2026-10-10T12:00:00Z', 'api', { user: 'ops-role', action: 'DisableLogging', success: true, object: 'prod-dw', remoteHost: '198.51.100.20' }),
    ev('2026-10-10T12:05:00Z', 'api', { user: 'ops-role', action: 'EnableLogging', success: true, object: 'prod-dw', remoteHost: '198.51.100.20' }),
    ev('2026-10-11T12:00:00Z', 'api', { user: 'intruder', action: 'StopLogging', success: false, errorCode: 'AccessDenied', object: 'main-trail' }),
    ev('2026-10-11T13:00:00Z', 'api', { user: 'ops-role', action: 'DescribeClusters', success: true }),
    // November: outside the month
    login('2026-11-01T00:00:00Z', 'alice', '::ffff:10.0.0.1'),
  ];
  return out;
}
