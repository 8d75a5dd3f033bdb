import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AuditlakeError } from '../../../core/errors.js';

/** The master user's login. `password` is not enumerable: JSON.stringify, util.inspect and spreads never show it. */
export interface MasterLogin {
  readonly username: string;
  readonly password: string;
  readonly secretArn: string;
}

/**
 * Which secret holds the master password: the RDS-managed one (`MasterUserSecret`, `rds!db-…`/`rds!cluster-…`),
 * else one configured for this database (`MASTER_SECRET_ARNS`, keyed `<account>/<region>/<id>` or `<id>`).
 * Null: none known — the in-database step is then left to a human, with the SQL to run.
 */
export function masterSecretArn(managed: string | undefined, configured: Record<string, string>, key: { account: string; region: string; id: string }): string | null {
  return managed ?? configured[`${key.account}/${key.region}/${key.id}`] ?? configured[key.id] ?? null;
}

/**
 * Reads the master login with the member role. Errors name the secret and what to grant, never its value; a
 * secret that is not the RDS JSON shape ({"username","password"}) is refused without quoting it.
 */
export async function readMasterLogin(sm: SecretsManagerClient, secretArn: string): Promise<MasterLogin> {
  let text: string | undefined;
  try {
    text = (await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (e) {
    const name = (e as Error).name;
    if (name === 'ResourceNotFoundException') throw new AuditlakeError('E_NOT_FOUND', `master secret ${secretArn} does not exist (deleted, or a configured ARN with a typo)`);
    if (name === 'AccessDeniedException' || name === 'AccessDenied') {
      throw new AuditlakeError('E_FORBIDDEN', `master secret ${secretArn}: the member role may not read it — RDS-managed secrets (rds!*) are allowed by the workload stack; tag any other secret auditlake-access=master-secret (and its KMS key must allow kms:Decrypt via Secrets Manager)`);
    }
    if (name === 'DecryptionFailure') throw new AuditlakeError('E_KEY', `master secret ${secretArn}: its KMS key refused to decrypt for the member role`);
    throw new AuditlakeError('E_IO', `master secret ${secretArn}: ${name}`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    parsed = undefined; // the value itself is never put in an error
  }
  const o = parsed as { username?: unknown; password?: unknown } | undefined;
  if (typeof o?.username !== 'string' || typeof o.password !== 'string') throw new AuditlakeError('E_PARSE', `master secret ${secretArn}: not a JSON object with string "username" and "password" (the RDS secret format)`);
  const login = { username: o.username, secretArn } as MasterLogin;
  Object.defineProperty(login, 'password', { value: o.password, enumerable: false });
  return login;
}
