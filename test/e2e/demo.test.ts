// `auditlake demo` end to end with a temp home: the printed answers must equal what the generator says it
// wrote (manifest.json) and what independent queries over the lake return.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AUDIT_LOGGING_EVENTS } from '../../src/generate/cloudtrail-sim.js';
import type { GenerateManifest } from '../../src/generate/types.js';
import { runCli, type CliResult } from '../helpers/cli.js';

let home: string;
let first: CliResult;
let manifest: GenerateManifest;

/** The rows printed under a demo section title, split on runs of 2+ spaces (header row first). */
function section(out: string, titleStart: string): string[][] {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.startsWith(titleStart));
  assert.ok(i >= 0, `section "${titleStart}" not printed:\n${out}`);
  const rows: string[][] = [];
  for (const l of lines.slice(i + 1)) {
    if (!l.startsWith('  ')) break;
    rows.push(l.trim().split(/\s{2,}/));
  }
  return rows;
}

function sum(records: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Top `n` of a count map, ordered as the demo orders: count desc, then name. */
function top(counts: Record<string, number>, n: number): Array<[string, number]> {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n);
}

async function queryJson(sql: string): Promise<Array<Record<string, unknown>>> {
  const r = await runCli(['--home', home, 'query', '--format', 'json', sql]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'auditlake-demo-'));
  first = await runCli(['--home', home, 'demo', '--accounts', '1', '--days', '2', '--no-progress']);
  assert.equal(first.code, 0, `demo failed:\n${first.stdout}\n${first.stderr}`);
  manifest = JSON.parse(await readFile(join(home, 'demo-input', 'manifest.json'), 'utf8')) as GenerateManifest;
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

test('demo prints failed logins by user exactly as generated, and as an independent query counts them', async () => {
  const rows = section(first.stdout, 'Failed logins by user');
  assert.deepEqual(rows[0].slice(0, 2), ['user', 'failed_logins']);
  const expected = top(sum(manifest.accounts.map((a) => a.failedLoginsByUser)), 10);
  assert.ok(expected.length > 0, 'the scenario must contain failed logins');
  assert.deepEqual(rows.slice(1).map((r) => [r[0], Number(r[1])]), expected);
  const independent = await queryJson(`select "user" as u, count(*) as n from events where log_type = 'connection' and success = false group by 1`);
  const byUser = Object.fromEntries(independent.map((r) => [r.u, Number(r.n)]));
  for (const [u, n] of expected) assert.equal(byUser[u], n, `lake count for ${u}`);
});

test('demo prints user changes per action as the user log holds them', () => {
  const rows = section(first.stdout, 'User changes');
  const printed = Object.fromEntries(rows.slice(1).map((r) => [r[0], Number(r[1])]));
  assert.deepEqual(printed, sum(manifest.accounts.map((a) => a.userChangesByAction)));
});

test('demo prints the top users by statements', () => {
  const rows = section(first.stdout, 'Top users by statements');
  const expected = top(sum(manifest.accounts.map((a) => a.statementsByUser)), 8);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], Number(r[1])]), expected);
});

test('demo prints after-hours sessions of people', () => {
  const rows = section(first.stdout, 'After-hours sessions by people');
  const total = manifest.accounts.reduce((s, a) => s + a.afterHoursSessions, 0);
  const printed = rows.slice(1).reduce((s, r) => s + Number(r[1]), 0);
  if (rows.length - 1 < 10) assert.equal(printed, total);
  else assert.ok(printed <= total && printed > 0);
});

test('demo prints the API calls touching audit logging, matching CloudTrail as generated and as queried', async () => {
  const rows = section(first.stdout, 'API calls touching audit logging');
  const printed = Object.fromEntries(rows.slice(1).map((r) => [r[0], Number(r[1])]));
  const byName = sum(manifest.accounts.map((a) => a.cloudtrail.byEventName));
  const expected = Object.fromEntries(AUDIT_LOGGING_EVENTS.filter((e) => byName[e]).map((e) => [e, byName[e]]));
  assert.ok(Object.keys(expected).length >= 3);
  assert.deepEqual(printed, expected);
  const independent = await queryJson(`select action, count(*) n from events where log_type = 'api' and action in ('DisableLogging', 'StopLogging') group by 1`);
  for (const r of independent) assert.equal(Number(r.n), expected[String(r.action)]);
});

test('demo says where the lake is, suggests queries and reports its time', () => {
  assert.match(first.stdout, new RegExp(`The lake is in ${join(home, 'lake').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal((first.stdout.match(/^ {2}auditlake --home .+ query /gm) ?? []).length, 3);
  assert.match(first.stdout, /demo finished in \d+\.\d s/);
});

test('a second demo run reuses the input and ingests nothing new', async () => {
  const again = await runCli(['--home', home, 'demo', '--accounts', '1', '--days', '2', '--no-progress']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /reusing the month generated earlier/);
  assert.match(again.stdout, /\b0 ingested\b/);
  assert.deepEqual(section(again.stdout, 'Failed logins by user'), section(first.stdout, 'Failed logins by user'));
});
