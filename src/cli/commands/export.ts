import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

const FORMATS = ['parquet', 'jsonl'] as const;

function productVersion(): string {
  // package.json sits two levels above dist/src/cli and src/cli alike.
  for (const up of ['../../../package.json', '../../../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next level
    }
  }
  return '0.0.0';
}

export function register(program: Command): void {
  const exp = program.command('export').description('Export the lake for other tools (OCSF 1.3.0 for SIEMs and Amazon Security Lake)')
    .addHelpText('after', `
Examples:
  auditlake export ocsf --out ./ocsf --format jsonl
  auditlake export ocsf --out s3://aws-security-data-lake-us-east-1-abc/ --since 30d`);
  exp.command('ocsf')
    .description('Write every lake event as OCSF 1.3.0, in the Amazon Security Lake layout ext/<source>/region=…/accountId=…/eventDay=…/')
    .requiredOption('--out <dir|s3://bucket/prefix>', 'destination folder or S3 location')
    .option('--since <time|duration>', 'only events at or after an ISO date/time (2026-11-01) or this long ago (30d)')
    .option('--format <fmt>', `parquet (zstd, Security Lake) or jsonl (JSON lines, any SIEM)`, 'parquet')
    .addHelpText('after', `
Incremental: a re-run to the same --out exports only events it has not exported yet (state under <home>/exports).
One OCSF class per source: auditlake-authentication (3002), auditlake-account-change (3001),
auditlake-api-activity (6003), auditlake-datastore-activity (6005). See docs/guide/ocsf-and-security-lake.md.

Examples:
  auditlake export ocsf --out ./ocsf --format jsonl
  auditlake export ocsf --out s3://aws-security-data-lake-us-east-1-abc/ --since 30d
  duckdb -c "select actor.user.name, src_endpoint.ip, \\"user\\".name from read_parquet('ocsf/ext/auditlake-account-change/**/*.parquet', union_by_name=true) where activity_id = 6"`)
    .action(async (opts: { out: string; since?: string; format: string }, cmd: Command) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new AuditlakeError('E_USAGE', `export ocsf: --format "${opts.format}" is not one of ${FORMATS.join(', ')}`);
      const [{ exportOcsf, stateDirFor }, { openStore }, { homeLakeKey }, { parseDuration, parseTime }] = await Promise.all([
        import('../../export/ocsf/index.js'), import('../../stores/open-store.js'), import('../../sinks/lake/home-lake-key.js'), import('../../core/duration.js'),
      ]);
      let sinceMs: number | null = null;
      if (opts.since) sinceMs = /^\d+\s*[smhdwy]$/i.test(opts.since.trim()) ? Date.now() - parseDuration(opts.since, 'export ocsf: --since') : parseTime(opts.since, 'export ocsf: --since');
      const home = resolveHome(homeFlag(cmd));
      const store = openStore(opts.out);
      const summary = await exportOcsf({
        lakeRoot: home.lake,
        masterKey: await homeLakeKey(home),
        store,
        stateDir: stateDirFor(join(home.root, 'exports'), store.url),
        tmpDir: home.tmp,
        format: opts.format as 'parquet' | 'jsonl',
        sinceMs,
        productVersion: productVersion(),
      });
      const classes = Object.entries(summary.byClass).map(([k, v]) => `${k}:${v}`).join(' ') || 'none';
      process.stderr.write(`export ocsf: ${summary.events} events (${classes}) → ${summary.objects} objects, ${(summary.bytes / 1e6).toFixed(1)} MB in ${summary.seconds.toFixed(1)} s; ` +
        `${summary.partitionsExported} lake partitions read, ${summary.partitionsUnchanged} unchanged\n`);
    });
}
