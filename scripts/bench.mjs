#!/usr/bin/env node
// npm run bench — measures the built code in dist/ (builds it first when missing).
// Env: BENCH_MB (default 520; MB of user activity log to generate), BENCH_SECTIONS (comma list of section
// names, default all), BENCH_JSON (write all results as JSON to this file), BENCH_KEEP=1 (keep the temp dir),
// BENCH_INPUT (a directory of user activity logs from an earlier `auditlake generate --only useractivitylog`
// to reuse instead of generating; its manifest.json must not be inside it).
// Flags: --markdown [file] also writes the results as Markdown (default docs/benchmarks.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { SECTIONS } from './bench/sections.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'src/generate/generate.js')) || !existsSync(join(dist, 'src/cli/main.js'))) {
  console.log('bench: dist/ is missing, building with tsc …');
  spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
}
const benchMb = Number(process.env.BENCH_MB ?? 520);
if (!(benchMb > 0)) throw new Error(`bench: BENCH_MB "${process.env.BENCH_MB}" is not a positive number`);
const only = process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim());
const tmp = mkdtempSync(join(tmpdir(), 'auditlake-bench-'));

/** Counts records (header lines) and physical lines of the generated activity logs, streaming. */
async function countLines(files) {
  let bytes = 0;
  const header = /^'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z UTC \[ db=\S* user=\S* pid=\d+ userid=\d+ xid=\d+ \]' LOG: /;
  let lines = 0;
  let records = 0;
  for (const f of files) {
    let rest = '';
    for await (const chunk of createReadStream(f).pipe(createGunzip())) {
      bytes += chunk.length;
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop();
      for (const l of parts) {
        lines++;
        if (header.test(l)) records++;
      }
    }
    if (rest) {
      lines++;
      if (header.test(rest)) records++;
    }
  }
  return { lines, records, bytes };
}

let inputPromise;
const ctx = {
  root,
  dist,
  tmp,
  benchMb,
  /** The generated user activity log, made once and shared by every section. */
  input() {
    inputPromise ??= (async () => {
      if (process.env.BENCH_INPUT) {
        const dir = process.env.BENCH_INPUT;
        const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.gz')).sort().map((f) => join(dir, String(f)));
        const counted = await countLines(files);
        const compressedBytes = files.reduce((s, f) => s + statSync(f).size, 0);
        console.log(`reusing ${files.length} objects, ${(counted.bytes / 1e6).toFixed(1)} MB from ${dir}`);
        return { dir, files, bytes: counted.bytes, compressedBytes, records: counted.records, lines: counted.lines };
      }
      const { generate } = await import(pathToFileURL(join(dist, 'src/generate/generate.js')).href);
      const dir = join(tmp, 'input');
      const days = Math.max(1, Math.ceil(benchMb / 300));
      const t0 = performance.now();
      // 3 % over the target so rounding never leaves the input under BENCH_MB.
      const r = await generate({ out: dir, accounts: 1, days, seed: 42, activityMb: benchMb * 1.03, only: ['useractivitylog'] });
      // Only log objects in the input: the manifest would be listed (and reported) as an unknown key.
      renameSync(join(dir, 'manifest.json'), join(tmp, 'input-manifest.json'));
      const files = r.keys.map((k) => join(dir, k));
      const t = r.manifest.totals.useractivitylog;
      const counted = await countLines(files);
      if (counted.records !== t.records) throw new Error(`bench: generator manifest says ${t.records} records, files hold ${counted.records}`);
      console.log(`generated ${files.length} objects, ${(t.bytes / 1e6).toFixed(1)} MB of user activity log in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
      return { dir, files, bytes: t.bytes, compressedBytes: t.compressedBytes, records: t.records, lines: counted.lines };
    })();
    return inputPromise;
  },
};

const argv = process.argv.slice(2);
const mdAt = argv.indexOf('--markdown');
const markdownFile = mdAt < 0 ? null : argv[mdAt + 1] && !argv[mdAt + 1].startsWith('-') ? argv[mdAt + 1] : join(root, 'docs/benchmarks.md');
const results = {};
const headline = `auditlake bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, BENCH_MB=${benchMb}`;
const markdown = [
  '# Benchmarks',
  '',
  'Written by `npm run bench -- --markdown` (do not edit by hand). What each section measures and why: [reference/bench.md](reference/bench.md).',
  'Compare ratios within one run (each section measures its own baseline on the same machine at the same time); absolute figures move with the machine\'s load.',
  '',
  `${headline.replace(/^auditlake bench — /, 'Run: ')}`,
];
console.log(headline);
try {
  for (const spec of SECTIONS) {
    const section = (await import(new URL(spec, new URL('./bench/', import.meta.url)).href)).default;
    if (only && !only.includes(section.name)) continue;
    console.log(`\n== ${section.title} ==`);
    const out = await section.run(ctx);
    console.log(out.lines.join('\n'));
    results[section.name] = out.results;
    markdown.push('', `## ${section.title}`, '', '```', ...out.lines, '```');
  }
  if (markdownFile) {
    writeFileSync(markdownFile, markdown.join('\n') + '\n');
    console.log(`\nwrote ${markdownFile}`);
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2) + '\n');
} finally {
  if (process.env.BENCH_KEEP === '1') console.log(`\nkept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
