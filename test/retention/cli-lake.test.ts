import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBinSync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';

const FIXTURES = join(repoRoot, 'test/fixtures/redshift-test-drive');

const cli = (home: string, ...args: string[]) => runBinSync(home, args);

test('retention apply drops expired lake partitions (real ingest, real lake); other log types stay queryable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'auditlake-ret-lake-'));
  try {
    const day = join(dir, 'logs/AWSLogs/123456789012/redshift/us-east-1/2020/06/10');
    await mkdir(day, { recursive: true });
    for (const f of (await readdir(FIXTURES)).filter((x) => x.endsWith('.gz'))) await copyFile(join(FIXTURES, f), join(day, f.replace('accountid', '123456789012')));
    const home = join(dir, 'home');
    let r = cli(home, 'ingest', join(dir, 'logs'), '--no-progress', '--vault', 'off');
    assert.equal(r.code, 0, r.err);
    r = cli(home, 'retention', 'set', '--account', '123456789012', '--log-type', 'connection', '--keep', '400d', '--lake-keep', '30d');
    assert.equal(r.code, 0, r.err);
    r = cli(home, 'retention', 'apply');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^deleted\tlake\tlog_type=connection\/account=123456789012\/region=us-east-1\/date=2020-06-10\t/m);
    assert.match(r.out, /^0 vault object\(s\) and 1 lake partition\(s\) deleted/m);
    r = cli(home, 'query', 'select log_type, count(*) as n from events group by 1 order by 1', '--format', 'csv');
    assert.equal(r.code, 0, r.err);
    // The README of the fixtures: 4309 user-activity records; the 87 connection events are gone with their partition.
    assert.equal(r.out.trim().replace(/\r\n/g, '\n'), 'log_type,n\nactivity,4309'); // CSV rows end in CRLF (RFC 4180)
    await assert.rejects(stat(join(home, 'keys/digest-signing-key.pem')), 'no vault deletion → no signing key created');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
