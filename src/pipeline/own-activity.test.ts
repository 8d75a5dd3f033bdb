import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent } from '../core/event.js';
import { createOwnActivity } from './own-activity.js';

const ev = (p: Partial<AuditEvent>): AuditEvent => ({
  eventId: 'x', time: 0, logType: 'connection', sourceFormat: 'mariadb-server-audit', account: '', region: '', service: 'mariadb', cluster: 'm',
  database: null, user: 'root', session: null, remoteHost: null, remotePort: null, action: 'authenticated', statement: null, success: true,
  errorCode: null, object: null, details: {}, raw: '', sourceObject: 'f', sourceLine: 1, ...p,
});

test('own activity: registered sessions until their disconnect, application_name, canary tag; marks what it recognises', () => {
  let clock = 0;
  const own = createOwnActivity({ ttlMs: 1000, now: () => clock });
  own.addSessions('m', ['42']);
  const connect = ev({ session: '42' });
  assert.equal(own.classify('m', connect), true);
  assert.equal(connect.details.auditlakeOwn, true);
  assert.equal(own.classify('other', ev({ session: '42' })), false, 'per source');
  assert.equal(own.classify('m', ev({ session: '42', action: 'disconnecting session' })), true);
  const reused = ev({ session: '42' });
  assert.equal(own.classify('m', reused), false, 'a reused id after the disconnect is a new session');
  assert.equal(reused.details.auditlakeOwn, undefined);
  own.addSessions('m', ['43']);
  clock = 2000;
  assert.equal(own.classify('m', ev({ session: '43' })), false, 'forgotten after the ttl');
  assert.equal(own.classify('m', ev({ details: { applicationName: 'auditlake-canary' } })), true);
  assert.equal(own.classify('m', ev({ statement: "SELECT 'auditlake-canary-1b2c' AS auditlake_canary" })), true);
  assert.equal(own.classify('m', ev({ statement: 'SELECT 1', details: { applicationName: 'psql' } })), false);
});
