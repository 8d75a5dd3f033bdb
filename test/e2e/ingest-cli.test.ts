import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('CLI: a missing folder is an error, not "nothing to ingest"; bad flags are usage errors; an empty quarantine says so', { timeout: 60_000 }, async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'auditlake-ingest-cli-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const home = join(work, 'home');
  const [missing, badFormat, empty] = await Promise.all([
    runCli(['--home', home, 'ingest', join(work, 'no-such-dir')]),
    runCli(['--home', home, 'ingest', work, '--format', 'yaml']),
    runCli(['--home', home, 'quarantine', 'list']),
  ]);
  assert.equal(missing.code, 4, missing.stderr);
  assert.match(missing.stderr, /ingest: .*no-such-dir does not exist/);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be text or json/);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /quarantine is empty/);
});
