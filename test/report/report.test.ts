import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { openLake } from '../../src/sinks/lake/open-lake.js';
import type { Lake } from '../../src/core/lake.js';
import { buildReport, DEFAULT_REPORT_OPTIONS } from '../../src/report/build-report.js';
import type { ReportData, ReportOptions } from '../../src/report/types.js';
import { writeReport } from '../../src/report/write-report.js';
import { CHROMIUM_ARGS } from '../../src/report/browser.js';
import { reportEvents } from './report-events.js';

const hasChromium = existsSync('/usr/bin/chromium');
const hasPoppler = existsSync('/usr/bin/pdftotext');
let dir: string;
let lake: Lake;
let data: ReportData;
const options: ReportOptions = { ...DEFAULT_REPORT_OPTIONS, month: '2026-10', framework: 'pci-dss' };

const q = (sql: string) => lake.query(sql);
const one = async (sql: string) => Number((await q(sql)).rows[0]?.[0]);
const section = (id: string) => { const s = data.sections.find((x) => x.id === id); assert.ok(s, `section ${id}`); return s; };
const tbl = (sid: string, tid: string) => { const t = section(sid).tables.find((x) => x.id === tid); assert.ok(t, `table ${tid}`); return t; };
const OCT = "time >= TIMESTAMP '2026-10-01' AND time < TIMESTAMP '2026-11-01'";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'auditlake-report-'));
  lake = await openLake({ root: join(dir, 'lake') });
  const batch = lake.beginBatch();
  for (const e of reportEvents()) await batch.add(e);
  await batch.commit([{ store: 'test://report', key: 'events', etag: '1', size: 1 }]);
  data = await buildReport(q, options);
});
after(async () => {
  await lake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('report totals match independent SQL and the hand-built month', async () => {
  assert.equal(data.totals.events, await one(`SELECT count(*) FROM events WHERE ${OCT}`));
  assert.equal(data.totals.events, 30);
  assert.equal(data.totals.failedLogins, await one(`SELECT count(*) FROM connections WHERE success = false AND ${OCT}`));
  assert.equal(data.totals.failedLogins, 8);
  assert.equal(data.totals.apiCalls, 4);
  assert.equal(data.totals.userChanges, 5, '3 user-log rows + CREATE USER + GRANT');
});

test('failed logins: per user/source and the one burst', () => {
  const t = tbl('failed-logins', 'failed-logins');
  assert.deepEqual(t.rows[0]?.slice(0, 3), ['admin', '::ffff:198.51.100.7', 6]);
  assert.equal(t.rows.reduce((s, r) => s + Number(r[2]), 0), 8);
  const bursts = tbl('failed-logins', 'failed-login-bursts');
  assert.equal(bursts.totalRows, 1);
  assert.deepEqual(bursts.rows[0]?.slice(0, 3), ['::ffff:198.51.100.7', '2026-10-05T08:00:00Z', 6]);
});

test('connections: new source addresses exclude those seen before the month', async () => {
  const t = tbl('connections', 'connections-new-sources');
  const fresh = t.rows.map((r) => r[0]).sort();
  assert.deepEqual(fresh, ['::ffff:10.0.0.2', '::ffff:10.0.0.3', '::ffff:198.51.100.7', '::ffff:203.0.113.9']);
  const independent = await q(`SELECT DISTINCT remote_host FROM connections WHERE ${OCT} AND remote_host <> '[local]'
    EXCEPT SELECT remote_host FROM connections WHERE time < TIMESTAMP '2026-10-01' ORDER BY 1`);
  assert.deepEqual(independent.rows.map((r) => r[0]), fresh);
});

test('user changes, DDL, admin activity, control plane', () => {
  const changes = tbl('user-changes', 'user-changes');
  assert.deepEqual(changes.rows.map((r) => String(r[4]).toLowerCase()), ['alter', 'create', 'create user', 'grant', 'drop']);
  assert.equal(changes.rows[0]?.[3], '(not recorded by source)', "Redshift's user log does not say who");
  assert.deepEqual(tbl('ddl', 'ddl').rows.map((r) => r[5]), ['CREATE TABLE', 'DROP TABLE']);
  const admin = tbl('admin-activity', 'admin-activity');
  assert.ok(admin.rows.every((r) => r[0] === 'alice'), 'alice is superuser per the user log; rdsdb excluded');
  assert.equal(admin.rows.reduce((s, r) => s + Number(r[2]), 0), 5);
  const cp = tbl('control-plane', 'control-plane');
  assert.deepEqual(cp.rows.map((r) => r[4]), ['DisableLogging', 'EnableLogging', 'StopLogging']);
  assert.equal(cp.rows[2]?.[6], 'AccessDenied');
});

test('after-hours access follows business hours and time zone', async () => {
  const utc = tbl('after-hours', 'after-hours');
  assert.deepEqual(utc.rows.map((r) => r[0]).sort(), ['bob', 'mallory']);
  const ny = await buildReport(q, { ...options, timeZone: 'America/New_York' });
  const t = ny.sections.find((s) => s.id === 'after-hours')?.tables[0];
  assert.equal(t?.rows.reduce((s, r) => s + Number(r[2]), 0), 5, 'in New York every October login here is before 08:00 or after 18:00 or on Saturday');
});

test('PCI DSS checks: pass / fail / not-evidenced with evidence', () => {
  const byReq = new Map(data.checks.map((c) => [c.requirement, c]));
  assert.equal(byReq.get('10.2.1.4')?.status, 'pass');
  assert.match(byReq.get('10.2.1.4')?.evidence ?? '', /8 failed login/);
  assert.equal(byReq.get('10.2.1')?.status, 'fail', 'most days of the month have no records');
  assert.equal(byReq.get('10.2.1.3')?.status, 'not-evidenced');
  assert.equal(byReq.get('10.5.1')?.status, 'not-evidenced');
  assert.equal(byReq.get('10.2.2')?.status, 'fail', 'activity events carry no success/failure');
});

test('HTML, PDF, CSV, JSON and a signed bundle; charts render in Chromium', { skip: !hasChromium && 'chromium not installed (bash scripts/install-system-deps.sh)' }, async () => {
  const out = join(dir, 'out');
  const keys = join(dir, 'keys');
  const { files } = await writeReport(data, { outDir: out, pdf: true, bundle: true, keysDir: keys, maxRows: 500 });
  const names = files.map((f) => f.name);
  for (const n of ['report.html', 'report.pdf', 'report.json', 'failed-logins.csv', 'user-changes.csv', 'checks.csv']) assert.ok(names.includes(n), n);
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).totals.failedLogins, 8);
  const csv = readFileSync(join(out, 'failed-logins.csv'), 'utf8').split('\r\n');
  assert.equal(csv[0], 'user,source,failures,first,last');
  assert.ok(csv[1]?.startsWith('admin,::ffff:198.51.100.7,6,'));

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(!/<script[^>]+src=|<link[^>]+href=["']http/i.test(html), 'self-contained: no external scripts or styles');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForFunction(() => (globalThis as { __chartsReady?: boolean }).__chartsReady === true);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'no network requests');
    // Count painted pixels per canvas in the page (a string, so this file needs no DOM types).
    const inked = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n;
    })`)) as number[];
    const expected = data.sections.flatMap((s) => s.charts).filter((c) => c.labels.length > 0).length;
    assert.equal(inked.length, expected);
    assert.ok(inked.every((n) => n > 500), `every canvas has drawn pixels: ${inked.join(',')}`);
    await page.screenshot({ path: join(out, 'screenshot.png'), fullPage: false });
    assert.ok(readFileSync(join(out, 'screenshot.png')).length > 10_000);
  } finally {
    await browser.close();
  }

  if (hasPoppler) {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' }))?.[1]);
    assert.ok(pages >= 5 && pages <= 40, `PDF pages ${pages}`);
    const text = execFileSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' });
    for (const s of ['Database audit report — 2026-10', 'Failed logins', '198.51.100.7', 'Framework checks: pci-dss', 'DisableLogging']) assert.ok(text.includes(s), `PDF text has ${s}`);
  }

  // the bundle verifies with stock tools, and a tampered file is caught
  const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
  assert.equal(sums.status, 0, sums.stdout + sums.stderr);
  const verify = () => spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'report-signing.pub.pem', '-rawin', '-in', 'manifest.json', '-sigfile', 'manifest.json.sig'], { cwd: out, encoding: 'utf8' });
  const ok = verify();
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /Signature Verified Successfully/);
  writeFileSync(join(out, 'failed-logins.csv'), 'user,source,failures\r\nadmin,x,0\r\n');
  assert.notEqual(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out }).status, 0);
  const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
  writeFileSync(join(out, 'manifest.json'), manifest.replace('"pci-dss"', '"soc2"'));
  assert.notEqual(verify().status, 0, 'an edited manifest fails the signature');
});
