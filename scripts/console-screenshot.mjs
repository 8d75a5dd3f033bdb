#!/usr/bin/env node
// Takes the console screenshot of the docs (docs/img/console.png): a fresh demo home (`auditlake demo`, 3 accounts ×
// 14 days), an admin token, `auditlake serve` on a free loopback port, then the overview page in headless Chromium
// (Debian's /usr/bin/chromium or AUDITLAKE_CHROMIUM) at a laptop's 1440×900, light theme.
// Usage: npm run build && node scripts/console-screenshot.mjs [out.png]   (SCREENSHOT_HOME=<dir> reuses a demo home)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.argv[2] ?? join(root, 'docs/img/console.png');
const { CHROMIUM_ARGS, chromiumPath } = await import(pathToFileURL(join(root, 'dist/src/report/browser.js')).href);
const cli = join(root, 'bin/auditlake.js');
const dir = mkdtempSync(join(tmpdir(), 'al-screenshot-'));
// SCREENSHOT_HOME=<dir>: reuse (and keep) a demo home made by an earlier run
const home = process.env.SCREENSHOT_HOME ?? join(dir, 'home');
const env = { PATH: process.env.PATH ?? '' };
const al = (args) => {
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { encoding: 'utf8', env, cwd: dir });
  if (r.status !== 0) throw new Error(`auditlake ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

let server;
let browser;
try {
  if (!existsSync(join(home, 'lake'))) al(['demo', '--accounts', '3', '--days', '14', '--no-progress']);
  const token = al(['tokens', 'create', '--scope', 'all', '--role', 'admin', '--name', 'screenshot', '--expires', '1h']).split('\n').pop();
  server = spawn(process.execPath, [cli, '--home', home, 'serve', '--listen', `127.0.0.1:${port}`], { env, cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(url + '/healthz').then((r) => r.ok, () => false)); i++) {
    if (i > 600 || server.exitCode !== null) throw new Error('auditlake serve did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: chromiumPath(process.env.AUDITLAKE_CHROMIUM || undefined), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  await page.goto(url + '/');
  await page.getByLabel('API token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  // a function, not a string: the console's CSP forbids eval
  await page.waitForFunction(() => (document.getElementById('c-failed')?.width ?? 0) > 0, undefined, { timeout: 60_000 });
  await page.waitForTimeout(800); // chart.js entry animation
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
} finally {
  await browser?.close();
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
