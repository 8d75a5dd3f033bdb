import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { repoRoot } from '../../../test/helpers/repo-root.js';
import type { AuditEvent } from '../../core/event.js';
import { createFirehoseDecoder, type FirehoseDecodeStats } from './decoder.js';

const fixture = join(repoRoot, 'test/fixtures/cloudwatch-firehose/firehose-rds.gz');

function decode(bytes: Buffer, chunk = 97) {
  const stats: FirehoseDecodeStats = { messages: 0, controlMessages: 0, logEvents: 0 };
  const d = createFirehoseDecoder({ account: '', region: 'eu-west-1', sourceObject: 'firehose-rds.gz' }, stats);
  const out = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...d.push(bytes.subarray(i, i + chunk)));
  out.push(...d.end());
  return { out, stats };
}

test('concatenated gzip members → back-to-back JSON → events; CONTROL_MESSAGE skipped; 56-digit ids kept exactly', () => {
  const raw = gunzipSync(readFileSync(fixture)); // Node reads every gzip member
  assert.match(raw.toString('utf8', 0, 40), /^\{"messageType":"CONTROL_MESSAGE"/);
  const { out, stats } = decode(raw);
  assert.deepEqual(stats, { messages: 4, controlMessages: 1, logEvents: 62 });
  const ev = out.map((r) => (r.kind === 'event' ? r.event : assert.fail(r.reason))) as AuditEvent[];
  const pg = ev.filter((e) => e.cluster === 'mydb');
  assert.deepEqual(pg.map((e) => `${e.logType}|${e.action}|${e.user}|${e.success}`), [
    'connection|authenticated|postgres|true',
    'connection|disconnecting session|postgres|true',
    'connection|authenticated|postgres|true',
    'activity|CREATE TABLE|postgres|true',
    'user|GRANT|postgres|true',
    'activity|SET|postgres|true',
    'activity|INSERT|postgres|true',
    'activity|DELETE|postgres|true',
    'activity|DELETE|postgres|true',
    'activity|DO|postgres|true',
    'activity|SELECT|postgres|true',
    'activity|SELECT|postgres|true',
    'activity|VACUUM|postgres|true',
    'activity|DROP TABLE|postgres|true',
    'connection|disconnecting session|postgres|true',
    'connection|authentication failure|postgres|false',
  ]);
  const fail = pg[pg.length - 1];
  assert.equal(fail.errorCode, '28P01');
  assert.equal(fail.remoteHost, '127.0.0.1');
  assert.equal(fail.remotePort, '56722');
  assert.equal(fail.service, 'rds');
  assert.equal(fail.account, '123456789012');
  const first = pg[0].details.cwlEventId as string;
  assert.equal(typeof first, 'string');
  assert.equal(first.length, 56);
  assert.match(first, /^\d{56}$/);
  assert.ok(raw.includes(`"id":"${first}"`)); // exactly the digits CloudWatch sent, no float rounding
  const maria = ev.filter((e) => e.cluster === 'mymaria');
  assert.ok(maria.some((e) => e.action === 'CREATE USER' && e.object === 'app_user@%'));
  assert.equal(new Set(ev.map((e) => e.eventId)).size, ev.length);
});

test('Firehose at-least-once: a duplicated member yields the same event ids; a truncated object is reported', () => {
  const gz = readFileSync(fixture);
  const once = decode(gunzipSync(gz)).out;
  const twice = decode(gunzipSync(Buffer.concat([gz, gz]))).out;
  const ids = (r: typeof once) => r.map((x) => (x.kind === 'event' ? x.event.eventId : '')).sort();
  assert.deepEqual([...new Set(ids(twice))], ids(once));
  const cut = gunzipSync(gzipSync(gunzipSync(gz).subarray(0, 2000)));
  const r = decode(cut).out;
  assert.equal(r[r.length - 1].kind, 'malformed');
});

test('fuzz regression: log events without a text message are refused with reasons, never a TypeError', () => {
  const d = createFirehoseDecoder({ account: '1', region: 'us-east-1', sourceObject: 'k' });
  const good = { messageType: 'DATA_MESSAGE', owner: '1', logGroup: '/aws/rds/instance/db1/postgresql', logStream: 's', logEvents: [null, { id: '7', timestamp: 1 }, { id: '8', timestamp: 1, message: 42 }] };
  const out = [...d.push(Buffer.from(JSON.stringify(good))), ...d.end()];
  assert.equal(out.length, 3);
  for (const r of out) {
    assert.equal(r.kind, 'malformed');
    if (r.kind === 'malformed') assert.match(r.reason, /not a CloudWatch Logs message object|has no text message/);
  }
});
