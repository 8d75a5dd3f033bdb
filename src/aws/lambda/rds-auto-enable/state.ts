import { AuditlakeError } from '../../../core/errors.js';

/** What a database is, as the workflow handles it. */
export type Kind = 'rds-instance' | 'rds-cluster' | 'redshift';

/**
 * The state every step of the auto-enable state machine reads and returns whole (Step Functions replaces its state
 * with each step's output). Built by the machine's Start state from the forwarded CloudTrail event.
 */
export interface EnableState {
  account: string;
  region: string;
  /** The database identifier; `event-<id>` until describe has found it. */
  id: string;
  eventName: string;
  requestParameters?: Record<string, unknown>;
  userIdentity?: { arn?: string; sessionContext?: { sessionIssuer?: { userName?: string } } };
  kind?: Kind;
  engine: string;
  /** Loop counter of the current wait loop (describe while not ready; verify while not verified). */
  attempt: number;
  ready: boolean;
  verified: boolean;
  needsReboot?: boolean;
  /** started | skipped | enabled | pending-reboot | unverified (the outcome table's status). */
  outcome: string;
  notes: string[];
  /** ISO time the settings were applied: verify looks for audit records after it. */
  enabledAt?: string;
  logGroups?: string[];
}

/** Which database the CloudTrail event is about. */
export function identify(s: EnableState): { kind: Kind; id: string } {
  const p = s.requestParameters ?? {};
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  if (s.eventName === 'CreateDBInstance' || s.eventName === 'ModifyDBInstance') return need(s, 'rds-instance', str('dBInstanceIdentifier'), 'dBInstanceIdentifier');
  if (s.eventName === 'CreateDBCluster') return need(s, 'rds-cluster', str('dBClusterIdentifier'), 'dBClusterIdentifier');
  if (s.eventName === 'CreateCluster') return need(s, 'redshift', str('clusterIdentifier'), 'clusterIdentifier');
  throw new AuditlakeError('E_USAGE', `rds-auto-enable: event ${s.eventName} is not one the workflow handles (CreateDBInstance, ModifyDBInstance, CreateDBCluster, CreateCluster)`);
}

function need(s: EnableState, kind: Kind, id: string, field: string): { kind: Kind; id: string } {
  if (!id) throw new AuditlakeError('E_PARSE', `rds-auto-enable: ${s.eventName} event of account ${s.account} has no requestParameters.${field}`);
  // RDS lower-cases identifiers; CloudTrail records them as the caller typed them.
  return { kind, id: kind === 'redshift' ? id.toLowerCase() : id.toLowerCase() };
}

/** Errors the state machine retries with backoff (its Retry matches these names). */
export function retryable(name: 'Auditlake.NotReady' | 'Auditlake.GroupBusy', message: string, cause?: unknown): AuditlakeError {
  const e = new AuditlakeError('E_TIMEOUT', message, { cause });
  e.name = name;
  return e;
}

/** AWS faults that mean "try again later", mapped to the retryable names. */
export function classify(e: unknown, what: string): unknown {
  const name = (e as { name?: string }).name ?? '';
  if (name === 'InvalidDBInstanceStateFault' || name === 'InvalidDBClusterStateFault' || name === 'InvalidClusterStateFault') return retryable('Auditlake.NotReady', `${what}: the database is busy (${name}); retried`, e);
  if (name === 'InvalidDBParameterGroupStateFault' || name === 'InvalidOptionGroupStateFault' || name === 'InvalidClusterParameterGroupStateFault') return retryable('Auditlake.GroupBusy', `${what}: the parameter/option group is in use by another change (${name}); retried`, e);
  return e;
}
