import { createCloudTrailParser } from './src/formats/cloudtrail/parse-cloudtrail.js';
import { createCloudTrailScanner } from './src/formats/cloudtrail/scan-records.js';
import { createCloudTrailDecoder } from './src/formats/cloudtrail/decoder.js';
import { renderCloudTrailFile } from './src/formats/cloudtrail/render-cloudtrail.js';
const recs = Array.from({ length: 50000 }, (_, i) => ({
  eventVersion: '1.08', userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:s', arn: `arn:aws:sts::111122223333:assumed-role/R${i % 5}/s`, accountId: '111122223333', accessKeyId: 'ASIAEXAMPLE', sessionContext: { sessionIssuer: { type: 'Role', userName: `R${i % 5}` }, attributes: { creationDate: '2021-08-03T00:00:00Z', mfaAuthenticated: 'false' } } },
  eventTime: new Date(Date.UTC(2021, 7, 3) + i * 1000).toISOString(), eventSource: 'redshift.amazonaws.com', eventName: 'DescribeClusters', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.1', userAgent: 'aws-cli/2.2.0 Python/3.8.8 Linux/5.10 botocore/2.0.0',
  requestParameters: { clusterIdentifier: `c-${i % 4}`, maxRecords: 100 }, responseElements: null, requestID: `req-${i}`, eventID: `id-${i}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111122223333', eventCategory: 'Management',
}));
const buf = Buffer.from(renderCloudTrailFile(recs));
const mb = buf.length / 1e6;
for (let round = 0; round < 2; round++)
for (const [name, mk] of [['scan', () => createCloudTrailScanner()], ['parse', () => createCloudTrailParser()], ['decode', () => createCloudTrailDecoder({ format: 'cloudtrail', account: '1', region: 'r', service: 'cloudtrail', cluster: '', keyDate: '2021-08-03', key: 'k' })]] as const) {
  const t0 = performance.now();
  const p = mk();
  let n = 0;
  for (let i = 0; i < buf.length; i += 65536) n += p.push(buf.subarray(i, i + 65536)).length;
  n += p.end().length;
  const s = (performance.now() - t0) / 1000;
  if (round) console.log(name, n, 'records', mb.toFixed(1), 'MB', (mb / s).toFixed(0), 'MB/s', (n / s).toFixed(0), 'rec/s');
}
