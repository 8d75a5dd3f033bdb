import type { Command } from 'commander';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program
    .command('collect')
    .description('Tail PostgreSQL (pgaudit) and MariaDB (server_audit) audit logs into the lake, exactly once')
    .argument('<config>', 'collect config (YAML): sources with name, type postgres|mariadb, log path, format')
    .option('--once', 'read what is there, deliver it, exit (instead of following the logs)')
    .addHelpText('after', `
Config example (collect.yaml):
  sources:
    - name: pg1
      type: postgres
      log: /var/lib/postgresql/15/main/log/postgresql*.csv   # csvlog (or format: jsonlog)
    - name: maria1
      type: mariadb
      log: /var/lib/mysql/server_audit.log                    # rotated server_audit.log.N are followed
  buffer: { maxEvents: 5000, maxBytes: 8MiB, maxDelayMs: 1000 }
  pollMs: 200

Examples:
  auditlake collect collect.yaml             follow the logs until SIGTERM/SIGINT (flushes before exit)
  auditlake collect collect.yaml --once      one pass, e.g. from cron`)
    .action(async (file: string, opts: { once?: boolean }, cmd: Command) => {
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ loadCollectConfig }, { runCollect }, { openHomeLake }] = await Promise.all([
        import('../../config/collect.js'),
        import('../../pipeline/run-collect.js'),
        import('../open-home-lake.js'),
      ]);
      const home = resolveHome(homeFlag(cmd));
      const cfg = loadCollectConfig(file);
      const lake = await openHomeLake(home);
      let stop: () => void = () => {};
      const stopSignal = new Promise<void>((r) => (stop = r));
      // SIGTERM/SIGINT: stop polling, deliver everything buffered, then exit 0
      process.once('SIGTERM', () => stop());
      process.once('SIGINT', () => stop());
      try {
        const stats = await runCollect(cfg, home, lake, {
          once: opts.once,
          stopSignal,
          onRecovery: (notes) => notes.forEach((n) => process.stderr.write(`collect: recovered: ${n}\n`)),
        });
        process.stderr.write(`collect: ${stats.records} records read, ${stats.delivered} events delivered in ${stats.batches} batches, ${stats.skipped} not audit-relevant, ${stats.malformed} quarantined\n`);
      } finally {
        await lake.close();
      }
    });
}
