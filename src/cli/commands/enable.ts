import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { DEFAULT_PGAUDIT_LOG } from '../../sources/postgres/defaults.js';
import { formatEnableResult } from '../../sources/postgres/enable-result.js';
import { intFlag } from '../int-flag.js';

export function register(program: Command): void {
  program
    .command('enable')
    .description('Switch on database auditing (pgaudit / server_audit) and verify it by effect with a canary statement')
    .argument('<target>', 'postgres://user@host:port/db, mariadb://user@host:port/ (password via PGPASSWORD / MARIADB_PASSWORD), rds://<instance>?region=…, redshift://<cluster>?region=…&bucket=…')
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
  auditlake enable rds://billing-db?region=eu-west-1 --dry-run          (parameter/option group via the AWS SDK)
  auditlake enable redshift://analytics?region=eu-west-1&bucket=my-audit-bucket

Exit codes: 0 enabled and verified; 7 needs a restart (pgaudit not preloaded: the exact change is printed);
1 settings applied but the canary never reached the audit log; 8 database error.`)
    .action(async (target: string, opts: { dryRun?: boolean; pgauditLog: string; logFormat: string; auditFile?: string; keepErrorStatements?: boolean; verifyTimeout: string }) => {
      const url = withEnvPassword(target);
      const verifyTimeoutMs = intFlag('enable', '--verify-timeout', opts.verifyTimeout, 1);
      let res;
      if (/^postgres(ql)?:\/\//.test(url)) {
        if (opts.logFormat !== 'csvlog' && opts.logFormat !== 'jsonlog') throw new AuditlakeError('E_USAGE', `enable: --log-format must be csvlog or jsonlog, not ${opts.logFormat}`);
        const { enablePostgres } = await import('../../sources/postgres/enable.js'); // lazy: loads pg
        res = await enablePostgres(url, { dryRun: opts.dryRun, pgauditLog: opts.pgauditLog, logFormat: opts.logFormat, keepErrorStatements: opts.keepErrorStatements, verifyTimeoutMs });
      } else if (/^(mariadb|mysql):\/\//.test(url)) {
        const { enableMariaDb } = await import('../../sources/mariadb/enable.js'); // lazy: loads mariadb
        res = await enableMariaDb(url, { dryRun: opts.dryRun, auditFile: opts.auditFile, verifyTimeoutMs });
      } else if (/^(rds|redshift):\/\//.test(url)) {
        process.stdout.write((await enableAws(url, !!opts.dryRun, opts.pgauditLog)) + '\n');
        return;
      } else throw new AuditlakeError('E_USAGE', 'enable: target must start with postgres://, mariadb://, rds:// or redshift://');
      process.stdout.write(formatEnableResult(res) + '\n');
    });
}

/**
 * `rds://<instance>?region=…` (parameter/option group, CloudWatch export) or
 * `redshift://<cluster>?region=…[&bucket=…&prefix=…]` (EnableLogging, enable_user_activity_logging), via the SDK.
 */
async function enableAws(target: string, dryRun: boolean, pgauditLog: string): Promise<string> {
  const u = new URL(target);
  const id = u.hostname;
  const region = u.searchParams.get('region') ?? process.env.AWS_REGION;
  if (!id || !region) throw new AuditlakeError('E_USAGE', `enable: ${target} needs an identifier and ?region=… (or AWS_REGION)`);
  const { formatAwsResult } = await import('../../sources/aws-databases/aws-change.js');
  if (u.protocol === 'rds:') {
    const [{ RDSClient }, { enableRdsAuditing }] = await Promise.all([import('@aws-sdk/client-rds'), import('../../sources/aws-databases/rds-audit.js')]);
    return formatAwsResult(await enableRdsAuditing(new RDSClient({ region }), id, { dryRun, pgauditLog }));
  }
  const [{ RedshiftClient }, { enableRedshiftAuditing }] = await Promise.all([import('@aws-sdk/client-redshift'), import('../../sources/aws-databases/redshift-audit.js')]);
  return formatAwsResult(await enableRedshiftAuditing(new RedshiftClient({ region }), id, { dryRun, bucket: u.searchParams.get('bucket') ?? undefined, prefix: u.searchParams.get('prefix') ?? undefined }));
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
