import type { Command } from 'commander';

/**
 * The `auditlake aws` parent command. aws-deploy.ts and aws-runtime.ts both add sub-commands to it; whichever
 * registers first creates it, so neither file owns the parent and its help is written once, here.
 */
export function awsCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'aws') ??
    program.command('aws')
      .description('Run auditlake on AWS: deploy (CDK), policies, Athena tables, checks of a live deployment')
      .addHelpText('after', `
Examples:
  auditlake aws synth --out cdk.out                       CloudFormation templates, offline, no credentials
  auditlake aws policy --central-account 111122223333 --accounts 444455556666 --region us-east-1
  auditlake aws athena-ddl                                Glue/Athena tables with partition projection
  auditlake aws doctor                                    read-only checks of a deployment, with the fix for each`);
}
