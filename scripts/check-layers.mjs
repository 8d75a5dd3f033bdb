#!/usr/bin/env node
// The layer check of issue 9: dependency-cruiser with the rules in .dependency-cruiser.cjs (layers, no cycles,
// no test code or devDependency in the library). Exit 0 with no violation, 1 otherwise.
// Usage: node scripts/check-layers.mjs   (npm run check:layers; npm test runs it first)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function checkLayers(root = fileURLToPath(new URL('..', import.meta.url))) {
  const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, 'src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd: root,
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ok, output } = checkLayers();
  console.log(output);
  process.exit(ok ? 0 : 1);
}
