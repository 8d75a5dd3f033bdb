// Generated logs through the real ingest into the lake: every record arrives (counts per account and log
// type equal the generator's manifest) and no planted secret reaches the lake or the quarantine.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { generate } from '../../src/generate/generate.js';
import type { GenerateResult } from '../../src/generate/types.js';
import { ingest } from '../../src/pipeline/ingest.js';
import type { IngestSummary } from '../../src/pipeline/summary.js';
import { openLake } from '../../src/sinks/lake/index.js';
import type { Lake } from '../../src/core/lake.js';
import { openStore } from '../../src/stores/open-store.js';

let dir: string;
let gen: GenerateResult;
let lake: Lake;
let summary: IngestSummary;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auditlake-gen-ingest-'));
  gen = await generate({ out: join(dir, 'input'), accounts: 2, days: 3, seed: 7, activityMb: 2 });
  const home = resolveHome(join(dir, 'home'));
  lake = await openLake({ root: home.lake, tmpDir: home.tmp });
  summary = await ingest({ store: openStore(join(dir, 'input')), lake, home, prefix: 'AWSLogs/' });
});
after(async () => {
  await lake?.close();
  await rm(dir, { recursive: true, force: true });
});

test('every generated record reaches the lake, nothing is quarantined', async () => {
  assert.equal(summary.quarantined, 0);
  assert.equal(summary.objects.ingested, gen.keys.length);
  const r = await lake.query(`select account, log_type, count(*) from events group by 1, 2`);
  const got = new Map(r.rows.map(([a, t, n]) => [`${String(a)}/${String(t)}`, Number(n)]));
  for (const m of gen.manifest.accounts) {
    assert.equal(got.get(`${m.account}/connection`), m.connectionlog.records, `${m.account} connection`);
    assert.equal(got.get(`${m.account}/user`) ?? 0, m.userlog.records, `${m.account} user`);
    assert.equal(got.get(`${m.account}/activity`), m.useractivitylog.records, `${m.account} activity`);
    // CloudTrail's duplicate deliveries (same eventID) are kept once.
    assert.equal(got.get(`${m.account}/api`), m.cloudtrail.uniqueEvents, `${m.account} api`);
  }
});

test('no planted secret reaches the lake or the quarantine; the statements show the redaction', async () => {
  const planted = gen.secrets;
  const secretStatements = gen.manifest.accounts.reduce((s, a) => s + a.secretStatements, 0);
  assert.ok(planted.length >= 3 && secretStatements >= 3, `scenario too small: ${planted.length} secrets`);
  const r = await lake.query(`select coalesce(statement, '') || ' ' || coalesce(raw, '') || ' ' || coalesce(CAST(details AS VARCHAR), '') || ' ' || coalesce(object, '') from events`);
  let redacted = 0;
  for (const [text] of r.rows) {
    const t = String(text);
    for (const s of planted) assert.ok(!t.includes(s), `secret ${s.slice(0, 4)}… found in the lake`);
    if (t.includes("'***'") || t.includes('=***')) redacted++;
  }
  assert.ok(redacted >= secretStatements, `only ${redacted} redacted rows for ${secretStatements} secret statements`);
  const home = resolveHome(join(dir, 'home'));
  for (const f of await readdir(home.quarantine, { recursive: true }).catch(() => [] as string[])) {
    const text = await readFile(join(home.quarantine, f), 'utf8').catch(() => '');
    for (const s of planted) assert.ok(!text.includes(s), `secret in quarantine file ${f}`);
  }
});
