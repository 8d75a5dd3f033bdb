import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { formatEnableResult } from '../../sources/postgres/enable-result.js';
import { enablePostgres, DEFAULT_PGAUDIT_LOG } from '../../sources/postgres/enable.js';
import { enableMariaDb } from '../../sources/mariadb/enable.js';

export function register(program: Command): void {
  program
    .command('enable')
    .description('Switch on database auditing (pgaudit / server_audit) and verify it by effect with a canary statement')
    .argument('<target>', 'postgres://user:pass@host:port/db or mariadb://user:pass@host:port/ (password also via PGPASSWORD / MARIADB_PASSWORD)')
    .option('--dry-run', 'print the plan, change nothing')
    .option('--pgaudit-log <classes>', 'pgaudit.log classes', DEFAULT_PGAUDIT_LOG)
    .option('--log-format <fmt>', 'postgres log destination the collector reads: csvlog or jsonlog', 'csvlog')
    .option('--audit-file <path>', 'mariadb: server_audit_file_path to set (default: keep the server\'s)')
    .option('--keep-error-statements', 'postgres: keep failing statements\' text in the server log (may contain passwords)')
    .option('--verify-timeout <ms>', 'how long to wait for the canary in the audit log', '10000')
    .addHelpText('after', `
Examples:
  auditlake enable postgres://postgres@127.0.0.1:5432/postgres --dry-run
  auditlake enable postgres://postgres@db1:5432/postgres --pgaudit-log ddl,role,write
  auditlake enable mariadb://root@127.0.0.1:3306/ --audit-file /var/log/mysql/server_audit.log

Exit codes: 0 enabled and verified; 7 needs a restart (pgaudit not preloaded: the exact change is printed);
1 settings applied but the canary never reached the audit log; 8 database error.`)
    .action(async (target: string, opts: { dryRun?: boolean; pgauditLog: string; logFormat: string; auditFile?: string; keepErrorStatements?: boolean; verifyTimeout: string }) => {
      const url = withEnvPassword(target);
      const verifyTimeoutMs = Number(opts.verifyTimeout);
      let res;
      if (/^postgres(ql)?:\/\//.test(url)) {
        if (opts.logFormat !== 'csvlog' && opts.logFormat !== 'jsonlog') throw new AuditlakeError('E_USAGE', `enable: --log-format must be csvlog or jsonlog, not ${opts.logFormat}`);
        res = await enablePostgres(url, { dryRun: opts.dryRun, pgauditLog: opts.pgauditLog, logFormat: opts.logFormat, keepErrorStatements: opts.keepErrorStatements, verifyTimeoutMs });
      } else if (/^(mariadb|mysql):\/\//.test(url)) {
        res = await enableMariaDb(url, { dryRun: opts.dryRun, auditFile: opts.auditFile, verifyTimeoutMs });
      } else throw new AuditlakeError('E_USAGE', 'enable: target must start with postgres:// or mariadb://');
      process.stdout.write(formatEnableResult(res) + '\n');
    });
}

/** Lets scripts keep the password out of argv (and so out of `ps`): PGPASSWORD / MARIADB_PASSWORD. */
function withEnvPassword(target: string): string {
  try {
    const u = new URL(target);
    const env = u.protocol.startsWith('postgres') ? process.env.PGPASSWORD : process.env.MARIADB_PASSWORD;
    if (!u.password && env) {
      u.password = encodeURIComponent(env);
      return u.toString();
    }
  } catch {
    /* not a URL: the engine functions report it */
  }
  return target;
}
