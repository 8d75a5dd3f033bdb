import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hasErrorCode } from '../../src/core/errors.js';
import { acquireHomeLease, LOCK_KEY } from '../../src/aws/s3-home/home-lock.js';
import { openS3Home } from '../../src/aws/s3-home/open-s3-home.js';
import { createMemoryStore } from '../../src/stores/drivers/memory.js';
import { openStore } from '../../src/stores/open-store.js';
import { finished } from '../helpers/cli.js';
import { FIXTURE_COUNTS, layOutFixtures } from '../helpers/redshift-fixtures.js';
import { repoRoot } from '../helpers/repo-root.js';
import { startS3rver, type LocalS3 } from '../helpers/s3rver.js';

let s3: LocalS3;
let tmp: string;
let input: string;
const HOME = 's3://home-bucket/team/home';
const total = (re: RegExp) => Object.entries(FIXTURE_COUNTS).filter(([k]) => re.test(k)).reduce((n, [, v]) => n + v, 0);

before(async () => {
  s3 = await startS3rver({ buckets: ['home-bucket'] });
  tmp = await mkdtemp(join(tmpdir(), 'auditlake-s3home-'));
  input = join(tmp, 'in');
  await layOutFixtures(input);
});
after(async () => {
  await s3.stop();
  await rm(tmp, { recursive: true, force: true });
});

/** `auditlake --home <HOME> …` as a child (async: s3rver runs in this process), cwd an empty directory. */
async function al(args: string[], cwd: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', HOME, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TMPDIR: join(tmp, 'os-tmp'), ...s3.env, AUDITLAKE_PASSPHRASE: 'e2e-pass', ...extra },
  });
  return finished(child);
}
async function count(view: string, cwd: string): Promise<number> {
  const r = await al(['query', '--format', 'json', `select count(*) as n from ${view}`], cwd);
  assert.equal(r.code, 0, r.stderr);
  return Number(JSON.parse(r.stdout.trim().split('\n')[0]).n);
}

test('S3 home end to end: keys → ingest → verify → query → compact, twice-run ingest is a no-op, nothing left on local disk', async () => {
  const cwd = await mkdtemp(join(tmp, 'cwd-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(tmp, 'os-tmp'), { recursive: true });
  assert.equal((await al(['keys', 'create', '--alias', 'alias/E2E'], cwd)).code, 0);
  const ing = await al(['ingest', input, '--no-progress', '--format', 'json'], cwd);
  assert.equal(ing.code, 0, ing.stderr);
  assert.equal(JSON.parse(ing.stdout).objects.ingested, 6);
  const ver = await al(['verify'], cwd);
  assert.equal(ver.code, 0, ver.stdout + ver.stderr);
  assert.equal(await count('activity', cwd), total(/useractivitylog/));
  assert.equal(await count('connections', cwd), total(/connectionlog/));
  const again = await al(['ingest', input, '--no-progress', '--format', 'json'], cwd);
  assert.equal(JSON.parse(again.stdout).objects.skipped, 6);
  assert.equal((await al(['compact'], cwd)).code, 0);

  const keys: string[] = [];
  for await (const o of openStore(HOME, { env: s3.env }).list('')) keys.push(o.key);
  assert.equal(keys.filter((k) => k.startsWith('vault/AWSLogs/') && k.endsWith('.alv')).length, 6);
  assert.ok(keys.includes('lake/_auditlake_manifest.json') && keys.includes('keys/keyring.json'));
  assert.ok(keys.includes('state/digest-journal.jsonl'), 'the digest chain state travels with the home');
  assert.ok(!keys.includes(LOCK_KEY), 'the lease is released');
  // The lake on S3 is plain Parquet (Athena reads it): no Parquet key.
  assert.ok(!keys.includes('keys/lake-key.json'));
  assert.deepEqual(await readdir(cwd), []);
  assert.deepEqual(await readdir(join(tmp, 'os-tmp')), [], 'working copies removed');
});

test('two ingests at once on one S3 home: the lease serialises them, both succeed, nothing doubled', async () => {
  const cwd = await mkdtemp(join(tmp, 'cwd-'));
  const [a, b] = await Promise.all([al(['ingest', input, '--no-progress', '--format', 'json', '--vault', 'off'], cwd), al(['ingest', input, '--no-progress', '--format', 'json', '--vault', 'off'], cwd)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(await count('activity', cwd), total(/useractivitylog/));
});

test('lease: a second writer waits and times out while it is held; an expired lease is taken over; the loser cannot push', async () => {
  const store = createMemoryStore();
  let t = 1_000_000;
  const now = () => t;
  const first = await acquireHomeLease(store, { command: 'first', ttlMs: 60_000, waitMs: 0, now });
  await assert.rejects(acquireHomeLease(store, { command: 'second', waitMs: 0, now }), (e: unknown) => hasErrorCode(e, 'E_TIMEOUT') && /locked by first/.test((e as Error).message));
  t += 61_000; // first crashed: its lease expires
  const second = await acquireHomeLease(store, { command: 'second', ttlMs: 60_000, waitMs: 0, now });
  await assert.rejects(first.assertHeld(), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
  await second.assertHeld();
  await first.release(); // must not delete the new holder's lease
  assert.ok(await store.head(LOCK_KEY));
  await second.release();
  assert.equal(await store.head(LOCK_KEY), null);
});

test('a lost race on pushed state is E_CONFLICT, never an overwrite', async () => {
  const store = openStore(`${HOME}-race`, { env: s3.env });
  await store.put('state/x.json', Buffer.from('{"v":1}'));
  const h = await openS3Home(`${HOME}-race`, { command: 'test', write: true, env: s3.env, tmpRoot: tmp });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(h.home.state, 'x.json'), '{"v":"mine"}');
  // Another writer that ignored the lease changes the same object meanwhile.
  const cur = await store.head('state/x.json');
  await store.replace('state/x.json', Buffer.from('{"v":"theirs"}'), { ifMatch: cur!.etag });
  await assert.rejects(h.close({ push: true }), (e: unknown) => hasErrorCode(e, 'E_CONFLICT'));
  const { readAll } = await import('../../src/stores/read-all.js');
  assert.equal((await readAll(await store.get('state/x.json'))).toString(), '{"v":"theirs"}');
});
