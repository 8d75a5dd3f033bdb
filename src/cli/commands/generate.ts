import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { DEFAULT_START } from '../../generate/defaults.js';
import type { GeneratedLogType } from '../../generate/types.js';
import { intFlag } from '../int-flag.js';

interface GenerateFlags {
  accounts: string;
  days: string;
  seed: string;
  out: string;
  start: string;
  activityMb?: string;
  only?: string;
  force?: boolean;
}

const LOG_TYPES: GeneratedLogType[] = ['connectionlog', 'userlog', 'useractivitylog', 'cloudtrail'];

// Range checks (accounts 1–9, days 1–366) are generate()'s own; here only "is it an integer".
const int = (flag: string, v: string): number => intFlag('generate', flag, v, -Infinity);

export function register(program: Command): void {
  program
    .command('generate')
    .description('Write realistic, deterministic Redshift audit logs and CloudTrail files in the real S3 layout')
    .requiredOption('--out <dir>', 'output directory (objects under <dir>/AWSLogs/…, counts in <dir>/manifest.json)')
    .option('--accounts <n>', 'AWS accounts (1–9)', '3')
    .option('--days <n>', 'days to generate', '30')
    .option('--seed <n>', 'PRNG seed: the same seed gives byte-identical files', '42')
    .option('--start <date>', 'first day (UTC, YYYY-MM-DD)', DEFAULT_START)
    .option('--activity-mb <n>', 'target size of all user activity logs, MB uncompressed (default 0.5 per account-day)')
    .option('--only <types>', `comma-separated subset of ${LOG_TYPES.join(',')}`)
    .option('--force', 'replace what an earlier run wrote into --out')
    .addHelpText('after', `
Examples:
  auditlake generate --accounts 3 --days 30 --seed 42 --out ./logs
  auditlake generate --accounts 1 --days 2 --activity-mb 500 --only useractivitylog --out /tmp/big
  auditlake ingest ./logs --prefix AWSLogs/     (manifest.json beside AWSLogs/ is not a log object)
  auditlake query "select \\"user\\", count(*) n from connections where not success group by 1 order by n desc"`)
    .action(async (flags: GenerateFlags) => {
      const only = flags.only?.split(',').map((s) => s.trim()) as GeneratedLogType[] | undefined;
      for (const t of only ?? []) if (!LOG_TYPES.includes(t)) throw new AuditlakeError('E_USAGE', `generate: --only: unknown log type "${t}" (use ${LOG_TYPES.join(', ')})`);
      const activityMb = flags.activityMb === undefined ? undefined : Number(flags.activityMb);
      if (activityMb !== undefined && !(activityMb >= 0)) throw new AuditlakeError('E_USAGE', `generate: --activity-mb "${flags.activityMb}" is not a number ≥ 0`);
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ clearGenerated, generate }, { formatGenerateSummary }] = await Promise.all([import('../../generate/generate.js'), import('../../generate/summary.js')]);
      if (flags.force) await clearGenerated(flags.out);
      const t0 = performance.now();
      const r = await generate({
        out: flags.out,
        accounts: int('--accounts', flags.accounts),
        days: int('--days', flags.days),
        seed: int('--seed', flags.seed),
        start: flags.start,
        activityMb,
        only,
      });
      process.stdout.write(formatGenerateSummary(r.manifest, flags.out, (performance.now() - t0) / 1000) + '\n');
    });
}
