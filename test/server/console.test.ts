import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/report/browser.js';
import { repoRoot } from '../helpers/repo-root.js';
import { ACCT_A, ACCT_B, MARKER_A, MARKER_B, startFixture } from './server-fixture.js';

const ARTIFACTS = join(repoRoot, 'test-artifacts', 'console');
const chromiumMissing = !['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.AUDITLAKE_CHROMIUM].some((p) => p && existsSync(p)) && 'no Chromium (apt-get install chromium)';

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url + '/');
  await page.getByLabel('API token').fill(token);
  await page.keyboard.press('Enter'); // keyboard only
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

test('console in Chromium: sign-in, overview charts, search finds a known event with its original record, scoped token confined, report downloads', { skip: chromiumMissing, timeout: 180_000 }, async () => {
  // the bundle the server serves (npm run build makes it; npm test only runs tsc)
  const b = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-console.mjs')], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  mkdirSync(ARTIFACTS, { recursive: true });
  const f = await startFixture({ consoleDir: join(repoRoot, 'dist/console') });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 }, acceptDownloads: true, colorScheme: 'light' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // a wrong token is refused on the sign-in page
    await page.goto(f.url + '/');
    await page.getByLabel('API token').fill('alk_000000000000_' + 'y'.repeat(43));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown, revoked or expired' }).waitFor();

    // an all-accounts reader: overview with charts drawn
    await signIn(page, f.url, f.tokens['reader:all']);
    await page.locator('#c-events').waitFor();
    await page.waitForFunction('document.getElementById("c-events")?.width > 0');
    assert.match(await page.locator('.cards').innerText(), /FAILED LOGINS\s+10/i);
    // the fixture's newest record is weeks old: the overview says so instead of calling every database silent
    assert.match(await page.locator('.notice').innerText(), /newest record is \d+ day\(s\) old/);
    assert.match(await page.locator('.cards').innerText(), /SILENT \/ DRIFTED\s+0 \/ 0/i);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-light.png'), fullPage: true });

    // search finds a known event; its detail pane shows the original record
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByLabel('Text').fill(MARKER_A);
    await page.getByLabel('Log type').selectOption('activity');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('caption', { hasText: /^5 event\(s\)$/ }).waitFor();
    const row = page.locator('table.grid tbody tr').first();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('pre.raw').first().waitFor();
    assert.match(await page.locator('pre.raw').first().innerText(), new RegExp(`record \\d+ ${MARKER_A}`));
    await page.screenshot({ path: join(ARTIFACTS, 'search-detail.png') });

    // dark theme, databases page and the per-database page
    await page.getByRole('button', { name: /theme/i }).click();
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    await page.getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('cell', { name: 'b-cluster' }).click();
    await page.getByRole('heading', { name: 'b-cluster' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'database-dark.png') });

    // report download (HTML)
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByLabel('Format').selectOption('html');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()]);
    const file = join(ARTIFACTS, dl.suggestedFilename());
    await dl.saveAs(file);
    assert.match(dl.suggestedFilename(), /^auditlake-report-2026-10\.html$/);
    assert.match(readFileSync(file, 'utf8'), /Database audit report — 2026-10/);

    // sign out; an account-A token sees only A, in the overview, the search and the databases page
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, f.url, f.tokens['reader:A']);
    await page.locator('#c-events').waitFor();
    await page.getByRole('link', { name: 'Events' }).click();
    await page.locator('caption', { hasText: /event\(s\)/ }).waitFor();
    const visible = await page.locator('main').innerText();
    assert.ok(visible.includes(ACCT_A));
    await page.getByLabel('Text').fill(MARKER_B);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('caption', { hasText: /^0 event\(s\)$/ }).waitFor();
    await page.getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('cell', { name: 'a-cluster' }).waitFor();
    const dbText = await page.locator('main').innerText();
    assert.ok(!dbText.includes(ACCT_B) && !dbText.includes('b-cluster'), 'account B visible to an A token');
    await page.screenshot({ path: join(ARTIFACTS, 'scoped-databases.png') });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await f.close();
  }
});
