import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AuditlakeError } from '../../../core/errors.js';
import type { EnableState } from './state.js';

/** The member-account clients a step uses, with the assumed role's credentials. */
export interface MemberClients {
  rds: RDSClient;
  redshift: RedshiftClient;
  logs: CloudWatchLogsClient;
  secrets: SecretsManagerClient;
}

/** Assumes `arn:aws:iam::<account>:role/<roleName>` (session named after the database, visible in CloudTrail). */
export async function memberClients(sts: STSClient, s: Pick<EnableState, 'account' | 'region' | 'id'>, roleName: string): Promise<MemberClients> {
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${s.account}:role/${roleName}`, RoleSessionName: `auditlake-${s.id}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64), DurationSeconds: 900 }));
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AuditlakeError('E_KEY', `rds-auto-enable: AssumeRole into ${s.account} returned no credentials`);
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  return { rds: new RDSClient({ region: s.region, credentials }), redshift: new RedshiftClient({ region: s.region, credentials }), logs: new CloudWatchLogsClient({ region: s.region, credentials }), secrets: new SecretsManagerClient({ region: s.region, credentials }) };
}
