import { awsCommand } from '../aws-command.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { intFlag } from '../int-flag.js';

interface DeployFlags {
  config?: string;
  centralAccount?: string;
  accounts?: string;
  regions?: string;
  retention?: string;
  lockMode?: string;
  keyArn?: string;
  orgId?: string;
  orgTrailArn?: string;
  allowReboot?: boolean;
  inDatabaseSetup?: boolean;
  securityLake?: boolean;
  alarmEmail?: string;
  silenceHours?: string;
  prefix?: string;
}

/** The `aws` parent is shared with issue 13's commands: whoever registers first creates it. */
function awsParent(program: Command): Command {
  return awsCommand(program);
}

const withConfigFlags = (c: Command) =>
  c
    .option('--config <file>', 'deployment config (JSON or YAML with the same keys as the flags, camelCase)')
    .option('--central-account <id>', 'the audit account that owns vault, lake and pipeline')
    .option('--accounts <ids>', 'workload account ids, comma-separated')
    .option('--regions <list>', 'regions with a central cell, comma-separated (first = home)')
    .option('--retention <preset>', 'seed-6-months | pci-dss | hipaa | gxp')
    .option('--lock-mode <mode>', 'Object Lock mode of the vault: GOVERNANCE | COMPLIANCE')
    .option('--key-arn <arn>', 'use this existing KMS key instead of creating one')
    .option('--org-id <o-id>', 'AWS Organizations id: admit the whole organization')
    .option('--org-trail-arn <arn>', 'an organization trail already writing to the landing bucket (no trail per account)')
    .option('--allow-reboot', 'let the RDS workflow reboot databases to activate static parameters')
    .option('--in-database-setup', 'let the RDS workflow connect to PostgreSQL as the master user (from Secrets Manager) to create the pgaudit role and extension')
    .option('--security-lake', 'register auditlake as Amazon Security Lake custom sources (OCSF 3001, 3002, 6003, 6005) and export to them hourly')
    .option('--alarm-email <address>', 'subscribe this address to the alarm topic')
    .option('--silence-hours <n>', 'alarm when an account sent nothing for this long')
    .option('--prefix <name>', 'resource name prefix');

/**
 * Flags over config file over defaults. Without a central account (e.g. a first look with `aws synth`), the AWS
 * documentation account 111122223333 in us-east-1 stands in and a note says so.
 */
async function loadConfig(f: DeployFlags, command: string, requireAccount: boolean) {
  const { resolveDeployConfig } = await import('../../aws/cdk/config.js');
  let file: Record<string, unknown> = {};
  if (f.config) {
    const text = readFileSync(f.config, 'utf8');
    const YAML = await import('yaml');
    try {
      file = f.config.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
    } catch (e) {
      throw new AuditlakeError('E_PARSE', `aws ${command}: ${f.config}: ${(e as Error).message}`, { cause: e });
    }
  }
  const list = (s?: string) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));
  const raw: Record<string, unknown> = { ...file };
  const set = (k: string, v: unknown) => v !== undefined && (raw[k] = v);
  set('centralAccount', f.centralAccount);
  set('memberAccounts', list(f.accounts));
  set('regions', list(f.regions));
  set('retention', f.retention);
  set('lockMode', f.lockMode?.toUpperCase());
  if (f.keyArn) raw.key = { kind: 'import', arn: f.keyArn };
  set('organizationId', f.orgId);
  set('orgTrailArn', f.orgTrailArn);
  if (f.allowReboot) raw.allowReboot = true;
  if (f.inDatabaseSetup) raw.inDatabaseSetup = true;
  if (f.securityLake) raw.securityLake = true;
  set('alarmEmail', f.alarmEmail);
  if (f.silenceHours !== undefined) raw.silenceHours = intFlag(`aws ${command}`, '--silence-hours', f.silenceHours, 1);
  set('prefix', f.prefix);
  let example = false;
  if (raw.centralAccount === undefined) {
    if (requireAccount) throw new AuditlakeError('E_USAGE', `aws ${command}: --central-account is required (or centralAccount in --config)`);
    raw.centralAccount = '111122223333';
    example = true;
  }
  raw.regions ??= ['us-east-1'];
  return { config: resolveDeployConfig(raw), example };
}

