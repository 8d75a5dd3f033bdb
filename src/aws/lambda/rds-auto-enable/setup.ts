import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { describeCluster } from './aurora.js';
import { masterSecretArn, readMasterLogin, type MasterLogin } from './master-secret.js';
import type { EnableState } from './state.js';
import type { SqlRunner, SqlTarget } from './sql-runner.js';
import { stepHandler, type StepDeps } from './step-handler.js';

/** pgaudit's objects inside the database: the role its `pgaudit.role` names, and the extension. Idempotent. */
export const PGAUDIT_SQL = [
  "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_pgaudit') THEN CREATE ROLE rds_pgaudit; END IF; END $$",
  'CREATE EXTENSION IF NOT EXISTS pgaudit',
];

export type { SqlRunner, SqlTarget };

/** Connection failures that mean "the central workflow cannot reach this database", not "the database is broken". */
const UNREACHABLE = /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|timeout/i;

/**
 * Step 3b (PostgreSQL and Aurora PostgreSQL): the parts of pgaudit that live inside the database need the master
 * password — read from Secrets Manager with the member role, used for one TLS connection, never logged or stored
 * in the state. Runs only once pgaudit is preloaded (after the reboot); a database the workflow cannot reach
 * (private subnets) keeps the exact SQL as a note. A missing or unreadable secret fails the step with the reason.
 */
export async function setupStep(s: EnableState, d: StepDeps): Promise<EnableState> {
  const pg = s.engine === 'postgres' || s.engine === 'aurora-postgresql';
  if (!pg || s.kind === 'redshift') return s;
  const manual = `inside the database, as the master user: ${PGAUDIT_SQL.join('; ')}`;
  if (s.needsReboot) return { ...s, notes: [...s.notes, `pgaudit is not preloaded until the reboot; afterwards ${manual}`] };
  const target = await endpointAndSecret(s, d);
  if (!target) return { ...s, notes: [...s.notes, `no master secret known (not RDS-managed, none in MASTER_SECRET_ARNS): ${manual}`] };
  if (!d.sql) return { ...s, notes: [...s.notes, `in-database setup not enabled for this deployment (IN_DATABASE_SETUP=false): ${manual}`] };
  const login = await readMasterLogin(d.clients.secrets, target.secretArn);
  try {
    await d.sql(target, login, PGAUDIT_SQL);
  } catch (e) {
    const msg = scrub((e as Error).message ?? String(e), login);
    if (UNREACHABLE.test(msg) || UNREACHABLE.test((e as { code?: string }).code ?? '')) return { ...s, notes: [...s.notes, `${target.host}:${target.port} not reachable from the central workflow (${msg}): ${manual}`] };
    return { ...s, notes: [...s.notes, `in-database setup failed (${msg}): ${manual}`] };
  }
  return { ...s, notes: [...s.notes, `pgaudit role and extension created as ${login.username} (secret ${login.secretArn})`] };
}

async function endpointAndSecret(s: EnableState, d: StepDeps): Promise<(SqlTarget & { secretArn: string }) | null> {
  let host: string | undefined;
  let port: number | undefined;
  let managed: string | undefined;
  if (s.kind === 'rds-cluster') {
    const cl = await describeCluster(d.clients.rds, s.id);
    [host, port, managed] = [cl?.Endpoint, cl?.Port, cl?.MasterUserSecret?.SecretArn];
  } else {
    const inst = (await d.clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: s.id }))).DBInstances?.[0];
    [host, port, managed] = [inst?.Endpoint?.Address, inst?.Endpoint?.Port, inst?.MasterUserSecret?.SecretArn];
  }
  const secretArn = masterSecretArn(managed, d.config.masterSecretArns, s);
  if (!secretArn || !host) return null;
  return { host, port: port ?? 5432, database: 'postgres', secretArn };
}

/** A driver error may echo the connection string; the password never leaves this function. */
function scrub(message: string, login: MasterLogin): string {
  return login.password ? message.split(login.password).join('***') : message;
}

export const handler = stepHandler(setupStep);
