import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isUnknownKey, parseObjectKey } from './parse-object-key.js';
import { renderCloudTrailKey, renderRedshiftKey } from './render-key.js';

function info(key: string) {
  const r = parseObjectKey(key);
  assert.ok(!isUnknownKey(r), `${key}: ${isUnknownKey(r) ? r.unknown : ''}`);
  return r;
}

test('documented Redshift keys, with and without a prefix', () => {
  const doc = 'AWSLogs/123456789012/redshift/us-east-1/2013/10/29/123456789012_redshift_us-east-1_mycluster_userlog_2013-10-29T18:01.gz';
  assert.deepEqual(info(doc), {
    format: 'redshift-userlog',
    account: '123456789012',
    region: 'us-east-1',
    service: 'redshift',
    cluster: 'mycluster',
    keyDate: '2013-10-29',
    key: doc,
  });
  assert.equal(info('myprefix/' + doc).cluster, 'mycluster');
  assert.equal(info('a/b/c/' + doc).format, 'redshift-userlog');
});

test('T18_31 underscore variant, %3A-encoded key, cluster names with _ and log-type words', () => {
  const real = 'AWSLogs/906383545488/redshift/eu-central-1/2020/12/07/906383545488_redshift_eu-central-1_redshift-cluster-1_connectionlog_2020-12-07T01:50.gz';
  assert.equal(info(real).format, 'redshift-connectionlog');
  assert.equal(info(real.replace('T01:50', 'T01%3A50')).key, real);
  const under = '254137219717_redshift_us-east-1_devsaba-sr-test_useractivitylog_2022-12-08T18_31.gz';
  assert.equal(info(under).format, 'redshift-useractivitylog');
  assert.equal(info(under).cluster, 'devsaba-sr-test');
  const tricky = info('AWSLogs/111111111111/redshift/us-west-2/2024/01/02/111111111111_redshift_us-west-2_my_userlog_cluster_useractivitylog_2024-01-02T03:04.gz');
  assert.equal(tricky.cluster, 'my_userlog_cluster');
  assert.equal(tricky.format, 'redshift-useractivitylog');
  assert.equal(info('111111111111_redshift_us-gov-west-1_c_userlog_2024-01-02T03:04.gz').region, 'us-gov-west-1');
});

test('bare file names from a flat download folder (the real fixtures, account `accountid`)', () => {
  const r = info('accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T15_24.gz');
  assert.equal(r.account, 'accountid');
  assert.equal(r.region, 'us-east-1');
  assert.equal(r.cluster, 'redshift-cluster-1');
  assert.equal(r.keyDate, '2020-06-10');
  assert.equal(info('downloads/x/accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T15_24.gz').format, 'redshift-useractivitylog');
  assert.equal(info('111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz').format, 'cloudtrail');
});

test('CloudTrail keys, including organisation trails', () => {
  const doc = 'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';
  assert.deepEqual(info('bucket-prefix/' + doc), {
    format: 'cloudtrail',
    account: '111122223333',
    region: 'us-east-2',
    service: 'cloudtrail',
    cluster: '',
    keyDate: '2015-08-01',
    key: 'bucket-prefix/' + doc,
  });
  const org = 'AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz';
  assert.equal(info(org).account, '111122223333');
});

