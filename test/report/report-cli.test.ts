import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBinSync } from '../helpers/cli.js';
import { repoRoot } from '../helpers/repo-root.js';

/**
 * The report command end to end on a real home: keys → ingest of the real Redshift fixtures into the
 * encrypted vault → sealed digest → retention rules → report. Its integrity and retention checks must
 * follow what the vault really says, including after an evidence file is altered.
 */
const home = mkdtempSync(join(tmpdir(), 'auditlake-report-cli-'));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { AUDITLAKE_PASSPHRASE: 'report-test-passphrase', AUDITLAKE_DIGEST_PERIOD: '1s' };
const cli = (...args: string[]) => runBinSync(home, args, { env, timeoutMs: 120_000 });
const ok = (r: { code: number; out: string; err: string }) => { assert.equal(r.code, 0, r.out + r.err); return r; };
const check = (out: string, req: string) => new RegExp(`^\\s+(\\S+)\\s+${req.replace(/\./g, '\\.')}\\s`, 'm').exec(out)?.[1];
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('report reads the vault: verified digest chain and retention pass; a tampered object fails', async () => {
  ok(cli('keys', 'create', '--alias', 'alias/RedshiftAuditKey'));
  ok(cli('ingest', join(repoRoot, 'test/fixtures/redshift-test-drive')));
  await new Promise((r) => setTimeout(r, 1500)); // let the 1 s digest period end
  ok(cli('verify', '--flush'));
  ok(cli('retention', 'framework', 'pci-dss'));
  const refused = cli('retention', 'set', '--keep', '180d');
  assert.notEqual(refused.code, 0, 'PCI DSS refuses 180 d');
  ok(cli('retention', 'set', '--keep', '400d', '--lake-keep', '100d'));

  const good = ok(cli('report', '--month', '2020-06', '--out', join(home, 'r1'), '--no-pdf'));
  assert.match(good.out, /Report for 2020-06: 4,396 events/);
  assert.equal(check(good.out, '10.3.4'), 'pass', good.out);
  assert.equal(check(good.out, '10.5.1'), 'pass', good.out);
  const json = JSON.parse(readFileSync(join(home, 'r1', 'report.json'), 'utf8'));
  assert.match(json.checks.find((c: { requirement: string }) => c.requirement === '10.3.4').evidence, /6\/6 objects in a signed digest/);

  const victim = files(join(home, 'vault')).find((f) => f.endsWith('.alv'));
  assert.ok(victim, 'a vault object');
  const bytes = readFileSync(victim);
  bytes[bytes.length >> 1] ^= 0x01;
  writeFileSync(victim, bytes);
  const bad = ok(cli('report', '--month', '2020-06', '--out', join(home, 'r2'), '--no-pdf'));
  assert.equal(check(bad.out, '10.3.4'), 'fail', bad.out);

  const usage = cli('report', '--month', '2020-13');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /--month "2020-13" is not YYYY-MM/);
});
