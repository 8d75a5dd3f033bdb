import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { runDemo } from '../../generate/demo/run-demo.js';
import { createProgressReporter } from '../../pipeline/progress-reporter.js';
import { openHomeVault } from '../../vault/open-home-vault.js';
import { openHomeLake } from '../open-home-lake.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Generate a month of Redshift + CloudTrail logs for 3 accounts, ingest them and answer a few questions')
    .option('--fresh', 'regenerate the input even if an identical month is already in <home>/demo-input')
    .option('--no-progress', 'no progress bar while ingesting')
    .addHelpText('after', `
Everything goes under the home directory (--home or AUDITLAKE_HOME, default ./.auditlake):
  <home>/demo-input   the generated logs (AWSLogs/<account>/redshift|CloudTrail/…) and manifest.json
  <home>/lake         the Parquet lake the answers come from

Examples:
  auditlake demo                        about 20–40 s on 2 cores
  auditlake --home /tmp/al demo         somewhere else
  auditlake --home /tmp/al query "select count(*) from events"   then explore`)
    .action(async (flags: { fresh?: boolean; progress: boolean }, cmd: Command) => {
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
        });
      } finally {
        reporter?.stop();
      }
    });
}
