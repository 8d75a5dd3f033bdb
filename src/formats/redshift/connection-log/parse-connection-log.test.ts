import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasErrorCode } from '../../../core/errors.js';
import { parseConnectionLogLine } from './parse-connection-log.js';
import { renderConnectionLogLine } from './render-connection-log.js';

// Verbatim samples from research/formats.md A.4 (real files unless noted).
const JUN_2020_16 = [
  'authenticated |Wed, 3 Jun 2020 16:34:40:042|[local] | |8826|dev |rdsdb |Ident |0| | |0| | | | ',
  'disconnecting session |Wed, 3 Jun 2020 16:34:40:086|[local] | |8828|dev |rdsdb |Ident |24222| | |0| | | | ',
  'authenticated |Wed, 3 Jun 2020 16:39:42:756|::ffff:72.21.196.64 |7973 |12268|dev |awsuser |password |0|TLSv1.2 |ECDHE-RSA-AES256-GCM-SHA384 |0| | | | ',
  'set application_name |Wed, 3 Jun 2020 16:39:42:843|::ffff:72.21.196.64 |7973 |12268|dev |awsuser |password |507125|TLSv1.2 |ECDHE-RSA-AES256-GCM-SHA384 |0| | | |JDBC-1.2.41.1065 ',
  'disconnecting session |Wed, 3 Jun 2020 17:07:11:263|::ffff:127.0.0.1 |54198 |11080|dev |rdsdb |password |1799987353| | |0| | | | ',
];
const DEC_2020_19 = 'authenticated |Mon, 7 Dec 2020 20:01:55:177|[local] | |5108|dev |rdsdb |Ident |0| | |0| | | | | | |';
const IBM_2022_21 =
  'authentication failure |Mon, 16 Mar 2022 08:18:14:766|::ffff:223.233.72.13 |1224 |1073742045|dev |meenakshi |password |0|TLSv1.2 |ECDHE-RSA-AES256-GCM-SHA384 |0| | | | |Windows 10 10.0 amd64 |Amazon Redshift JDBC Driver 1.2.55.1083 |none |0|da9edc00-a1e6-44e0-8274-9417e5f355de';
const RTD_2023_21 =
  'set application_name |Sun, 01 Jan 2023 01:05:07:124|[local] |77 |1234|testdb |testuser |test |12312|TLSv1.2 |TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 |0| | | |JDBC-1.2.54.1082 |Linux 5.4.0-1086-aws amd64 |Amazon Redshift JDBC Driver 1.2.54.1082 |none |0|02d54c77-8302-4ae6-8e83';

test('16-field 2020 lines: fields right-trimmed and mapped by position, exact round trip', () => {
  for (const line of JUN_2020_16) assert.equal(renderConnectionLogLine(parseConnectionLogLine(line, 1)), line);
  const r = parseConnectionLogLine(JUN_2020_16[3], 4);
  assert.equal(r.event, 'set application_name');
  assert.equal(r.recordtime, Date.parse('2020-06-03T16:39:42.843Z'));
  assert.equal(r.remotehost, '::ffff:72.21.196.64');
  assert.equal(r.remoteport, '7973');
  assert.equal(r.pid, '12268');
  assert.equal(r.username, 'awsuser');
  assert.equal(r.duration, '507125');
  assert.equal(r.sslcipher, 'ECDHE-RSA-AES256-GCM-SHA384');
  assert.equal(r.application_name, 'JDBC-1.2.41.1065');
  assert.equal(r.fieldCount, 16);
  assert.equal(r.verbatim, undefined, 'a canonical line needs no verbatim bytes');
  const local = parseConnectionLogLine(JUN_2020_16[0], 1);
  assert.equal(local.remotehost, '[local]');
  assert.equal(local.remoteport, '');
});

test('19-field Dec 2020 line ending in an empty unpadded field round-trips', () => {
  const r = parseConnectionLogLine(DEC_2020_19, 1);
  assert.equal(r.fieldCount, 19);
  assert.equal(r.plugin_name, '');
  assert.equal(renderConnectionLogLine(r), DEC_2020_19);
});

