import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../../../test/helpers/repo-root.js';
import { eventIdFor } from '../../../core/event-id.js';
import type { AuditEvent } from '../../../core/event.js';
import type { DecodeResult, MalformedRecord, ObjectDecoder, ObjectKeyInfo } from '../../../core/decode.js';
import { isUnknownKey, parseObjectKey } from '../../object-key/parse-object-key.js';
import { createDecoder } from '../../decoder.js';
import { createUserLogDecoder } from './user-log-decoder.js';
import { createConnectionLogDecoder } from './connection-log-decoder.js';
import { createActivityLogDecoder } from './activity-log-decoder.js';

const DIR = join(repoRoot, 'test/fixtures/redshift-test-drive');

function keyInfo(key: string): ObjectKeyInfo {
  const r = parseObjectKey(key);
  if (isUnknownKey(r)) throw new Error(r.unknown);
  return r;
}

function decode(dec: ObjectDecoder, input: Buffer | string, chunk = 1000): DecodeResult[] {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const out: DecodeResult[] = [];
  for (let off = 0; off < buf.length; off += chunk) out.push(...dec.push(buf.subarray(off, off + chunk)));
  out.push(...dec.end());
  return out;
}
const events = (rs: DecodeResult[]): AuditEvent[] => rs.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
const malformed = (rs: DecodeResult[]): MalformedRecord[] => rs.flatMap((r) => (r.kind === 'malformed' ? [r] : []));

test('real fixtures decode to the README counts, no malformed records, unique ids, raw = original text', () => {
  const expected: Record<string, number> = { '15': 51, '16': 18, '17': 18 };
  const activity: Record<string, number> = { '15': 1009, '16': 1648, '17': 1652 };
  for (const hour of ['15', '16', '17']) {
    for (const [type, counts] of [['connectionlog', expected], ['useractivitylog', activity]] as const) {
      const file = `accountid_redshift_us-east-1_redshift-cluster-1_${type}_2020-06-10T${hour}_24.gz`;
      const original = gunzipSync(readFileSync(join(DIR, file)));
      const rs = decode(createDecoder(keyInfo(file)), original, 65536);
      assert.deepEqual(malformed(rs), [], file);
      const evs = events(rs);
      assert.equal(evs.length, counts[hour], file);
      assert.equal(new Set(evs.map((e) => e.eventId)).size, evs.length, `${file}: ids unique`);
      // Nothing secret in these files, so raw records joined back give the original bytes.
      assert.ok(Buffer.from(evs.map((e) => e.raw + '\n').join('')).equals(original), `${file}: raw`);
    }
  }
});

test('connection events: who, when, origin, action, success, details', () => {
  const key = 'AWSLogs/123456789012/redshift/us-east-1/2022/03/16/123456789012_redshift_us-east-1_prod_connectionlog_2022-03-16T09:00.gz';
  const text =
    'authentication failure |Mon, 16 Mar 2022 08:18:14:766|::ffff:223.233.72.13 |1224 |1073742045|dev |meenakshi |password |0|TLSv1.2 |ECDHE-RSA-AES256-GCM-SHA384 |0| | | | |Windows 10 10.0 amd64 |Amazon Redshift JDBC Driver 1.2.55.1083 |none |0|da9edc00-a1e6-44e0-8274-9417e5f355de\n' +
    'authenticated |Wed, 16 Mar 2022 08:18:20:001|[local] | |8826|dev |rdsdb |Ident |0| | |0| | | | \n';
  const [fail, ok] = events(decode(createConnectionLogDecoder(keyInfo(key)), text, 7));
  assert.deepEqual(
    { ...fail, details: undefined },
    {
      eventId: eventIdFor(['redshift-connectionlog', '123456789012', 'us-east-1', 'prod', '123456789012_redshift_us-east-1_prod_connectionlog_2022-03-16T09_00', '1', text.slice(0, text.indexOf('\n'))]),
      time: Date.parse('2022-03-16T08:18:14.766Z'),
      logType: 'connection',
      sourceFormat: 'redshift-connectionlog',
      account: '123456789012',
      region: 'us-east-1',
      service: 'redshift',
      cluster: 'prod',
      database: 'dev',
      user: 'meenakshi',
      session: '1073742045',
      remoteHost: '::ffff:223.233.72.13',
      remotePort: '1224',
      action: 'authentication failure',
      statement: null,
      success: false,
      errorCode: null,
      object: 'dev',
      details: undefined,
      raw: text.split('\n')[0],
      sourceObject: key,
      sourceLine: 1,
    },
  );
  assert.equal(fail.details.authmethod, 'password');
  assert.equal(fail.details.sessionid, 'da9edc00-a1e6-44e0-8274-9417e5f355de');
  assert.equal(fail.details.driver_version, 'Amazon Redshift JDBC Driver 1.2.55.1083');
  assert.equal(fail.details.unusual_field_count, undefined);
  assert.equal(ok.success, true);
  const piped = text.split('\n')[1].replace('|0| | | | ', '|0| | | |my|app ');
  const [odd] = events(decode(createConnectionLogDecoder(keyInfo(key)), piped + '\n'));
  assert.equal(odd.details.unusual_field_count, 17);
  assert.equal(ok.remotePort, null);
  assert.equal(ok.sourceLine, 2);
});

