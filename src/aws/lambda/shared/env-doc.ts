import { AuditlakeError } from '../../../core/errors.js';

/** One environment variable a Lambda handler reads: what the CDK app must set (or may leave at its default). */
export interface EnvVarDoc {
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly example: string;
}

/** The variables every handler reads (the S3 home, the vault, the customer key, Object Lock, the sideline). */
export const COMMON_ENV = [
  { name: 'AUDITLAKE_HOME', required: true, description: 'The S3 home: lake, state and quarantine live under it (lake plain zstd Parquet under SSE-KMS, readable by Athena).', example: 's3://acme-audit-lake/home' },
  { name: 'AUDITLAKE_VAULT', required: false, description: 'Vault location (the Object Lock bucket); default <AUDITLAKE_HOME>/vault.', example: 's3://acme-audit-vault/vault' },
  { name: 'AUDITLAKE_KMS_KEY', required: true, description: 'Customer-managed KMS key (ARN or alias) for the vault envelope and for SSE-KMS on every object written.', example: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
  { name: 'AUDITLAKE_LOCK_MODE', required: false, description: 'Object Lock mode for new vault objects: GOVERNANCE, COMPLIANCE or off (default off: the bucket default retention applies).', example: 'COMPLIANCE' },
  { name: 'AUDITLAKE_LOCK_DAYS', required: false, description: 'Object Lock retention in days for new vault objects (with AUDITLAKE_LOCK_MODE).', example: '400' },
  { name: 'AUDITLAKE_SIDELINE', required: false, description: 'Where poison objects are copied with a reason file; default <AUDITLAKE_HOME>/sideline.', example: 's3://acme-audit-lake/home/sideline' },
] as const satisfies readonly EnvVarDoc[];

/** The value of `name`, or the error that names the variable and what it is for. */
export function requireEnv(env: Record<string, string | undefined>, doc: EnvVarDoc): string {
  const v = env[doc.name];
  if (!v) throw new AuditlakeError('E_USAGE', `lambda config: ${doc.name} is not set (${doc.description} Example: ${doc.example})`);
  return v;
}
