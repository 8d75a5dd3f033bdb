#!/usr/bin/env node
// After `git merge main` across the issue-9 reshape: rewrites relative imports that point at a file git
// recorded as renamed (old path → new path, from the history of HEAD), in every .ts/.mjs file of src/, test/
// and scripts/. Prints each change; run `npm run build` afterwards for anything it could not fix.
// Usage: node scripts/fix-moved-imports.mjs [--dry-run]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';

const dry = process.argv.includes('--dry-run');
const git = (...args) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
// Every rename in the history of HEAD, oldest first, so chains (a → b → c) resolve to the newest path.
const renames = new Map();
for (const line of git('log', '--reverse', '--diff-filter=R', '-M', '--name-status', '--format=', 'HEAD').split('\n')) {
  const [status, from, to] = line.split('\t');
  if (!status?.startsWith('R') || !from || !to) continue;
  for (const [k, v] of renames) if (v === from) renames.set(k, to);
  renames.set(from, to);
}
const files = git('ls-files', '-co', '--exclude-standard', 'src', 'test', 'scripts').split('\n')
  .filter((f) => /\.(ts|mts|mjs)$/.test(f) && existsSync(f));
// Where a moved file used to be: a line merged into it may still be relative to the old place.
const oldPlace = new Map([...renames].map(([from, to]) => [to, from]));
const fileExists = (abs, ext) => existsSync(ext === '.mjs' ? `${abs}.mjs` : `${abs}.ts`) || existsSync(`${abs}${ext}`);
let changed = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const next = text.replace(/(['"])(\.\.?\/[^'"\n]+?)(\.js|\.mjs)\1/g, (all, q, stem, ext) => {
    const abs = posix.normalize(posix.join(posix.dirname(f), stem));
    const src = ext === '.mjs' ? `${abs}.mjs` : `${abs}.ts`;
    if (existsSync(src) || existsSync(`${abs}${ext}`)) return all;
    let moved = renames.get(src);
    if (!moved && oldPlace.has(f)) {
      const fromOld = posix.normalize(posix.join(posix.dirname(oldPlace.get(f)), stem));
      const oldSrc = ext === '.mjs' ? `${fromOld}.mjs` : `${fromOld}.ts`;
      moved = fileExists(fromOld, ext) ? (existsSync(oldSrc) ? oldSrc : `${fromOld}${ext}`) : renames.get(oldSrc);
    }
    if (!moved || !existsSync(moved)) return all;
    let rel = posix.relative(posix.dirname(f), moved).replace(/\.ts$/, '.js');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    console.log(`${f}: ${stem}${ext} → ${rel}`);
    return `${q}${rel}${q}`;
  });
  if (next !== text) {
    changed++;
    if (!dry) writeFileSync(f, next);
  }
}
console.log(`${changed} file(s) ${dry ? 'would change' : 'changed'}`);
