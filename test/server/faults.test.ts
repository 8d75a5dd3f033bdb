import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixture } from './server-fixture.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(repoRoot, 'bin/auditlake.js');

test('the server keeps answering searches while an `auditlake ingest` writes to the same home, then shows its rows', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'al-serve-faults-'));
  const f = await startFixture({ dir });
  try {
    const logs = join(dir, 'logs');
    const gen = spawnSync(process.execPath, [CLI, 'generate', '--accounts', '1', '--days', '2', '--seed', '7', '--out', logs], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const token = f.tokens['reader:all']!;
    const count = async (): Promise<number> => {
      const r = await f.call('/api/v1/query', { token, body: { sql: 'select count(*) from events' } });
      assert.equal(r.status, 200, r.text);
      return Number(r.json().rows[0][0]);
    };
    const before = await count();
    const ingest = spawn(process.execPath, [CLI, '--home', f.home.root, 'ingest', logs, '--prefix', 'AWSLogs/', '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    ingest.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => ingest.on('exit', (rc) => r(rc)));
    let running = true;
    void exited.then(() => { running = false; });
    const statuses: number[] = [];
    const slowest = { ms: 0 };
    while (running) {
      const t0 = Date.now();
      const r = await f.call('/api/v1/events?limit=50&q=a', { token });
      slowest.ms = Math.max(slowest.ms, Date.now() - t0);
      statuses.push(r.status);
      await new Promise((res) => setTimeout(res, 25));
    }
    assert.equal(await exited, 0, stderr);
    assert.ok(statuses.length >= 3, `searches answered while the ingest ran: ${statuses.length}`);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], 'every search during the ingest answered 200');
    // the reader sees the new generation without a restart
    const after = await count();
    assert.ok(after > before + 100, `rows before ${before}, after ${after}`);
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the PDF report is printed by the Chromium the server was configured with (AUDITLAKE_CHROMIUM in the CLI)', { timeout: 180_000 }, async (t) => {
  if (!existsSync('/usr/bin/chromium')) return t.skip('no /usr/bin/chromium on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'al-serve-pdf-'));
  const marker = join(dir, 'launched-by-configured-chromium');
  const wrapper = join(dir, 'my-chromium');
  writeFileSync(wrapper, `#!/bin/sh\ntouch '${marker}'\nexec /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  const f = await startFixture({ dir, chromium: wrapper });
  try {
    const res = await fetch(`${f.url}/api/v1/reports/2026-10?format=pdf`, { headers: { authorization: `Bearer ${f.tokens['reader:A']}` } });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200, body.toString('utf8', 0, 300));
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    assert.ok(existsSync(marker), 'the configured Chromium binary was not the one launched');
  } finally {
    await f.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
