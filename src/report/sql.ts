import { AuditlakeError } from '../core/errors.js';

/** SQL string literal (single quotes doubled). Only for values we control or have validated. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The WHERE clause every section shares: the month, and the account when one is asked for. */
export function monthFilter(range: { from: string; to: string }, account?: string): string {
  if (account !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(account)) {
    throw new AuditlakeError('E_USAGE', `report: --account "${account}" is not an account id`);
  }
  const parts = [`time >= TIMESTAMP ${lit(range.from.slice(0, 19).replace('T', ' '))}`, `time < TIMESTAMP ${lit(range.to.slice(0, 19).replace('T', ' '))}`];
  if (account) parts.push(`account = ${lit(account)}`);
  // auditlake's own access trail (auditlake serve / CLI, service 'auditlake') is evidence about the store, not
  // database activity: the report reads it separately (self-audit.ts) and keeps it out of every other number
  parts.push(`service <> 'auditlake'`);
  return parts.join(' AND ');
}

/** Statement verbs that change users, roles or privileges (activity log side). */
export const USER_CHANGE_ACTION_RE = '^(CREATE|ALTER|DROP|RENAME) (USER|ROLE|GROUP)|^GRANT|^REVOKE|^SET PASSWORD';
/** Statement verbs that are DDL. */
export const DDL_ACTION_RE = '^(CREATE|ALTER|DROP|TRUNCATE|RENAME|COMMENT)';
/** CloudTrail events that switch audit logging on or off or weaken it. */
export const AUDIT_CONTROL_EVENTS = [
  'EnableLogging', 'DisableLogging', 'ModifyClusterParameterGroup', 'ModifyDBParameterGroup', 'ModifyOptionGroup',
  'DeleteTrail', 'StopLogging', 'StartLogging', 'UpdateTrail', 'PutEventSelectors', 'ResetClusterParameterGroup',
  'ResetDBParameterGroup', 'ModifyCluster', 'ModifyDBInstance',
];
/** Redshift's internal maintenance superuser: real, but noise for an admin-activity review. */
export const INTERNAL_USERS = ['rdsdb'];
