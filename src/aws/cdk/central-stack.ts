import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.js';
import { catalog } from './catalog.js';
import { names, type DeployConfig } from './config.js';
import { Ingest } from './ingest.js';
import { vaultKey } from './key.js';
import { centralSuppressions } from './central-nag.js';
import { RdsWorkflow } from './rds-workflow.js';
import { SecurityLakeSources } from './security-lake.js';
import { centralStorage } from './storage.js';

/** One central cell: everything of seeds 000–004 that lives in the audit account, in one region. */
export class CentralStack extends Stack {
  constructor(scope: Construct, id: string, c: DeployConfig, region: string, props: StackProps = {}) {
    super(scope, id, { ...props, env: { account: c.centralAccount, region }, description: `auditlake central audit account (${region}): landing, vault, lake, pipeline, RDS auto-enable` });
    Tags.of(this).add('auditlake', 'central');
    const key = vaultKey(this, c);
    const storage = centralStorage(this, c, region, key);
    const ingest = new Ingest(this, 'Ingest', c, region, storage, key);
    const rds = new RdsWorkflow(this, 'RdsAutoEnable', c, region, storage.landing, key);
    catalog(this, c, region, storage.lake, storage.athenaResults, key);
    const lake = c.securityLake ? new SecurityLakeSources(this, 'SecurityLake', c, storage, key) : undefined;
    new Alarms(this, 'Alarms', c, key, {
      functions: { ...ingest.functions, ...(lake ? { 'ocsf-export': lake.exporter } : {}), ...Object.fromEntries(Object.entries(rds.functions).map(([k, v]) => [`rds-${k}`, v])) },
      dlqs: { ...ingest.dlqs, ...Object.fromEntries(Object.entries(rds.dlqs).map(([k, v]) => [`rds-${k}`, v])) },
      stateMachine: rds.stateMachine,
      landing: storage.landing,
    });
    const n = names(c, region);
    new CfnOutput(this, 'LandingBucket', { value: storage.landing.bucketName, description: 'Redshift EnableLogging / trail target (prefixes redshift/ and cloudtrail/)' });
    new CfnOutput(this, 'VaultBucket', { value: storage.vault.bucketName });
    new CfnOutput(this, 'LakeBucket', { value: storage.lake.bucketName });
    new CfnOutput(this, 'KeyArn', { value: key.keyArn });
    new CfnOutput(this, 'GovernanceBusArn', { value: n.busArn });
    new CfnOutput(this, 'OutcomesTable', { value: n.outcomesTable });
    new CfnOutput(this, 'AuditlakeHome', { value: `s3://${storage.vault.bucketName}/`, description: 'use with --home for the CLI' });
    centralSuppressions(this);
  }
}