test('the same file under another prefix, as a bare name, gunzipped or with T09_00 gets the same ids', () => {
  const ids = [
    'AWSLogs/111111111111/redshift/us-east-1/2022/03/16/111111111111_redshift_us-east-1_prod_userlog_2022-03-16T09:00.gz',
    'other/prefix/AWSLogs/111111111111/redshift/us-east-1/2022/03/16/111111111111_redshift_us-east-1_prod_userlog_2022-03-16T09:00.gz',
    'AWSLogs/111111111111/redshift/us-east-1/2022/03/16/111111111111_redshift_us-east-1_prod_userlog_2022-03-16T09%3A00.gz',
    '111111111111_redshift_us-east-1_prod_userlog_2022-03-16T09_00.gz',
    'downloads/111111111111_redshift_us-east-1_prod_userlog_2022-03-16T09_00',
  ].map((k) => events(decode(createUserLogDecoder(keyInfo(k)), '1|rdsdb | |alter |1|1|1|9223372036854775807|14872|1061|Thu, 3 Dec 2020 10:18:38:416\n'))[0].eventId);
  assert.equal(new Set(ids).size, 1);
  const otherCluster = events(decode(createUserLogDecoder(keyInfo('111111111111_redshift_us-east-1_test_userlog_2022-03-16T09_00.gz')), '1|rdsdb | |alter |1|1|1|9223372036854775807|14872|1061|Thu, 3 Dec 2020 10:18:38:416\n'));
  assert.notEqual(otherCluster[0].eventId, ids[0]);
});

test('user-log events: object is the affected user (old -> new on rename), user is null, valuntil kept as text', () => {
  const key = '123456789012_redshift_us-east-1_prod_userlog_2020-12-03T11:00.gz';
  const text =
    '100|awsuser | |create |1|1|0|9223372036854775807|14888|1080|Thu, 3 Dec 2020 10:18:38:695\n' +
    '102|userlog2 |userlog1 |rename |0|0|0|9223372036854775807|5678|2001|Thu, 3 Dec 2020 10:20:00:000\n';
  const [create, rename] = events(decode(createUserLogDecoder(keyInfo(key)), text));
  assert.equal(create.logType, 'user');
  assert.equal(create.action, 'create');
  assert.equal(create.object, 'awsuser');
  assert.equal(create.user, null);
  assert.equal(create.session, '14888');
  assert.deepEqual(create.details, { userid: '100', usecreatedb: '1', usesuper: '1', usecatupd: '0', valuntil: '9223372036854775807', xid: '1080' });
  assert.equal(rename.object, 'userlog1 -> userlog2');
  assert.equal(rename.details.oldusername, 'userlog1');
});

