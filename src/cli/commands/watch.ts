import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program
    .command('watch')
    .description('Keep a fleet of databases audited: enable → verify → collect new ones, re-check for drift and silence')
    .argument('<fleet>', 'fleet file (YAML): databases and/or AWS discovery rules')
    .option('--once', 'one cycle, then exit (cron)')
    .addHelpText('after', `
Fleet example (fleet.yaml):
  webhook: https://alerts.example.com/auditlake      # JSON POST per alert (drift, silence, failed, canary)
  driftCheckSeconds: 300
  silenceMinutes: 60
  retry: { attempts: 6, baseMs: 1000, maxMs: 60000 } # full-jitter backoff
  databases:
    - name: billing-pg
      url: postgres://postgres@10.0.0.5:5432/postgres
      passwordEnv: BILLING_PG_PASSWORD               # never the password itself
      log: /var/lib/postgresql/15/main/log/postgresql*.csv
  discovery:
    - { type: rds, region: eu-west-1, passwordEnv: RDS_MASTER_PASSWORD }
    - { type: redshift, region: eu-west-1, bucket: my-audit-bucket }

Outcomes are appended to <home>/state/fleet/outcomes.jsonl.

Examples:
  auditlake watch fleet.yaml
  auditlake watch fleet.yaml --once`)
    .action(async (file: string, opts: { once?: boolean }, cmd: Command) => {
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ loadFleetConfig }, { createWatcher }, { createAwsDiscover }, { openHomeLake }] = await Promise.all([
        import('../../config/fleet.js'),
        import('../../fleet/watcher.js'),
        import('../../fleet/aws-discover.js'),
        import('../open-home-lake.js'),
      ]);
      const home = resolveHome(homeFlag(cmd));
      const first = loadFleetConfig(file); // fail early on a bad fleet file
      const lake = first.databases.some((d) => d.log) ? await openHomeLake(home) : undefined;
      const print = (o: { time: string; database: string; event: string; ok: boolean; message: string }) => process.stdout.write(`${o.time} ${o.database} ${o.event} ${o.ok ? 'ok' : 'FAIL'} ${o.message}\n`);
      const w = createWatcher({
        home,
        onOutcome: print,
        lake,
        loadConfig: () => loadFleetConfig(file),
        discover: first.discovery.length ? createAwsDiscover((l) => process.stderr.write(l + '\n')) : undefined,
      });
      try {
        if (opts.once) {
          (await w.cycle()).forEach(print);
        } else {
          const stop = () => void w.stop();
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
          await w.run();
        }
      } finally {
        await w.stop();
        await lake?.close();
      }
    });
}
