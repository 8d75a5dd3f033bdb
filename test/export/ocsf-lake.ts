import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AuditEvent } from '../../src/core/event.js';
import { createDecoder } from '../../src/formats/decoder.js';
import { isUnknownKey, parseObjectKey } from '../../src/formats/object-key/index.js';
import type { ObjectKeyInfo, ObjectFormat } from '../../src/core/decode.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { repoRoot } from '../helpers/repo-root.js';

async function decode(path: string, info: ObjectKeyInfo): Promise<AuditEvent[]> {
  const d = createDecoder(info);
  const out: AuditEvent[] = [];
  let input: Readable = createReadStream(path);
  if (path.endsWith('.gz')) input = input.pipe(createGunzip());
  for await (const chunk of input) for (const r of d.push(chunk as Buffer)) if (r.kind === 'event') out.push(r.event);
  for (const r of d.end()) if (r.kind === 'event') out.push(r.event);
  return out;
}

/** Every event of every real fixture auditlake reads: Redshift (3 logs), CloudTrail, pgaudit (3 layouts), server_audit, Firehose. */
export async function fixtureEvents(): Promise<AuditEvent[]> {
  const fx = join(repoRoot, 'test/fixtures');
  const events: AuditEvent[] = [];
  for (const f of readdirSync(join(fx, 'redshift-test-drive')).filter((n) => n.endsWith('.gz'))) {
    const key = `AWSLogs/123456789012/redshift/us-east-1/2020/06/10/${f.replace('accountid_', '123456789012_')}`;
    events.push(...(await decode(join(fx, 'redshift-test-drive', f), parseObjectKey(key) as ObjectKeyInfo)));
  }
  const ct = readdirSync(join(fx, 'cloudtrail')).find((n) => n.includes('_CloudTrail_'))!;
  events.push(...(await decode(join(fx, 'cloudtrail', ct), parseObjectKey(`AWSLogs/111122223333/CloudTrail/us-east-1/2021/08/03/${ct}`) as ObjectKeyInfo)));
  const firehose = parseObjectKey('AWSLogs/firehose/2026/11/22/rds-audit-1-2026-11-22-10-00-00-abcd.gz');
  if (!isUnknownKey(firehose)) events.push(...(await decode(join(fx, 'cloudwatch-firehose/firehose-rds.gz'), firehose)));
  else events.push(...(await decode(join(fx, 'cloudwatch-firehose/firehose-rds.gz'), { format: 'cloudwatch-firehose', account: '111122223333', region: 'eu-west-1', service: 'rds', cluster: '', keyDate: '2026-11-22', key: 'firehose-rds.gz' })));
  const local: Array<[ObjectFormat, string]> = [
    ['postgres-pgaudit', 'pgaudit/postgresql.csv'], ['postgres-pgaudit', 'pgaudit/postgresql.json'], ['postgres-pgaudit', 'pgaudit/postgresql.stderr.log'],
    ['mariadb-server-audit', 'server-audit/server_audit.log.1'], ['mariadb-server-audit', 'server-audit/passwords.log'], ['mariadb-server-audit', 'server-audit/commas.log'],
  ];
  for (const [format, rel] of local) {
    // Self-hosted servers: no AWS account or region (the export then leaves out the cloud profile).
    events.push(...(await decode(join(fx, rel), { format, account: '', region: '', service: format.split('-')[0], cluster: 'db1', keyDate: '2026-11-22', key: `test/fixtures/${rel}` })));
  }
  return events;
}

/** A plaintext lake holding `events`. */
export async function lakeWith(root: string, events: AuditEvent[]): Promise<void> {
  const lake = await openLake({ root, tmpDir: join(root, '_tmp') });
  try {
    const b = lake.beginBatch({ mayOverlap: true });
    for (const e of events) await b.add(e);
    await b.commit([]);
  } finally {
    await lake.close();
  }
}