test('21-field lines (2022 failed login, 2023 zero-padded day) map os/driver/plugin/protocol/sessionid', () => {
  const r = parseConnectionLogLine(IBM_2022_21, 7);
  assert.equal(r.event, 'authentication failure');
  assert.equal(r.pid, '1073742045');
  assert.equal(r.os_version, 'Windows 10 10.0 amd64');
  assert.equal(r.driver_version, 'Amazon Redshift JDBC Driver 1.2.55.1083');
  assert.equal(r.plugin_name, 'none');
  assert.equal(r.protocol_version, '0');
  assert.equal(r.sessionid, 'da9edc00-a1e6-44e0-8274-9417e5f355de');
  assert.equal(renderConnectionLogLine(r), IBM_2022_21);
  const z = parseConnectionLogLine(RTD_2023_21, 1);
  assert.equal(z.recordtime, Date.parse('2023-01-01T01:05:07.124Z'));
  assert.equal(renderConnectionLogLine(z), RTD_2023_21);
});

test('fields beyond 21 are kept in order and round-trip', () => {
  const line = IBM_2022_21 + '|zstd |future';
  const r = parseConnectionLogLine(line, 1);
  assert.deepEqual(r.extra, ['zstd', 'future']);
  assert.equal(r.fieldCount, 23);
  assert.equal(renderConnectionLogLine(r), line);
});

test('15-field line (2018 width) parses; 14 fields do not', () => {
  const l15 = 'authenticated |Mon, 21 May 2018 01:38:01:601|::ffff:127.0.0.1 |32828 |15523|dev |rdsdb |password |0| | |0| | | ';
  const r = parseConnectionLogLine(l15, 1);
  assert.equal(r.fieldCount, 15);
  assert.equal(r.application_name, undefined);
  assert.equal(renderConnectionLogLine(r), l15);
  assert.throws(() => parseConnectionLogLine('authenticated |Mon, 21 May 2018 01:38:01:601|x |1 |2|dev |u |p |0| | |0| | ', 3), /connection log line 3: 14 fields/);
});

test('errors name the line, the field number and name, and the value', () => {
  const bad = JUN_2020_16[0].replace('Jun', 'Jux');
  assert.throws(
    () => parseConnectionLogLine(bad, 12),
    (e: unknown) =>
      hasErrorCode(e, 'E_PARSE') &&
      (e as Error).message === 'connection log line 12: field 2 (recordtime) "Wed, 3 Jux 2020 16:34:40:042" is not a Redshift timestamp',
  );
  assert.throws(() => parseConnectionLogLine(JUN_2020_16[0].replace('|8826|', '|88x6|'), 5), /line 5: field 5 \(pid\) "88x6" is not an integer/);
  assert.throws(() => parseConnectionLogLine(JUN_2020_16[1].replace('|24222|', '|abc|'), 6), /field 9 \(duration\) "abc"/);
});

test('a producer record without verbatim renders the canonical 16- or 21-field line', () => {
  const base = {
    event: 'authentication failure',
    recordtime: Date.parse('2020-06-03T16:39:42.756Z'),
    remotehost: '::ffff:10.0.0.5',
    remoteport: '50123',
    pid: '1073742045',
    dbname: 'dev',
    username: 'mallory',
    authmethod: 'password',
  };
  assert.equal(
    renderConnectionLogLine(base),
    'authentication failure |Wed, 3 Jun 2020 16:39:42:756|::ffff:10.0.0.5 |50123 |1073742045|dev |mallory |password |0| | |0| | | | ',
  );
  const modern = renderConnectionLogLine({ ...base, os_version: 'Linux', sessionid: 'abc' });
  assert.equal(modern.split('|').length, 21);
  assert.ok(modern.endsWith('|Linux | | |0|abc'));
  assert.equal(renderConnectionLogLine(parseConnectionLogLine(modern, 1)), modern);
});
