import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { resolveHome } from '../../src/core/home.js';
import { AuditlakeError } from '../../src/core/errors.js';
import { ingest, type IngestOptions } from '../../src/pipeline/ingest.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { createQuarantine } from '../../src/sinks/quarantine/quarantine.js';
import type { QuarantineEntry } from '../../src/sinks/quarantine/types.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import type { ObjectStore } from '../../src/core/object-store.js';
import { FIXTURE_KEY_DIR, layOutFixtures } from '../helpers/redshift-fixtures.js';

const ACCT = '123456789012';
const CT_DIR = `AWSLogs/${ACCT}/CloudTrail/us-east-1/2026/10/01`;
const RS_DIR = `AWSLogs/${ACCT}/redshift/us-east-1/2026/10/01`;

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-hostile-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

function ctRecord(i: number, requestParameters: string): string {
  const head = JSON.stringify({
    eventVersion: '1.08',
    eventTime: `2026-10-01T01:00:0${i}Z`,
    eventSource: 'redshift.amazonaws.com',
    eventName: 'DescribeClusters',
    awsRegion: 'us-east-1',
    sourceIPAddress: `10.0.0.${i}`,
    eventID: `00000000-0000-0000-0000-00000000000${i}`,
    userIdentity: { type: 'IAMUser', userName: `u${i}` },
    recipientAccountId: ACCT,
  });
  return `${head.slice(0, -1)},"requestParameters":${requestParameters}}`;
}

/** The repro: one record 5,000 levels deep between two good ones. */
function deepCloudTrail(depth: number): Buffer {
  const deep = '['.repeat(depth) + ']'.repeat(depth);
  return gzipSync(`{"Records":[${ctRecord(1, 'null')},${ctRecord(2, deep)},${ctRecord(3, '{"a":1}')}]}`);
}

async function put(root: string, key: string, body: Buffer | string): Promise<void> {
  const p = join(root, ...key.split('/'));
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, body);
}

async function run(name: string, store: ObjectStore, extra: Partial<IngestOptions> = {}) {
  const home = resolveHome(join(work, name, 'home'));
  const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  try {
    const summary = await ingest({ store, lake, home, ...extra });
    return { summary, home };
  } finally {
    await lake.close();
  }
}

async function count(home: ReturnType<typeof resolveHome>, sql: string): Promise<number> {
  const lake = await openLake({ root: home.lake });
  try {
    return Number((await lake.query(sql)).rows[0][0]);
  } finally {
    await lake.close();
  }
}

async function entries(home: ReturnType<typeof resolveHome>): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for await (const e of createQuarantine(home.quarantine).list()) out.push(e);
  return out;
}

