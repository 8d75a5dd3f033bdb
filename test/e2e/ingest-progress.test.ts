import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createProgressReporter } from '../../src/pipeline/progress-reporter.js';
import { layOutFixtures } from '../helpers/redshift-fixtures.js';
import { repoRoot } from '../helpers/repo-root.js';

const dir = mkdtempSync(join(tmpdir(), 'auditlake-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('on a real terminal, ingest draws a bar with files, records and MB/s', { skip: !existsSync('/usr/bin/script') && 'util-linux script(1) not installed' }, async () => {
  const input = join(dir, 'in');
  await layOutFixtures(input);
  // script(1) runs the CLI on a pseudo-terminal, so stderr.isTTY is true exactly as for a person at a shell.
  const cmd = [process.execPath, join(repoRoot, 'bin/auditlake.js'), '--home', join(dir, 'home'), 'ingest', input].map(shellQuote).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', TERM: 'xterm' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ingest \[[█░ ]*\] 6\/6 files \| 4396 records \| 0\.8 MB \| [\d.]+ MB\/s \| 0 quarantined/);
  assert.match(r.stdout, /objects\s+6 ingested/);
});

test('without a terminal, progress is one plain line per interval, never a redrawn bar', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const rep = createProgressReporter({ out: out as unknown as NodeJS.WriteStream, tty: false, intervalMs: 0 });
  const base = { listed: 6, objectsTotal: 6, records: 0, quarantined: 0, bytes: 0, elapsedMs: 1000 };
  rep.onProgress({ ...base, phase: 'ingesting', objectsDone: 3, records: 2000, bytes: 4_000_000 });
  rep.onProgress({ ...base, phase: 'done', objectsDone: 6, records: 4396, bytes: 8_000_000 });
  rep.stop();
  assert.equal(text, 'ingest: 3/6 files, 2000 records, 4.0 MB, 4.0 MB/s\n');
});
