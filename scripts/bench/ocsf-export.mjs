// Section "ocsf-export" (issue 16): `auditlake export ocsf` (Parquet, Security Lake layout) beside DuckDB copying
// the same lake to zstd Parquet in the same run, as a ratio, at two lake sizes (the second 4× the first) to show
// whether peak RSS grows with the lake. Env: BENCH_OCSF_MB (MB of activity log of the smaller lake, default 25).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, measure, table } from './lib.mjs';

function bytesUnder(dir, ext) {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((p) => p.endsWith(ext)).reduce((s, p) => s + statSync(p).size, 0);
}

async function lakeOf(ctx, bin, name, mb) {
  const logs = join(ctx.tmp, `ocsf-${name}-logs`);
  const days = Math.max(2, Math.ceil(mb / 50));
  const gen = await measure(process.execPath, [bin, 'generate', '--accounts', '1', '--days', String(days), '--activity-mb', String(mb), '--out', logs]);
  if (gen.code !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const home = join(ctx.tmp, `ocsf-${name}-home`);
  const ing = await measure(process.execPath, [bin, '--home', home, 'ingest', logs, '--prefix', 'AWSLogs/', '--no-progress', '--vault', 'off']);
  if (ing.code !== 0) throw new Error(`ingest failed: ${ing.stderr}`);
  return home;
}

async function one(ctx, bin, name, mb) {
  const home = await lakeOf(ctx, bin, name, mb);
  const lake = join(home, 'lake');
  const out = join(ctx.tmp, `ocsf-${name}-out`);
  const exp = await measure(process.execPath, [bin, '--home', home, 'export', 'ocsf', '--out', out, '--format', 'parquet']);
  if (exp.code !== 0) throw new Error(`export ocsf failed: ${exp.stderr}`);
  const events = Number(/export ocsf: (\d+) events/.exec(exp.stderr)?.[1] ?? NaN);
  // The floor: DuckDB reading the same lake files and writing one zstd Parquet file sorted by time (no mapping).
  const copyJs = `const {DuckDBInstance}=await import('@duckdb/node-api');const c=await (await DuckDBInstance.create(':memory:',{threads:'2',memory_limit:'256MB'})).connect();` +
    `await c.run(\`COPY (SELECT * FROM read_parquet('${lake}/**/*.parquet', union_by_name=true) ORDER BY time) TO '${out}-duckdb.parquet' (FORMAT parquet, COMPRESSION zstd)\`)`;
  const duck = await measure(process.execPath, ['--input-type=module', '-e', copyJs], { cwd: ctx.root });
  if (duck.code !== 0) throw new Error(`duckdb copy failed: ${duck.stderr}`);
  return { name, events, lakeBytes: bytesUnder(lake, '.parquet'), outBytes: bytesUnder(out, '.parquet'), exp, duck };
}

export default {
  name: 'ocsf-export',
  title: 'OCSF export (Parquet, Security Lake layout) vs DuckDB copying the same lake; peak RSS at two lake sizes (issue 16)',
  async run(ctx) {
    const bin = join(ctx.root, 'bin/auditlake.js');
    const mb = Number(process.env.BENCH_OCSF_MB ?? 25);
    const runs = [await one(ctx, bin, 'small', mb), await one(ctx, bin, 'large', mb * 4)];
    const rows = [['run', 'events', 'lake MB', 'wall s', 'events/s', 'lake MB/s', 'out MB', 'peak RSS MB']];
    for (const r of runs) {
      rows.push([`export ocsf (${r.name})`, r.events.toLocaleString('en-US'), (r.lakeBytes / 1e6).toFixed(1), fmt.s(r.exp.ms), fmt.rate(r.events, r.exp.ms), fmt.mbps(r.lakeBytes, r.exp.ms), (r.outBytes / 1e6).toFixed(1), fmt.mb(r.exp.peakRssMb)]);
      rows.push([`duckdb COPY same lake (${r.name})`, r.events.toLocaleString('en-US'), (r.lakeBytes / 1e6).toFixed(1), fmt.s(r.duck.ms), fmt.rate(r.events, r.duck.ms), fmt.mbps(r.lakeBytes, r.duck.ms), '', fmt.mb(r.duck.peakRssMb)]);
    }
    const [s, l] = runs;
    const lines = [
      table(rows),
      '',
      `export / DuckDB copy throughput: ${fmt.ratio(s.duck.ms, s.exp.ms)} (small), ${fmt.ratio(l.duck.ms, l.exp.ms)} (large)`,
      `peak RSS, large lake / small lake: ${(l.exp.peakRssMb / s.exp.peakRssMb).toFixed(2)}× for ${(l.events / s.events).toFixed(1)}× the events (bounded = stays near 1×)`,
    ];
    return {
      lines,
      results: runs.map((r) => ({ name: r.name, events: r.events, lakeBytes: r.lakeBytes, outBytes: r.outBytes, export: { ms: r.exp.ms, cpuS: r.exp.cpuS, peakRssMb: r.exp.peakRssMb }, duckdb: { ms: r.duck.ms, cpuS: r.duck.cpuS, peakRssMb: r.duck.peakRssMb }, ratio: r.duck.ms / r.exp.ms })),
    };
  },
};
