/**
 * @module
 * Who is calling and what they may do. Roles are cumulative only where the table says so: an `ingest` token
 * (EventBridge API destination) may post events and read its workflows but never read audit data.
 */
export const ROLES = ['reader', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  kind: 'token' | 'oidc';
  /** Token id or OIDC subject: what the self-audit records as userIdentity. */
  id: string;
  role: Role;
  /** The one account this principal may see; null = every account. */
  account: string | null;
}

/** What an endpoint needs. */
export type Permission = 'read' | 'intake' | 'admin';

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  reader: new Set(['read']),
  ingest: new Set(['intake']),
  admin: new Set(['read', 'intake', 'admin']),
};

export function allows(p: Principal, need: Permission): boolean {
  return GRANTS[p.role].has(need);
}

/** True when `p` may see rows of `account` (unscoped principals see all). */
export function seesAccount(p: Principal, account: string): boolean {
  return p.account === null || p.account === account;
}
