import { awsCommand } from '../aws-command.js';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';

/** `auditlake aws athena-ddl` and `auditlake aws policy` (the parent `aws` is shared with aws-deploy.ts). */
export function register(program: Command): void {
  const aws = awsCommand(program);
  aws
    .command('athena-ddl')
    .description('Print the Glue database and one Athena table per view over the lake, with partition projection')
    .option('--lake <s3url>', 'lake location (default <home>/lake when the home is s3://)')
    .option('--database <name>', 'Glue database', 'auditlake')
    .option('--regions <list>', 'regions for the region projection', 'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-central-1')
    .option('--apply', 'run the statements in Athena (idempotent: IF NOT EXISTS) instead of printing them')
    .option('--athena-workgroup <name>', 'with --apply: workgroup (env AUDITLAKE_ATHENA_WORKGROUP)')
    .option('--athena-output <s3url>', 'with --apply: result location (env AUDITLAKE_ATHENA_OUTPUT)')
    .option('--athena-kms-key <arn>', 'with --apply: KMS key for result files (env AUDITLAKE_ATHENA_KMS_KEY)')
    .addHelpText('after', `
Examples:
  auditlake --home s3://audit-home/prod aws athena-ddl > tables.sql
  auditlake aws athena-ddl --lake s3://audit-lake/home/lake --regions eu-west-1,eu-central-1
  auditlake --home s3://audit-home/prod aws athena-ddl --apply --athena-output s3://audit-athena/results/`)
    .action(async (o: { lake?: string; database: string; regions: string; apply?: boolean; athenaWorkgroup?: string; athenaOutput?: string; athenaKmsKey?: string }, cmd: Command) => {
      const { athenaDdl } = await import('../../aws/athena-ddl.js');
      const { homeFlag } = await import('../main.js');
      const home = homeFlag(cmd) ?? process.env.AUDITLAKE_HOME ?? '';
      const lake = o.lake ?? (home.startsWith('s3://') ? `${home.replace(/\/+$/, '')}/lake` : 's3://LAKE_BUCKET/home/lake');
      const ddl = athenaDdl({ lakeLocation: lake, database: o.database, regions: o.regions.split(',').map((s) => s.trim()).filter(Boolean) });
      if (!o.apply) {
        process.stdout.write(ddl.map((s) => `${s};\n`).join('\n'));
        return;
      }
      if (lake.includes('LAKE_BUCKET')) throw new AuditlakeError('E_USAGE', 'aws athena-ddl --apply: give --lake s3://… or an s3:// --home (the placeholder location cannot be applied)');
      const [{ AthenaClient }, { applyAthenaDdl }] = await Promise.all([import('@aws-sdk/client-athena'), import('../../aws/athena/apply-ddl.js')]);
      const env = process.env;
      const client = new AthenaClient({});
      try {
        const n = await applyAthenaDdl({
          client, database: o.database, workgroup: o.athenaWorkgroup ?? env.AUDITLAKE_ATHENA_WORKGROUP,
          outputLocation: o.athenaOutput ?? env.AUDITLAKE_ATHENA_OUTPUT, kmsKey: o.athenaKmsKey ?? env.AUDITLAKE_ATHENA_KMS_KEY,
        }, ddl, (s) => process.stderr.write(`athena: ${s}\n`));
        process.stdout.write(`Applied ${n} statements to Athena (database ${o.database}, lake ${lake})\n`);
      } finally {
        client.destroy();
      }
    });
  aws
    .command('policy')
    .description('Print bucket policies (landing, vault), the KMS key policy and the handler role policy, least privilege')
    .requiredOption('--central-account <id>', 'account that owns the buckets and the key')
    .requiredOption('--accounts <list>', 'source accounts (comma-separated)')
    .requiredOption('--region <region>', 'region of the buckets and clusters')
    .option('--landing-bucket <name>', 'landing bucket', 'auditlake-landing')
    .option('--vault-bucket <name>', 'vault bucket', 'auditlake-vault')
    .option('--lake-bucket <name>', 'lake bucket', 'auditlake-lake')
    .addHelpText('after', `
Examples:
  auditlake aws policy --central-account 111122223333 --accounts 444455556666,777788889999 --region us-east-1`)
    .action(async (o: { centralAccount: string; accounts: string; region: string; landingBucket: string; vaultBucket: string; lakeBucket: string }) => {
      const accounts = o.accounts.split(',').map((s) => s.trim()).filter(Boolean);
      for (const a of [o.centralAccount, ...accounts]) if (!/^\d{12}$/.test(a)) throw new AuditlakeError('E_USAGE', `aws policy: ${JSON.stringify(a)} is not a 12-digit account id`);
      const { allPolicies } = await import('../../aws/policies.js');
      process.stdout.write(`${JSON.stringify(allPolicies({ central: o.centralAccount, accounts, region: o.region, landingBucket: o.landingBucket, vaultBucket: o.vaultBucket, lakeBucket: o.lakeBucket }), null, 2)}\n`);
    });
}