test('activity events: verb, redacted statement and raw, object, ids by first line', () => {
  const key = 'AWSLogs/123456789012/redshift/us-east-1/2020/06/10/123456789012_redshift_us-east-1_prod_useractivitylog_2020-06-10T15:24.gz';
  const text =
    `'2020-06-10T14:38:40Z UTC [ db=dev user=admin pid=16934 userid=100 xid=1484 ]' LOG: create user bob password 'Sup3rSecret!'\n` +
    `'2020-06-10T14:39:01Z UTC [ db=dev user=awsuser pid=16934 userid=100 xid=1499 ]' LOG: copy sales from 's3://b/k'\n` +
    `credentials 'aws_access_key_id=AKIAIOSFODNN7EXAMPLE;aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\n` +
    `delimiter '|';\n` +
    `'2020-06-10T14:39:04Z UTC [ db=dev user=awsuser pid=16934 userid=100 xid=1500 ]' LOG: SELECT * FROM public.messages\n`;
  const evs = events(decode(createActivityLogDecoder(keyInfo(key)), text, 13));
  assert.equal(evs.length, 3);
  const [create, copy, select] = evs;
  assert.equal(create.action, 'CREATE USER');
  assert.equal(create.object, 'bob');
  assert.equal(create.user, 'admin');
  assert.equal(create.database, 'dev');
  assert.equal(create.session, '16934');
  assert.equal(create.success, null);
  assert.deepEqual(create.details, { userid: '100', xid: '1484' });
  assert.equal(copy.action, 'COPY');
  assert.equal(copy.object, 'sales');
  assert.equal(copy.sourceLine, 2);
  assert.equal(select.sourceLine, 5);
  assert.equal(select.time, Date.parse('2020-06-10T14:39:04Z'));
  for (const e of evs) {
    const all = JSON.stringify(e);
    assert.ok(!all.includes('Sup3rSecret') && !all.includes('wJalrXUtnFEMI'), all);
    assert.ok(e.raw.startsWith(`'2020-06-10T14:`) && e.raw.endsWith(e.statement!));
  }
  assert.match(create.statement!, /^create user bob password '\*+'$/);
  assert.equal(select.raw, text.split('\n')[4]);
});

test('malformed records name the line, are redacted, and the records around them are kept', () => {
  const key = '111111111111_redshift_us-east-1_prod_connectionlog_2020-06-03T17:17.gz';
  const good = 'authenticated |Wed, 3 Jun 2020 16:34:40:042|[local] | |8826|dev |rdsdb |Ident |0| | |0| | | | ';
  const text = [good, 'authenticated |Wed, 3 Jux 2020 16:34:40:042|[local] | |8826|dev |rdsdb |Ident |0| | |0| | | | ', "password 'hunter2' | not a record", good].join('\n') + '\n';
  const rs = decode(createConnectionLogDecoder(keyInfo(key)), text, 5);
  assert.deepEqual(rs.map((r) => r.kind), ['event', 'malformed', 'malformed', 'event']);
  const [m1, m2] = malformed(rs);
  assert.equal(m1.line, 2);
  assert.equal(m1.reason, 'connection log line 2: field 2 (recordtime) "Wed, 3 Jux 2020 16:34:40:042" is not a Redshift timestamp');
  assert.equal(m2.line, 3);
  assert.ok(!m2.raw.includes('hunter2'), m2.raw);
  assert.equal(events(rs)[1].sourceLine, 4);

  const ual = '111111111111_redshift_us-east-1_prod_useractivitylog_2020-06-03T17:17.gz';
  const pre = `stray line with password 'hunter2'\n'2020-06-10T14:39:04Z UTC [ db=dev user=u pid=1 userid=100 xid=2 ]' LOG: select 1\n`;
  const rs2 = decode(createActivityLogDecoder(keyInfo(ual)), pre);
  assert.equal(rs2.length, 2);
  const [p] = malformed(rs2);
  assert.equal(p.line, 1);
  assert.match(p.reason, /line 1: text before the first record header/);
  assert.ok(!p.raw.includes('hunter2'));
  assert.equal(events(rs2)[0].sourceLine, 2);
});
