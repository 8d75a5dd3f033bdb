import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mariadb from 'mariadb';
import { createServerAuditDecoder } from '../../src/formats/server-audit/decoder.js';
import type { AuditEvent } from '../../src/core/event.js';
import { enableMariaDb } from '../../src/sources/mariadb/enable.js';
import { formatEnableResult } from '../../src/sources/postgres/enable-result.js';
import { mariadbSkip, startMariaDb, MARIADB_ROOT_PASSWORD, type MariaDbInstance } from '../helpers/mariadb.js';

const skip = mariadbSkip();
const PASSWORDS = ['My-create-1x', 'My-alter-2x', 'My-setpw-3x', 'My-wrong-4x', 'My-typo-5x', MARIADB_ROOT_PASSWORD];
let db: MariaDbInstance;

before(async () => {
  if (!skip) db = await startMariaDb();
});
after(async () => {
  await db?.stop();
});

test('enable: dry run plans, real run installs server_audit and verifies by effect, second run changes nothing', { skip }, async () => {
  const file = join(db.dir, 'server_audit.log');
  const plan = await enableMariaDb(db.url, { dryRun: true, auditFile: file });
  assert.ok(plan.changes.some((c) => c.setting === 'plugin server_audit' && !c.applied));
  const res = await enableMariaDb(db.url, { auditFile: file });
  const text = formatEnableResult(res);
  assert.match(text, /set plugin server_audit: absent -> installed/);
  assert.match(text, /set server_audit_events: '' -> CONNECT,QUERY,TABLE/);
  assert.match(text, /not persistent across restarts/);
  assert.ok(res.verified, text);
  assert.ok(!text.includes(MARIADB_ROOT_PASSWORD));
  const again = await enableMariaDb(db.url, { auditFile: file });
  assert.deepEqual(again.changes, []);
  assert.ok(again.verified);
});

test('real workload: exact events incl. failed logins, user changes, multi-line/non-ASCII/failing statements; no password', { skip }, async () => {
  const file = join(db.dir, 'server_audit.log');
  // enable's own connections write their DISCONNECT rows asynchronously: start once the file stopped growing
  let start = statSync(file).size;
  for (let quiet = 0; quiet < 6; ) {
    await new Promise((r) => setTimeout(r, 50));
    const now = statSync(file).size;
    quiet = now === start ? quiet + 1 : 0;
    start = now;
  }
  const root = await mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'root', password: MARIADB_ROOT_PASSWORD });
  await root.query(`CREATE USER 'app_user'@'%' IDENTIFIED BY '${PASSWORDS[0]}'`);
  await root.query(`ALTER USER 'app_user'@'%' IDENTIFIED BY '${PASSWORDS[1]}'`);
  await root.query(`SET PASSWORD FOR 'app_user'@'%' = PASSWORD('${PASSWORDS[2]}')`);
  await root.query('CREATE DATABASE appdb CHARACTER SET utf8mb4');
  await root.query('CREATE TABLE appdb.accounts (id INT PRIMARY KEY, name VARCHAR(100))');
  await root.query("GRANT SELECT, INSERT ON appdb.* TO 'app_user'@'%'");
  await root.query("INSERT INTO appdb.accounts VALUES (1, 'O''Brien, Zoë 日本語')");
  await assert.rejects(root.query(`CREATE USSER 'typo'@'%' IDENTIFIED BY '${PASSWORDS[4]}'`), /syntax/);
  await assert.rejects(mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'app_user', password: PASSWORDS[3] }), /Access denied/);
  const app = await mariadb.createConnection({ host: '127.0.0.1', port: db.port, user: 'app_user', password: PASSWORDS[2], database: 'appdb' });
  await app.query("SELECT id,\n       name\n  FROM accounts\n WHERE name LIKE '%ë%'");
  await assert.rejects(app.query('DELETE FROM accounts WHERE id = 1'), /denied/);
  await app.end();
  await root.query("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'app_user'@'%'");
  await root.query('DROP DATABASE appdb');
  await root.query("DROP USER 'app_user'@'%'");
  await root.end();

  let ev: AuditEvent[] = [];
  const deadline = Date.now() + 10_000;
  for (;;) {
    const d = createServerAuditDecoder({ server: 'mytest', account: '', region: '', sourceObject: file });
    ev = [...d.push(readFileSync(file).subarray(start)), ...d.end()].map((r) => (r.kind === 'event' ? r.event : assert.fail(r.reason)));
    if (ev.filter((e) => e.action === 'disconnecting session').length >= 3 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // the connector's own session setup (SET NAMES …) is real audit data, but not this workload's
  const summary = ev.filter((e) => !/^SET (NAMES|@@|autocommit|SESSION)/i.test(e.statement ?? ''))
    .map((e) => `${e.logType}|${e.action}|${e.user}|${e.success}|${e.object ?? ''}|${e.errorCode ?? ''}`);
  // exact multiset: rows of different connections may be logged in either order (the audit row of a failing
  // statement is written after the client already got the error and moved on)
  assert.deepEqual(summary.slice().sort(), [
    'connection|authenticated|root|true||',
    'user|CREATE USER|root|true|app_user@%|',
    'user|ALTER USER|root|true|app_user@%|',
    'user|SET PASSWORD|root|true|app_user@%|',
    // DDL is classified like pgaudit's (issue 10 item 6): the verb with its object type, and the object
    'activity|CREATE DATABASE|root|true|appdb|',
    'activity|CREATE|root|null|appdb.accounts|',
    'activity|CREATE TABLE|root|true|appdb.accounts|',
    'user|GRANT|root|true|app_user@%|',
    'activity|WRITE|root|null|appdb.accounts|',
    'activity|INSERT|root|true||',
    'activity|CREATE|root|false||1064',
    'connection|authentication failure|app_user|false||1045',
    'connection|disconnecting session|app_user|true||',
    'connection|authenticated|app_user|true||',
    'activity|READ|app_user|null|appdb.accounts|',
    'activity|SELECT|app_user|true||',
    'activity|DELETE|app_user|false||1142',
    'connection|disconnecting session|app_user|true||',
    'user|REVOKE|root|true|app_user@%|',
    'activity|DROP|root|null|appdb.accounts|',
    'activity|DROP DATABASE|root|true|appdb|',
    'user|DROP USER|root|true|app_user@%|',
    'connection|disconnecting session|root|true||',
  ].sort());
  assert.equal(ev.find((e) => e.action === 'SELECT' && e.user === 'app_user')?.statement, "SELECT id,\n       name\n  FROM accounts\n WHERE name LIKE '%ë%'");
  assert.equal(ev.find((e) => e.action === 'INSERT')?.statement, "INSERT INTO appdb.accounts VALUES (1, 'O''Brien, Zoë 日本語')");
  const all = JSON.stringify(ev);
  for (const p of PASSWORDS) assert.ok(!all.includes(p), `password ${p.slice(0, 3)}… leaked into an event`);
  assert.ok(readdirSync(db.dir).includes('server_audit.log'));
});
