import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program.command('compact')
    .description('Merge small Parquet files per partition and drop duplicate events (crash-safe; queries keep working)')
    .addHelpText('after', `
Examples:
  auditlake compact
  auditlake --home /var/lib/auditlake compact`)
    .action(async (_opts: unknown, cmd: Command) => {
      const { openHomeLake } = await import('../open-home-lake.js'); // lazy: keeps `auditlake --help` fast
      const lake = await openHomeLake(resolveHome(homeFlag(cmd)));
      try {
        const started = Date.now();
        const r = await lake.compact();
        process.stdout.write(`compact: ${r.before} → ${r.after} files in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        await lake.close();
      }
    });
}
