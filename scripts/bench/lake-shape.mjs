// Section "lake-shape" (issue 12): the rows of the performance table that are not the large-object ingest, each
// beside a baseline measured in this run on the same bytes:
//   - many small hourly objects (as Redshift delivers): ingest MB/s vs `gzip -dc | gzip -6` on the same files, and
//     vs the large-object ingest rate of the "ingest" section when it ran first (ctx.shared.ingestMbps);
//   - lake size / gzip input size;
//   - opening the lake: `auditlake query 'select 1'` vs `node -e 0` + loading DuckDB (the floor of any query);
//   - per-user GROUP BY over the activity rows (whole process) vs `zcat | grep | awk` on the raw files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, measure, table } from './lib.mjs';

function filesUnder(dir, ext) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
}
function bytesUnder(dir) {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).reduce((s, p) => { const st = statSync(p); return s + (st.isFile() ? st.size : 0); }, 0);
}

export default {
  name: 'lake-shape',
  title: 'Small objects, lake size, lake open and GROUP BY (issue 12 table)',
  async run(ctx) {
    const bin = join(ctx.root, 'bin/auditlake.js');
    const logs = join(ctx.tmp, 'small-objects');
    // Hourly objects of one account: ~ BENCH_MB/4 of activity log over 10 days (≈ 240 activity + 240 connection objects).
    const mb = Math.max(20, Math.round(ctx.benchMb / 4));
    const gen = await measure(process.execPath, [bin, 'generate', '--accounts', '1', '--days', '10', '--activity-mb', String(mb), '--only', 'useractivitylog,connectionlog', '--out', logs]);
    if (gen.code !== 0) throw new Error(`generate failed: ${gen.stderr}`);
    const files = filesUnder(logs, '.gz');
    const gzBytes = files.reduce((s, f) => s + statSync(f).size, 0);
    const gzip = await measure('bash', ['-c', 'gzip -dc -- "$@" | wc -c', 'gzip-count', ...files]);
    const rawBytes = Number(gzip.stdout.trim());
    const gzip6 = await measure('bash', ['-c', 'gzip -dc -- "$@" | gzip -6 > /dev/null', 'gzip-baseline', ...files]);
    const home = join(ctx.tmp, 'home-small');
    const ingest = await measure(process.execPath, [bin, '--home', home, 'ingest', logs, '--prefix', 'AWSLogs/', '--no-progress', '--vault', 'off']);
    if (ingest.code !== 0) throw new Error(`small-object ingest failed: ${ingest.stderr}`);
    const lakeBytes = bytesUnder(join(home, 'lake'));
    const parquetFiles = filesUnder(join(home, 'lake'), '.parquet').length;

    const floor = await measure(process.execPath, ['--input-type=module', '-e', "const {DuckDBInstance}=await import('@duckdb/node-api');const c=await (await DuckDBInstance.create(':memory:')).connect();await c.run('select 1')"], { cwd: ctx.root });
    const open = await measure(process.execPath, [bin, '--home', home, 'query', 'select 1']);
    const groupSql = 'select "user", count(*) n from activity group by 1 order by n desc';
    const group = await measure(process.execPath, [bin, '--home', home, 'query', '--format', 'csv', groupSql]);
    const activityFiles = files.filter((f) => f.includes('useractivitylog'));
    const awk = await measure('bash', ['-c', `zcat -- "$@" | grep -o "^'[^']*' UTC \\[ db=[^ ]* user=[^ ]*" | awk '{split($5,u,"="); n[u[2]]++} END {for (k in n) print k","n[k]}' | sort -t, -k2 -nr > /dev/null`, 'awk', ...activityFiles]);

    const mbps = rawBytes / 1e6 / (ingest.ms / 1000);
    const large = ctx.shared?.ingestMbps;
    const lines = [
      `input: ${files.length} hourly objects, ${(rawBytes / 1e6).toFixed(1)} MB uncompressed, ${(gzBytes / 1e6).toFixed(1)} MB gzip; lake: ${parquetFiles} Parquet files`,
      '',
      table([
        ['run', 'wall s', 'cpu s', 'MB/s', 'peak RSS MB'],
        ['auditlake ingest (small objects)', fmt.s(ingest.ms), ingest.cpuS.toFixed(1), fmt.mbps(rawBytes, ingest.ms), fmt.mb(ingest.peakRssMb)],
        ['gzip -dc | gzip -6 (same files)', fmt.s(gzip6.ms), gzip6.cpuS.toFixed(1), fmt.mbps(rawBytes, gzip6.ms), fmt.mb(gzip6.peakRssMb)],
        ["auditlake query 'select 1'", fmt.s(open.ms), open.cpuS.toFixed(2), '', fmt.mb(open.peakRssMb)],
        ['node + DuckDB select 1 (floor)', fmt.s(floor.ms), floor.cpuS.toFixed(2), '', fmt.mb(floor.peakRssMb)],
        ['auditlake query per-user GROUP BY', fmt.s(group.ms), group.cpuS.toFixed(2), '', fmt.mb(group.peakRssMb)],
        ['zcat | grep | awk per-user count', fmt.s(awk.ms), awk.cpuS.toFixed(2), '', fmt.mb(awk.peakRssMb)],
      ]),
      '',
      `small objects: ${fmt.ratio(gzip6.ms, ingest.ms)} of gzip -dc|gzip -6 (goal ≥ 0.48×)` +
        (large ? `, ${(mbps / large).toFixed(2)}× the large-object ingest rate of this run (goal ≥ 0.8×)` : ' (run with the ingest section for the large-object ratio)'),
      `lake size / gzip input: ${(lakeBytes / gzBytes).toFixed(2)}× (goal ≤ 1.0×)`,
      `lake open (select 1): ${fmt.s(open.ms)} s wall, ${(open.ms / floor.ms).toFixed(2)}× the node+DuckDB floor (goal ≤ 0.3 s on a quiet machine)`,
      `per-user GROUP BY: ${(awk.ms / group.ms).toFixed(1)}× faster than zcat|grep|awk (goal ≥ 30×)`,
    ];
    return {
      lines,
      results: {
        objects: files.length, rawBytes, gzBytes, lakeBytes, parquetFiles,
        ingest: { ms: ingest.ms, cpuS: ingest.cpuS, mbps }, gzip: { ms: gzip6.ms, cpuS: gzip6.cpuS },
        ratios: { smallVsGzip: gzip6.ms / ingest.ms, smallVsLarge: large ? mbps / large : null, lakeVsGzip: lakeBytes / gzBytes, groupByVsAwk: awk.ms / group.ms },
        open: { ms: open.ms, floorMs: floor.ms }, groupBy: { ms: group.ms, awkMs: awk.ms },
      },
    };
  },
};
