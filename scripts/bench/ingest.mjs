// Section "ingest": end-to-end ingest of ≥ BENCH_MB of user activity log, side by side with two baselines
// measured in the same run on the same bytes: `gzip -dc | gzip -6` and DuckDB read_csv + regexp → Parquet.
import { join } from 'node:path';
import { fmt, measure, table } from './lib.mjs';

const TARGET_MBPS = 30;
const TARGET_RSS_MB = 300;

export default {
  name: 'ingest',
  title: 'Ingest throughput: user activity log → lake (end to end)',
  async run(ctx) {
    const input = await ctx.input();
    const home = join(ctx.tmp, 'home-ingest');
    const cli = (dir, extra = []) => measure(process.execPath, [join(ctx.root, 'bin/auditlake.js'), '--home', dir, 'ingest', input.dir, '--no-progress', ...extra], { cwd: ctx.root });
    let ingest = await cli(home);
    let ingestName = 'auditlake ingest';
    const failures = [];
    if (ingest.code !== 0) {
      // Report the failure, then measure what still works so the run still yields numbers.
      failures.push(`auditlake ingest FAILED (exit ${ingest.code}) after ${fmt.s(ingest.ms)} s, peak RSS ${fmt.mb(ingest.peakRssMb)} MB: ${ingest.stderr.trim().split('\n').pop()}`);
      ingest = await cli(join(ctx.tmp, 'home-ingest-nocompact'), ['--no-compact']);
      ingestName = 'auditlake ingest --no-compact';
      if (ingest.code !== 0) throw new Error(`${failures[0]}\nand with --no-compact (exit ${ingest.code}): ${ingest.stderr}`);
    }
    const gzip = await measure('bash', ['-c', 'gzip -dc -- "$@" | gzip -6 > /dev/null', 'gzip-baseline', ...input.files]);
    if (gzip.code !== 0) throw new Error(`gzip baseline failed: ${gzip.stderr}`);
    const duck = await measure(process.execPath, [join(ctx.root, 'scripts/bench/duckdb-baseline.mjs'), join(ctx.tmp, 'baseline.parquet'), ...input.files], { cwd: ctx.root });
    if (duck.code !== 0) throw new Error(`duckdb baseline failed: ${duck.stderr}`);
    const duckRows = JSON.parse(duck.stdout.trim().split('\n').pop()).rows;

    const row = (name, r, records) => [
      name,
      fmt.s(r.ms),
      Number.isNaN(r.cpuS) ? 'n/a' : (r.cpuS / (r.ms / 1000)).toFixed(2),
      fmt.mbps(input.bytes, r.ms),
      fmt.rate(records, r.ms),
      fmt.mb(r.peakRssMb),
      fmt.ratio(r.ms, ingest.ms),
    ];
    const mbps = input.bytes / 1e6 / (ingest.ms / 1000);
    // The lake-shape section compares the small-object rate with this one.
    ctx.shared = { ...ctx.shared, ingestMbps: mbps };
    const lines = [
      ...failures,
      `input: ${input.files.length} objects, ${(input.bytes / 1e6).toFixed(1)} MB uncompressed (${(input.compressedBytes / 1e6).toFixed(1)} MB gzip), ${input.records.toLocaleString('en-US')} records, ${input.lines.toLocaleString('en-US')} lines`,
      '',
      table([
        ['run', 'wall s', 'cores', 'MB/s', 'records/s', 'peak RSS MB', 'time vs ingest'],
        row(ingestName, ingest, input.records),
        row('gzip -dc | gzip -6 > /dev/null', gzip, input.records),
        row(`duckdb read_csv+regexp → parquet zstd (${duckRows.toLocaleString('en-US')} rows)`, duck, duckRows),
      ]),
      '',
      `ingest speed relative to baselines: ${fmt.ratio(gzip.ms, ingest.ms)} of gzip -dc|gzip -6, ${fmt.ratio(duck.ms, ingest.ms)} of DuckDB (higher = ingest faster)`,
      `target ≥ ${TARGET_MBPS} MB/s end to end: ${mbps.toFixed(1)} MB/s → ${mbps >= TARGET_MBPS ? 'met' : 'NOT met'}`,
      `target peak RSS ≤ ${TARGET_RSS_MB} MB: ${ingest.peakRssMb.toFixed(0)} MB → ${ingest.peakRssMb <= TARGET_RSS_MB ? 'met' : 'NOT met'}`,
      `(DuckDB drops the ${(input.lines - input.records).toLocaleString('en-US')} continuation lines of multi-line SQL; the ingest keeps them, redacts secrets and writes the full event model.)`,
    ];
    const ingestTail = ingest.stdout.trim().split('\n').slice(-6).map((l) => '  | ' + l);
    lines.push('', 'ingest summary (last lines):', ...ingestTail);
    return {
      lines,
      results: {
        input: { objects: input.files.length, bytes: input.bytes, records: input.records },
        failures,
        ingest: { command: ingestName, ms: ingest.ms, mbps, recordsPerSec: input.records / (ingest.ms / 1000), peakRssMb: ingest.peakRssMb, cpuS: ingest.cpuS },
        gzip: { ms: gzip.ms, peakRssMb: gzip.peakRssMb, cpuS: gzip.cpuS },
        duckdb: { ms: duck.ms, rows: duckRows, peakRssMb: duck.peakRssMb, cpuS: duck.cpuS },
        targets: { mbps: TARGET_MBPS, peakRssMb: TARGET_RSS_MB },
      },
    };
  },
};
