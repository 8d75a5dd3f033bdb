import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { spawnHelper } from '../helpers/spawn-ts.js';

const PER = 1500;

/** Starts the child, waits for it to be ready, lets it work `ms`, then SIGKILLs it. Returns what it reported. */
async function runAndKill(root: string, ms: number, keyHex: string): Promise<{ committed: number[]; out: string }> {
  const child = spawnHelper('lake-crash-child', [root, String(PER), keyHex]);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/^ready /m.test(out)) resolve();
    };
    child.stdout?.on('data', onData);
    child.on('close', (code) => reject(new Error(`child exited (${code}) before ready: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGKILL');
  await exited;
  if (err.trim() && !/ExperimentalWarning|NodeVersionSupportWarning/.test(err)) assert.fail(`child wrote to stderr: ${err}`);
  return { committed: [...out.matchAll(/^committed (\d+)$/gm)].map((m) => Number(m[1])), out };
}

for (const encrypted of [false, true]) {
  test(`kill -9 at random points during commit/compaction leaves the lake at a commit, never with duplicates${encrypted ? ' (encrypted)' : ''}`, { timeout: 120_000 }, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'auditlake-kill9-'));
    const root = join(dir, 'lake');
    const keyHex = encrypted ? '11'.repeat(32) : '';
    const key = encrypted ? Buffer.from(keyHex, 'hex') : undefined;
    try {
      const everCommitted = new Set<number>();
      let killsWithWork = 0;
      // Random delays over the commit cycle (a batch takes ~100–400 ms here, after ~0.3–1 s of start-up: node, DuckDB,
      // the de-duplication read of each commit); printed so a failure can be replayed.
      const delays = Array.from({ length: 6 }, () => 150 + Math.floor(Math.random() * 1500));
      t.diagnostic(`kill delays (ms): ${delays.join(', ')}`);
      for (const ms of delays) {
        const { committed, out } = await runAndKill(root, ms, keyHex);
        t.diagnostic(`after ${ms} ms: ${out.trim().split('\n').join(' | ')}`);
        committed.forEach((i) => everCommitted.add(i));
        if (committed.length) killsWithWork++;
        const lake = await openLake({ root, parquetKey: key });
        try {
          const m = lake.manifest();
          for (const f of m.files) assert.ok(existsSync(join(root, f.path)), `listed file exists: ${f.path}`);
          const ingested = Object.keys(m.sources.crash ?? {}).map((k) => Number(k.slice(4))).sort((a, b) => a - b);
          // Sources are ingested in order, so the ingested set is 0..n-1 with no gap.
          assert.deepEqual(ingested, ingested.map((_, i) => i));
          for (const i of everCommitted) assert.ok(ingested.includes(i), `batch ${i} reported committed is in the lake`);
          const r = await lake.query('select source_object, count(*), count(distinct event_id) from events group by 1 order by 1');
          const bySource = new Map(r.rows.map((row) => [String(row[0]), [Number(row[1]), Number(row[2])]]));
          for (const i of ingested) assert.deepEqual(bySource.get(`src-${i}`), [PER, PER], `src-${i}: all ${PER} events, once each`);
          assert.equal(bySource.size, ingested.length, 'no events of uncommitted batches');
          const total = Number((await lake.query('select count(*) from events')).rows[0][0]);
          assert.equal(total, ingested.length * PER);
          // On disk: duplicates only where the manifest marks the partition overlapping (never for clean ones).
          const rowsOnDisk = m.files.reduce((n, f) => n + f.rows, 0);
          assert.equal(rowsOnDisk, total, 'no duplicate rows on disk (each batch has distinct ids)');
        } finally {
          await lake.close();
        }
      }
      assert.ok(killsWithWork >= 3, `the child committed something in at least 3 of ${delays.length} runs (${killsWithWork})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