describe('one bad object never blocks the others, nor the next run', () => {
  for (const workers of [0, 2]) {
    test(`a CloudTrail record 5,000 levels deep is quarantined with its reason, the rest land (workers ${workers})`, async () => {
      const src = join(work, `deep-${workers}`, 'src');
      await layOutFixtures(src);
      await put(src, `${CT_DIR}/${ACCT}_CloudTrail_us-east-1_20261001T0100Z_deep.json.gz`, deepCloudTrail(5000));
      const store = createFsStore({ root: src });
      const { summary, home } = await run(`deep-${workers}`, store, { workers });
      assert.equal(summary.events, 4396 + 2);
      assert.equal(summary.quarantined, 1);
      assert.equal(await count(home, 'select count(*) from api_calls'), 2);
      const q = await entries(home);
      assert.equal(q.length, 1);
      assert.match(q[0].reason, /nested 5001 levels deep \(limit 256\)/);
      // The next run has nothing left to do (the object is done, not retried forever).
      const again = await run(`deep-${workers}`, store, { workers });
      assert.equal(again.summary.objects.skipped, 7);
      assert.equal(again.summary.objects.ingested, 0);
    });
  }

  test('2,000 deep is refused the same way (the limit is the scanner\'s, not the stack\'s)', async () => {
    const src = join(work, 'deep2000', 'src');
    await put(src, `${CT_DIR}/${ACCT}_CloudTrail_us-east-1_20261001T0100Z_d2k.json.gz`, deepCloudTrail(2000));
    const { summary } = await run('deep2000', createFsStore({ root: src }));
    assert.equal(summary.events, 2);
    assert.equal(summary.quarantined, 1);
  });

  test('invalid key components (`..`, `12\\n34`, a cluster with a dot) refuse that one object with its reason', async () => {
    const src = join(work, 'keys', 'src');
    await layOutFixtures(src);
    const line = 'authenticated |Thu, 1 Oct 2026 01:00:00:000|10.0.0.1 |5432 |999|dev |u |password |0| | |0| | | | | | | |0|x\n';
    await put(src, '.._redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', gzipSync(line));
    await put(src, '12\n34_redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', gzipSync(line));
    await put(src, `${ACCT}_redshift_us-east-1_a..b_connectionlog_2026-10-01T04_00.gz`, gzipSync(line));
    await put(src, `${ACCT}_redshift_us-east-1_good_connectionlog_2026-10-01T04_00.gz`, gzipSync(line));
    const store = createFsStore({ root: src });
    const { summary, home } = await run('keys', store);
    assert.equal(summary.objects.refused, 3);
    assert.equal(summary.objects.ingested, 6 + 1 + 3, 'refused objects are done: a re-run does not refuse them again');
    assert.equal(summary.events, 4396 + 1);
    assert.equal(await count(home, "select count(*) from events where account not in ('123456789012', 'accountid')"), 0);
    const reasons = (await entries(home)).map((e) => e.reason).sort();
    assert.equal(reasons.length, 3);
    assert.match(reasons.join('\n'), /account "\.\." is not a 12-digit AWS account id/);
    assert.match(reasons.join('\n'), /account "12\\n34" is not a 12-digit AWS account id/);
    assert.match(reasons.join('\n'), /cluster "a\.\.b" is not a valid cluster/);
    const again = await run('keys', store);
    assert.equal(again.summary.objects.refused, 0);
    assert.equal(again.summary.objects.skipped, 10);
  });

  test('random bytes named .gz: one quarantine entry "not gzip", not thousands of junk records', async () => {
    const src = join(work, 'notgz', 'src');
    await layOutFixtures(src);
    const junk = randomBytes(1 << 20);
    junk[0] = 0x41; // never the gzip magic by chance
    await put(src, `${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T04_00.gz`, junk);
    const { summary, home } = await run('notgz', createFsStore({ root: src }));
    assert.equal(summary.objects.corrupt, 1);
    assert.equal(summary.events, 4396);
    const q = await entries(home);
    assert.equal(q.length, 1);
    assert.match(q[0].reason, /not gzip/);
  });

  test('an object that expands past the limit is refused with its reason', async () => {
    const src = join(work, 'bomb', 'src');
    const line = "'2026-10-01T01:00:00Z UTC [ db=dev user=u pid=1 userid=1 xid=1 ]' LOG: select 1;\n";
    await put(src, `${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T04_00.gz`, gzipSync(line.repeat(200_000)));
    await put(src, `${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T05_00.gz`, gzipSync(line.repeat(10)));
    const { summary, home } = await run('bomb', createFsStore({ root: src }), { limits: { maxBytes: 1e9, maxRatio: 50, ratioAfterBytes: 1e6 } });
    assert.equal(summary.objects.corrupt, 1);
    assert.ok(summary.events < 200_000 && summary.events >= 10, `${summary.events}`);
    assert.match((await entries(home))[0].reason, /expansion limit: .* \(over 50×\)/);
  });

  test('a store failure on one object: the others land, that one is retried by the next run', async () => {
    const src = join(work, 'flaky', 'src');
    await layOutFixtures(src);
    const fs = createFsStore({ root: src });
    let failing = true;
    const victim = `${FIXTURE_KEY_DIR}/accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T16_24.gz`;
    const store: ObjectStore = {
      ...fs,
      async get(key) {
        if (failing && key === victim) {
          // A connection that breaks after the first bytes, like a reset S3 GET.
          const body = await fs.get(key);
          const it = body[Symbol.asyncIterator]();
          return Readable.from((async function* () {
            yield (await it.next()).value as Buffer;
            throw Object.assign(new Error('connection reset by peer'), { code: 'ECONNRESET' });
          })());
        }
        return fs.get(key);
      },
    };
    const first = await run('flaky', store);
    assert.equal(first.summary.objects.failed, 1);
    assert.equal(first.summary.objects.ingested, 5);
    assert.match(first.summary.failedKeys[0].reason, /connection reset by peer/);
    failing = false;
    const second = await run('flaky', store);
    assert.equal(second.summary.objects.ingested, 1);
    assert.equal(second.summary.objects.skipped, 5);
    assert.equal(await count(first.home, 'select count(distinct event_id) from connections'), 87);
  });
});

