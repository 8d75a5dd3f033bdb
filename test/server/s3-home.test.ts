import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from '../helpers/cli.js';
import { freePort } from '../helpers/postgres.js';
import { repoRoot } from '../helpers/repo-root.js';
import { startS3rver } from '../helpers/s3rver.js';

/**
 * `auditlake serve --home s3://…` (the home pulled into a private working copy, src/aws/s3-home): a token confined to
 * one account reads only that account's rows there too — through search, SQL, and SQL that aims at the working
 * copy's files, at the S3 objects of the home, or at the other account's partitions.
 */
const HOME = 's3://serve-bucket/teams/audit';

test('serve on an s3:// home: an account-confined token reads its own account only (search, SQL, file and s3:// escapes)', { timeout: 240_000 }, async () => {
  const s3 = await startS3rver({ buckets: ['serve-bucket'] });
  const tmp = await mkdtemp(join(tmpdir(), 'al-serve-s3-'));
  const osTmp = join(tmp, 'os-tmp');
  await mkdir(osTmp, { recursive: true });
  const env = { PATH: process.env.PATH ?? '', TMPDIR: osTmp, ...s3.env, AUDITLAKE_PASSPHRASE: 'serve-s3-pass' };
  const al = async (args: string[]) => {
    const r = await finished(spawn(process.execPath, [join(repoRoot, 'bin/auditlake.js'), ...args], { cwd: tmp, env }));
    assert.equal(r.code, 0, `auditlake ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  let server: ReturnType<typeof spawn> | undefined;
  try {
    await al(['generate', '--accounts', '2', '--days', '1', '--seed', '11', '--out', join(tmp, 'logs')]);
    await al(['--home', HOME, 'keys', 'create', '--alias', 'alias/ServeS3']);
    await al(['--home', HOME, 'ingest', join(tmp, 'logs'), '--prefix', 'AWSLogs/', '--no-progress']);
    // --format json: one JSON object per row
    const ids = (await al(['--home', HOME, 'query', '--format', 'json', 'select distinct account from events order by 1'])).split('\n').map((l) => (JSON.parse(l) as { account: string }).account);
    assert.equal(ids.length, 2, ids.join(','));
    const [mine, other] = ids as [string, string];
    const token = (await al(['--home', HOME, 'tokens', 'create', '--scope', `account:${mine}`, '--role', 'reader'])).split('\n').pop()!;
    const admin = (await al(['--home', HOME, 'tokens', 'create', '--scope', 'all', '--role', 'admin'])).split('\n').pop()!;

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', HOME, 'serve', '--listen', `127.0.0.1:${port}`], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let serverErr = '';
    server.stderr!.on('data', (c: Buffer) => (serverErr += c.toString()));
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) assert.fail(`serve exited ${server.exitCode}: ${serverErr}`);
      if (await fetch(url + '/healthz').then((r) => r.ok, () => false)) break;
      assert.ok(i < 600, `serve never became healthy: ${serverErr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const call = async (path: string, tok: string, body?: unknown) => {
      const r = await fetch(url + path, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, text: await r.text() };
    };
    // the unscoped admin sees both accounts: the other account's rows are really there to be leaked
    const all = await call('/api/v1/query', admin, { sql: 'select distinct account from events order by 1' });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(JSON.parse(all.text).rows, [[mine], [other]]);

    const search = await call('/api/v1/events?limit=500', token);
    assert.equal(search.status, 200, search.text);
    assert.ok(search.text.includes(mine));
    assert.ok(!search.text.includes(other), 'search leaked the other account');
    assert.ok(!(await call(`/api/v1/events?account=${other}`, token)).text.includes(`"account":"${other}"`));
    const own = await call('/api/v1/query', token, { sql: 'select distinct account from events' });
    assert.deepEqual(JSON.parse(own.text).rows, [[mine]]);

    // where the working copy lives (a private dir under TMPDIR) and the S3 objects of the home
    const copies = (await readdir(osTmp)).filter((d) => d.startsWith('auditlake-home-'));
    assert.equal(copies.length, 1, `working copies: ${copies.join(', ')}`);
    const lake = join(osTmp, copies[0]!, 'lake');
    const escapes = [
      `select * from read_parquet('${lake}/**/*.parquet', hive_partitioning=true)`,
      `select * from read_parquet('${lake}/log_type=connection/account=${other}/**/*.parquet')`,
      `select * from read_parquet('${osTmp}/auditlake-home-*/lake/**/*.parquet')`,
      `select * from read_parquet('${HOME}/lake/**/*.parquet')`,
      `select * from read_parquet('${s3.endpoint}/serve-bucket/teams/audit/lake/_auditlake_manifest.json')`,
      `select * from read_text('${s3.endpoint}/serve-bucket/teams/audit/state/api-tokens.json')`,
      `select * from glob('${osTmp}/**')`,
      'install httpfs',
      'load httpfs',
      `select * from events where account = '${other}'`,
    ];
    for (const sql of escapes) {
      const r = await call('/api/v1/query', token, { sql });
      assert.ok(r.status === 200 || r.status === 400, `${sql} → ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status === 200) assert.ok(!JSON.stringify(JSON.parse(r.text).rows).includes(other), `rows of ${other} through: ${sql}`);
      // an error may quote the caller's own SQL (which may name the other account), never its data
      else assert.ok(sql.includes(other) || !r.text.includes(other), `${sql}: ${r.text.slice(0, 200)}`);
    }
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await s3.stop();
    await rm(tmp, { recursive: true, force: true });
  }
});
