import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { exportOcsf } from '../../src/export/ocsf/index.js';
import { createOcsfValidator } from '../../src/formats/ocsf/schema/index.js';
import { generate } from '../../src/generate/generate.js';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import type { OcsfEvent } from '../../src/transforms/ocsf/index.js';
import { repoRoot } from '../helpers/repo-root.js';

const run = promisify(execFile);
let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditlake-ocsf-month-'));
});
after(async () => rm(work, { recursive: true, force: true }));

test("the generator's month (Redshift connection/user/activity logs + CloudTrail): ingested, exported, 100 % of events valid OCSF 1.3.0 in every class", { timeout: 900_000 }, async () => {
  // Small but whole: one account, 30 days, every log type the generator writes (users created, altered, dropped).
  const gen = await generate({ out: join(work, 'logs'), accounts: 1, days: 30, seed: 7, activityMb: 0.3, maxClustersPerAccount: 1 });
  const home = join(work, 'home');
  await run(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', home, 'ingest', join(work, 'logs'), '--prefix', 'AWSLogs/', '--no-progress', '--vault', 'off'], { maxBuffer: 1 << 24 });
  const lake = await openLake({ root: join(home, 'lake') });
  let lakeRows: Record<string, number>;
  try {
    const r = await lake.query('select source_format, count(*)::int from events group by 1');
    lakeRows = Object.fromEntries(r.rows.map((x) => [String(x[0]), Number(x[1])]));
  } finally {
    await lake.close();
  }
  const validator = createOcsfValidator();
  const byClass = new Map<number, number>();
  const byLog = new Map<string, number>();
  const invalid: Array<{ uid: string; problems: unknown }> = [];
  const summary = await exportOcsf({
    lakeRoot: join(home, 'lake'), masterKey: null, store: createFsStore({ root: join(work, 'out') }), stateDir: join(work, 'state'), tmpDir: join(work, 'tmp'),
    format: 'parquet', productVersion: '0.1.0',
    onEvent: (e: OcsfEvent) => {
      byClass.set(e.class_uid as number, (byClass.get(e.class_uid as number) ?? 0) + 1);
      const log = (e.metadata as { log_name: string }).log_name;
      byLog.set(log, (byLog.get(log) ?? 0) + 1);
      const p = validator.validate(e);
      if (p.length && invalid.length < 5) invalid.push({ uid: (e.metadata as { uid: string }).uid, problems: p });
      else if (p.length) invalid.push({ uid: '…', problems: null });
    },
  });
  assert.deepEqual(invalid.slice(0, 5), [], `${invalid.length} invalid event(s)`);
  const total = Object.values(lakeRows).reduce((a, b) => a + b, 0);
  assert.ok(total > 1000, `a month should hold thousands of events, lake has ${total}`);
  assert.equal(summary.events, total, 'every lake event exported once');
  assert.deepEqual(Object.fromEntries(byLog), lakeRows, 'per source log: exported = in the lake');
  for (const cls of [3001, 3002, 6003, 6005]) assert.ok((byClass.get(cls) ?? 0) > 0, `no class ${cls} event in the month`);
  assert.ok(gen.manifest.totals.userlog.records > 0);
  assert.ok(summary.maxColumnChunk <= 1 << 20, `a column chunk of ${summary.maxColumnChunk} B (pages must stay ≤ 1 MB)`);
});