test('digest and insight files are recognised but not ingested; unknown keys are reported, not guessed', () => {
  const digest = parseObjectKey('AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/01/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150801T021000Z.json.gz');
  assert.ok(isUnknownKey(digest) && digest.recognised === 'cloudtrail-digest' && /digest/.test(digest.unknown));
  const insight = parseObjectKey('AWSLogs/111122223333/CloudTrail-Insight/us-east-2/2015/08/01/111122223333_CloudTrail-Insight_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz');
  assert.ok(isUnknownKey(insight) && insight.recognised === 'cloudtrail-insight');
  for (const bad of [
    'AWSLogs/111111111111/redshift/us-east-1/2020/06/10/111111111111_redshift_us-east-1_c_querylog_2020-06-10T15:24.gz',
    'AWSLogs/111111111111/redshift/us-east-1/2020/06/10/111111111111_redshift_us-east-1_c_userlog_2020-06-10.gz',
    'AWSLogs/222222222222/redshift/us-east-1/2020/06/10/111111111111_redshift_us-east-1_c_userlog_2020-06-10T15:24.gz',
    '111111111111_redshift_us-east-1_c_userlog_2020-02-30T15:24.gz',
    'aws-logs-write-test',
    'AWSLogs/111111111111/elasticloadbalancing/us-east-1/2020/06/10/x.log.gz',
    '111122223333_CloudTrail_us-east-2_20150801T0210ZHdkvFTXOA3Vnhbc.json.gz',
    '',
  ]) {
    const r = parseObjectKey(bad);
    assert.ok(isUnknownKey(r), `should be unknown: ${bad}`);
    assert.ok(r.unknown.length > 10);
  }
  const mismatch = parseObjectKey('AWSLogs/222222222222/redshift/us-east-1/2020/06/10/111111111111_redshift_us-east-1_c_userlog_2020-06-10T15:24.gz');
  assert.ok(isUnknownKey(mismatch) && /account 222222222222/.test(mismatch.unknown));
});

test('rendered keys parse back to the same parts', () => {
  const time = Date.parse('2024-03-05T07:09:00Z');
  for (const separator of [':', '_'] as const) {
    const key = renderRedshiftKey({ prefix: 'audit/', account: '123456789012', region: 'eu-west-1', cluster: 'prod_dw', logType: 'userlog', time, separator });
    assert.equal(key, `audit/AWSLogs/123456789012/redshift/eu-west-1/2024/03/05/123456789012_redshift_eu-west-1_prod_dw_userlog_2024-03-05T07${separator}09.gz`);
    const r = info(key);
    assert.equal(r.cluster, 'prod_dw');
    assert.equal(r.keyDate, '2024-03-05');
  }
  const ct = renderCloudTrailKey({ orgId: 'o-aa11bb22cc', account: '123456789012', region: 'eu-west-1', time, unique: 'AbCdEf0123456789' });
  assert.equal(ct, 'AWSLogs/o-aa11bb22cc/123456789012/CloudTrail/eu-west-1/2024/03/05/123456789012_CloudTrail_eu-west-1_20240305T0709Z_AbCdEf0123456789.json.gz');
  assert.equal(info(ct).format, 'cloudtrail');
});

test('a key component that is not valid refuses the object with the reason (it would become a vault key and a partition)', () => {
  const cases: [string, RegExp][] = [
    ['.._redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', /account "\.\." is not a 12-digit AWS account id/],
    ['12\n34_redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', /account "12\\n34"/],
    ['1234_redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', /account "1234"/],
    ['123456789012_redshift_us-east-1_a..b_connectionlog_2026-10-01T04_00.gz', /cluster "a\.\.b"/],
    ['123456789012_redshift_us-east-1_-x_connectionlog_2026-10-01T04_00.gz', /cluster "-x"/],
    ['123456789012_redshift_us-east-123_c_connectionlog_2026-10-01T04_00.gz', /region "us-east-123"/],
    ['AWSLogs/../CloudTrail/us-east-1/2026/10/01/.._CloudTrail_us-east-1_20261001T0100Z_x.json.gz', /account "\.\."/],
  ];
  for (const [key, why] of cases) {
    const r = parseObjectKey(key);
    assert.ok(isUnknownKey(r) && r.invalid === true, `should be refused: ${JSON.stringify(key)}`);
    assert.match(r.unknown, why);
  }
  assert.equal(info('123456789012_redshift_us-east-1_my_cluster-2_connectionlog_2026-10-01T04_00.gz').cluster, 'my_cluster-2');
});
