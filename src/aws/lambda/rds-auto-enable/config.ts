import { AuditlakeError } from '../../../core/errors.js';
import { requireEnv, type EnvVarDoc } from '../shared/env-doc.js';

/** Handler: the five steps of the RDS/Redshift auto-enable state machine (src/aws/lambda/rds-auto-enable/<step>.ts). */
export const NAME = 'rds-auto-enable';

export const ENV = [
  { name: 'MEMBER_ROLE_NAME', required: true, description: 'The role each workload account offers the central workflow (same name everywhere).', example: 'auditlake-member-eu-west-1' },
  { name: 'LOGS_DESTINATION_ARN', required: true, description: 'The central CloudWatch Logs destination (→ Firehose → landing bucket) the RDS audit log groups subscribe to.', example: 'arn:aws:logs:eu-west-1:111111111111:destination:auditlake-rds-audit' },
  { name: 'LANDING_BUCKET', required: true, description: 'Central landing bucket Redshift delivers its audit logs to.', example: 'auditlake-landing-111111111111-eu-west-1' },
  { name: 'REDSHIFT_PREFIX', required: false, description: 'Key prefix of Redshift audit logs in the landing bucket (default redshift/).', example: 'redshift/' },
  { name: 'ALLOW_REBOOT', required: false, description: 'true: reboot a database whose audit settings wait for a reboot (default false: record pending-reboot).', example: 'false' },
  { name: 'MASTER_SECRET_ARNS', required: false, description: 'JSON object: database ("<account>/<region>/<id>" or "<id>") → Secrets Manager ARN of its master login, for databases whose password RDS does not manage.', example: '{"222222222222/eu-west-1/billing-db":"arn:aws:secretsmanager:eu-west-1:222222222222:secret:billing-master-AbCdEf"}' },
  { name: 'IN_DATABASE_SETUP', required: false, description: 'true: the setup step connects to PostgreSQL as the master user to create the pgaudit role and extension (needs network reach); default false: the SQL is recorded as a note.', example: 'false' },
  { name: 'LOG_RETENTION_DAYS', required: false, description: 'Retention of the RDS audit log groups (default 1: the logs live in S3).', example: '1' },
] as const satisfies readonly EnvVarDoc[];

export interface Config {
  memberRoleName: string;
  destinationArn: string;
  landingBucket: string;
  redshiftPrefix: string;
  allowReboot: boolean;
  logRetentionDays: number;
  masterSecretArns: Record<string, string>;
  inDatabaseSetup: boolean;
}

export function readConfig(env: Record<string, string | undefined>): Config {
  return {
    memberRoleName: requireEnv(env, ENV[0]),
    destinationArn: requireEnv(env, ENV[1]),
    landingBucket: requireEnv(env, ENV[2]),
    redshiftPrefix: env.REDSHIFT_PREFIX ?? 'redshift/',
    allowReboot: env.ALLOW_REBOOT === 'true',
    logRetentionDays: Number(env.LOG_RETENTION_DAYS ?? '1') || 1,
    masterSecretArns: secretMap(env.MASTER_SECRET_ARNS),
    inDatabaseSetup: env.IN_DATABASE_SETUP === 'true',
  };
}

function secretMap(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (e) {
    throw new AuditlakeError('E_USAGE', `rds-auto-enable: MASTER_SECRET_ARNS is not JSON: ${(e as Error).message}`);
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new AuditlakeError('E_USAGE', 'rds-auto-enable: MASTER_SECRET_ARNS must be a JSON object of database → secret ARN');
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'string' || !v.startsWith('arn:')) throw new AuditlakeError('E_USAGE', `rds-auto-enable: MASTER_SECRET_ARNS.${k}: not a secret ARN`);
  return o as Record<string, string>;
}
