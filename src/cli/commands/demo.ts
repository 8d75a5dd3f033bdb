import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { intFlag } from '../int-flag.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Generate a month of Redshift + CloudTrail logs for 3 accounts, ingest them and answer a few questions')
    .option('--fresh', 'regenerate the input even if an identical month is already in <home>/demo-input')
    .option('--accounts <n>', 'AWS accounts to simulate (1–9)', '3')
    .option('--days <n>', 'days to simulate', '30')
    .option('--no-progress', 'no progress bar while ingesting')
    .addHelpText('after', `
Everything goes under the home directory (--home or AUDITLAKE_HOME, default ./.auditlake):
  <home>/demo-input   the generated logs (AWSLogs/<account>/redshift|CloudTrail/…) and manifest.json
  <home>/lake         the Parquet lake the answers come from

Examples:
  auditlake demo                        under a minute on 2 cores
  auditlake --home /tmp/al demo         somewhere else
  auditlake demo --accounts 1 --days 2  a quick look (a few seconds)
  auditlake --home /tmp/al query "select count(*) from events"   then explore`)
    .action(async (flags: { fresh?: boolean; progress: boolean; accounts: string; days: string }, cmd: Command) => {
      const scenario = { accounts: intFlag('demo', '--accounts', flags.accounts), days: intFlag('demo', '--days', flags.days) };
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ runDemo }, { createProgressReporter }, { openHomeVault }, { openHomeLake }] = await Promise.all([
        import('../../generate/demo/run-demo.js'),
        import('../../pipeline/progress-reporter.js'),
        import('../../sinks/vault/open-home-vault.js'),
        import('../open-home-lake.js'),
      ]);
      const flag = homeFlag(cmd);
      const home = resolveHome(flag);
      const vault = await openHomeVault(home, { mode: 'auto' });
      const reporter = flags.progress ? createProgressReporter() : undefined;
      try {
        await runDemo({
          home,
          homeFlag: flag ?? '',
          openLake: openHomeLake,
          ...(vault ? { evidence: vault } : {}),
          ...(reporter ? { onIngestProgress: (p) => reporter.onProgress(p) } : {}),
          write: (text) => {
            reporter?.stop();
            process.stdout.write(text);
          },
          fresh: flags.fresh,
          scenario,
          startedAt: 0, // performance.now() counts from process start: the time the user waited
        });
      } finally {
        reporter?.stop();
      }
    });
}