export function register(program: Command): void {
  const aws = awsParent(program);
  withConfigFlags(aws.command('synth'))
    .description('Synthesize the CDK app (central + workload stacks) into CloudFormation templates, offline, no credentials')
    .option('--out <dir>', 'cloud assembly directory', 'cdk.out')
    .addHelpText('after', `
Examples:
  auditlake aws synth --out cdk.out
  auditlake aws synth --central-account 111111111111 --accounts 222222222222,333333333333 --regions eu-west-1 --retention pci-dss`)
    .action(async (f: DeployFlags & { out: string }) => {
      const { config, example } = await loadConfig(f, 'synth', false);
      const { synthToDir } = await import('../../aws/cdk/synth.js'); // lazy: aws-cdk-lib is large
      const r = synthToDir(config, resolve(f.out));
      if (example) process.stderr.write('auditlake: aws synth: no --central-account given; synthesized for the example account 111122223333 in us-east-1\n');
      for (const w of r.warnings) process.stderr.write(`auditlake: aws synth: warning: ${w}\n`);
      for (const [stack, file] of Object.entries(r.templates)) process.stdout.write(`${stack}\t${join(r.outdir, file)}\n`);
    });

  withConfigFlags(aws.command('deploy'))
    .description('Deploy: synthesize, then `cdk deploy` the central stacks (or, with --workload, the member stack into the current account)')
    .option('--workload', 'deploy the workload stack into the account of the current credentials')
    .option('--bootstrap', 'run `cdk bootstrap` for the central account and regions first')
    .option('--yes', 'do not ask before IAM changes (cdk --require-approval never)')
    .option('--profile <name>', 'AWS profile for cdk')
    .option('--out <dir>', 'where to keep the synthesized assembly (default: a temp dir)')
    .addHelpText('after', `
Examples:
  auditlake aws deploy --central-account 111111111111 --accounts 222222222222 --regions eu-west-1 --bootstrap
  auditlake aws deploy --config auditlake-aws.yaml --workload --profile member-222222222222
  StackSets: deploy the synthesized <prefix>-Workload-<region>.template.json with aws cloudformation create-stack-set`)
    .action(async (f: DeployFlags & { workload?: boolean; bootstrap?: boolean; yes?: boolean; profile?: string; out?: string }) => {
      const { config } = await loadConfig(f, 'deploy', true);
      const [{ synthToDir, findCdkCli }, { deployPlan, runPlan, cdkEntry, findOnPath }] = await Promise.all([import('../../aws/cdk/synth.js'), import('../../aws/cdk/deploy.js')]);
      const outdir = f.out ? resolve(f.out) : mkdtempSync(join(tmpdir(), 'auditlake-cdk-'));
      synthToDir(config, outdir);
      const entry = cdkEntry({ local: findCdkCli(), onPath: findOnPath('cdk', process.env.PATH) });
      const plan = deployPlan(config, { assembly: outdir, workload: f.workload, bootstrap: f.bootstrap, requireApproval: f.yes ? 'never' : 'broadening', profile: f.profile });
      const run = await runPlan(entry, plan);
      if (run.code !== 0) {
        // cdk's own exit code is ours: CI and wrappers see exactly what cdk reported.
        process.stderr.write(`auditlake: aws deploy: cdk ${run.failed?.[0]} failed (exit ${run.code}); nothing after it ran; assembly kept in ${outdir}\n`);
        process.exitCode = run.code;
        return;
      }
      process.stdout.write(`deployed; outputs in ${join(outdir, 'outputs.json')}; check with: auditlake aws doctor --central-account ${config.centralAccount} --regions ${config.regions.join(',')}\n`);
    });

  withConfigFlags(aws.command('doctor'))
    .description('Check a live deployment read-only: buckets, key, and (with --member) Redshift/RDS logging in this account; prints each fix')
    .option('--member', 'check the workload account of the current credentials instead of the central account')
    .option('--key-id <arn>', 'the vault key (default: alias/<prefix>-vault)')
    .addHelpText('after', `
Examples:
  auditlake aws doctor --central-account 111111111111 --accounts 222222222222 --regions eu-west-1
  AWS_PROFILE=member auditlake aws doctor --central-account 111111111111 --regions eu-west-1 --member

Exit codes: 0 every check passed; 1 some failed (each printed with its fix).`)
    .action(async (f: DeployFlags & { member?: boolean; keyId?: string }) => {
      const { config } = await loadConfig(f, 'doctor', true);
      const { doctorCentral, doctorMember, formatFindings } = await import('../../aws/doctor.js');
      const findings = [];
      for (const region of config.regions) {
        if (f.member) {
          const [{ RedshiftClient }, { RDSClient }, { CloudWatchLogsClient }] = await Promise.all([import('@aws-sdk/client-redshift'), import('@aws-sdk/client-rds'), import('@aws-sdk/client-cloudwatch-logs')]);
          findings.push(...(await doctorMember(config, region, { redshift: new RedshiftClient({ region }), rds: new RDSClient({ region }), logs: new CloudWatchLogsClient({ region }) })));
        } else {
          const [{ S3Client }, { KMSClient }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/client-kms')]);
          const keyArn = f.keyId ?? (config.key.kind === 'import' ? config.key.arn : `arn:aws:kms:${region}:${config.centralAccount}:alias/${config.prefix}-vault`);
          findings.push(...(await doctorCentral(config, region, { s3: new S3Client({ region }), kms: new KMSClient({ region }), keyArn })));
        }
      }
      process.stdout.write(formatFindings(findings) + '\n');
      if (findings.some((x) => !x.ok)) process.exitCode = 1;
    });

  withConfigFlags(aws.command('rds-outcomes'))
    .description('List what the RDS/Redshift auto-enable workflow did, per database (enabled, pending-reboot, unverified, skipped, failed)')
    .addHelpText('after', `
Example:
  auditlake aws rds-outcomes --central-account 111111111111 --regions eu-west-1`)
    .action(async (f: DeployFlags) => {
      const { config } = await loadConfig(f, 'rds-outcomes', true);
      const [{ DynamoDBClient }, { listOutcomes, formatOutcomes }, { names }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../../aws/rds-outcomes.js'), import('../../aws/cdk/config.js')]);
      for (const region of config.regions) {
        process.stdout.write(formatOutcomes(await listOutcomes(new DynamoDBClient({ region }), names(config, region).outcomesTable)) + '\n');
      }
    });
}
