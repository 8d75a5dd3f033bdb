#!/usr/bin/env node
// Builds the project, then runs every compiled *.test.js with node's own test runner.
// Prints node's spec report and, last, the plain line "N passed, N failed" that CI reads.
// The layer check (scripts/check-layers.mjs, dependency-cruiser) runs first and counts as one test; with filters it
// runs only when a filter is a substring of "layers". The long-function check (scripts/check-long-functions.mjs)
// likewise counts as one test and runs with no filter or a filter that is a substring of "long-functions".
// Usage: npm test [-- <substring> ...]   (only test files whose path contains a substring)
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { checkLayers } from './check-layers.mjs';
import { checkLongFunctions } from './check-long-functions.mjs';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function findTests(dir) {
  const out = [];
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
let layers = null;
if (filters.length === 0 || filters.some((s) => 'layers'.includes(s))) {
  layers = checkLayers(root);
  console.log(`${layers.ok ? '✔' : '✖'} layers: dependency-cruiser (.dependency-cruiser.cjs)`);
  if (!layers.ok) console.log(layers.output);
}
let longFns = null;
if (filters.length === 0 || filters.some((s) => 'long-functions'.includes(s))) {
  longFns = checkLongFunctions(root);
  console.log(`${longFns.ok ? '✔' : '✖'} long functions: scripts/check-long-functions.mjs`);
  if (!longFns.ok) console.log(longFns.output);
}
const layerPass = (layers?.ok ? 1 : 0) + (longFns?.ok ? 1 : 0);
const layerFail = (layers && !layers.ok ? 1 : 0) + (longFns && !longFns.ok ? 1 : 0);
// Only compiled tests whose .ts source still exists: a moved or deleted test leaves a stale .js in dist/.
const hasSource = (f) => existsSync(join(root, relative(join(root, 'dist'), f)).replace(/\.js$/, '.ts'));
const files = [...findTests(join(root, 'dist/src')), ...findTests(join(root, 'dist/test'))]
  .filter(hasSource)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  if (layers || longFns) {
    console.log(`${layerPass} passed, ${layerFail} failed`);
    process.exit(layerFail ? 1 : 0);
  }
  console.log('no test files matched');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const tapFile = join(mkdtempSync(join(tmpdir(), 'auditlake-test-')), 'report.tap');
const child = spawn(process.execPath, [
  '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
  ...files,
], { stdio: 'inherit', cwd: root });
child.on('exit', (code) => {
  const tap = readFileSync(tapFile, 'utf8');
  const pass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0) + layerPass;
  const fail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  const skipped = Number(/^# skipped (\d+)/m.exec(tap)?.[1] ?? 0);
  const failed = fail + (code !== 0 && fail === 0 ? 1 : 0) + layerFail;
  console.log(`${pass} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
