/**
 * @module
 * Role and account checks used by every route. A scoped principal asking for another account gets 403 without the
 * account echoed back; rows are still confined by the engine (src/server/scoped-engines.ts) whatever the route does.
 */
import type { Context } from 'hono';
import { AuditlakeError } from '../../core/errors.js';
import type { ServerEnv } from '../context.js';
import { allows, type Permission, type Principal } from './principal.js';

/** Any authenticated principal (the auth middleware guarantees one on /api/*). */
export function signedIn(c: Context<ServerEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new AuditlakeError('E_AUTH', 'an Authorization: Bearer <token> header is required');
  return p;
}

export function need(c: Context<ServerEnv>, permission: Permission): Principal {
  const p = c.get('principal');
  if (!p) throw new AuditlakeError('E_AUTH', 'an Authorization: Bearer <token> header is required');
  if (!allows(p, permission)) throw new AuditlakeError('E_FORBIDDEN', `a ${p.role} token may not do this (needs ${permission === 'read' ? 'reader or admin' : permission === 'intake' ? 'ingest or admin' : 'admin'})`);
  return p;
}

/** The account filter to apply: the requested one when allowed, the principal's own scope otherwise. */
export function confine(p: Principal, requested: string | undefined): string | undefined {
  if (p.account === null) return requested;
  if (requested !== undefined && requested !== p.account) throw new AuditlakeError('E_FORBIDDEN', 'this token is confined to another account');
  return p.account;
}