describe('ingest reads only inside its source', () => {
  test('symlinks (to a file outside, to /etc/passwd, a directory loop) and a FIFO are not read, each counted with a reason', async () => {
    const base = join(work, 'links');
    const src = join(base, 'src');
    await layOutFixtures(src);
    const outside = join(base, 'outside');
    await put(outside, `${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T04_00.gz`, gzipSync("'2026-10-01T01:00:00Z UTC [ db=dev user=OUTSIDEMARKER pid=2 userid=1 xid=2 ]' LOG: select 1;\n"));
    const dir = join(src, ...RS_DIR.split('/'));
    await mkdir(dir, { recursive: true });
    await symlink(join(outside, `${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T04_00.gz`), join(dir, `${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T05_00.gz`));
    await symlink('/etc/passwd', join(dir, `${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T06_00`));
    await symlink(src, join(dir, 'loop'));
    execFileSync('mkfifo', [join(dir, `${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T07_00`)]);
    // A link that stays inside the source (followed only with followSymlinks).
    const fixture = `${FIXTURE_KEY_DIR}/accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T15_24.gz`;
    await symlink(join(src, ...fixture.split('/')), join(dir, `${ACCT}_redshift_us-east-1_c1_connectionlog_2026-10-01T08_00.gz`));

    const notRegular: { key: string; reason: string }[] = [];
    const store = createFsStore({ root: src, onNotRegular: (key, reason) => notRegular.push({ key, reason }) });
    const { summary, home } = await run('links', store, { notRegular });
    assert.equal(summary.objects.ingested, 6);
    assert.equal(summary.objects.notRegular, 5);
    assert.equal(summary.events, 4396);
    assert.equal(summary.quarantined, 0);
    assert.equal(await count(home, "select count(*) from events where \"user\" = 'OUTSIDEMARKER'"), 0);
    assert.match(notRegular.map((n) => n.reason).join('\n'), /a FIFO/);
    assert.ok(notRegular.filter((n) => /symbolic link \(not followed/.test(n.reason)).length === 4);
    await assert.rejects(store.get(`${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T06_00`), (e: unknown) => e instanceof AuditlakeError && /outside/.test(e.message));

    const followed: { key: string; reason: string }[] = [];
    const following = createFsStore({ root: src, followSymlinks: true, onNotRegular: (key, reason) => followed.push({ key, reason }) });
    const f = await run('links-follow', following, { notRegular: followed });
    assert.equal(f.summary.objects.ingested, 7, 'the link inside the source is followed');
    assert.equal(f.summary.events, 4396 + 51);
    const why = followed.map((n) => `${n.key}: ${n.reason}`).join('\n');
    assert.match(why, /05_00\.gz: symbolic link to outside the source/);
    assert.match(why, /06_00: symbolic link to outside the source/);
    assert.match(why, /loop: symbolic link loop/);
    assert.equal(await count(f.home, "select count(*) from events where \"user\" = 'OUTSIDEMARKER'"), 0);
    await assert.rejects(following.get(`${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T05_00.gz`), /outside/);
  });

  test('a home written by the CLI is owner-only: files 0600, directories 0700; rc 12 says "completed with refused objects"', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const base = join(work, 'cli');
    const src = join(base, 'src');
    await layOutFixtures(src);
    await put(src, '.._redshift_us-east-1_dd_connectionlog_2026-10-01T04_00.gz', gzipSync('x\n'));
    await put(src, `${RS_DIR}/${ACCT}_redshift_us-east-1_c1_useractivitylog_2026-10-01T04_00.gz`, 'garbage that is not gzip\n');
    const home = join(base, 'home');
    const r = await runCli(['--home', home, 'ingest', src, '--no-progress'], { env: { ...process.env, AUDITLAKE_PASSPHRASE: '' } });
    assert.equal(r.code, 12, r.stdout + r.stderr);
    assert.match(r.stderr, /completed with 2 refused objects/);
    const bad = execFileSync('find', [home, '(', '-type', 'f', '-perm', '/077', ')', '-o', '(', '-type', 'd', '-perm', '/077', ')'], { encoding: 'utf8' });
    assert.equal(bad, '', `group/world-accessible entries:\n${bad}`);
    assert.equal((await stat(home)).mode & 0o777, 0o700);
    const again = await runCli(['--home', home, 'ingest', src, '--no-progress']);
    assert.equal(again.code, 0, 'nothing is refused twice');
  });
});
