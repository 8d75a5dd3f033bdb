/**
 * @module
 * Bearer authentication for /api/*: an auditlake API token (`alk_…`, scrypt-verified once, then cached by its
 * SHA-256 and re-checked against the token file for revocation/expiry on every request) or, when configured, an
 * OIDC JWT. Then the per-principal rate limit.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AuditlakeError } from '../../core/errors.js';
import { createRateLimiter } from './rate-limit.js';
import type { ServerContext, ServerEnv } from '../context.js';
import type { Principal } from './principal.js';

const CACHE_MAX = 10_000;

export function authenticate(ctx: ServerContext): MiddlewareHandler<ServerEnv> {
  const cache = new Map<string, Principal>();
  // Failed attempts per client address: each costs an scrypt, and guessing must stay slow.
  const failures = createRateLimiter(60, 20);
  const resolve = async (bearer: string): Promise<Principal | null> => {
    if (bearer.startsWith('alk_')) {
      const key = createHash('sha256').update(bearer).digest('hex');
      const hit = cache.get(key);
      if (hit) return ctx.tokens.active(hit.id, ctx.now()) ? hit : (cache.delete(key), null);
      const p = await ctx.tokens.verify(bearer, ctx.now());
      if (p) {
        if (cache.size >= CACHE_MAX) cache.clear();
        cache.set(key, p);
      }
      return p;
    }
    if (ctx.oidc && bearer.split('.').length === 3) return ctx.oidc(bearer);
    return null;
  };
  return async function auth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = m ? await resolve(m[1]) : null;
    if (!principal) {
      if (m) {
        let ip = 'unknown';
        try { ip = getConnInfo(c).remote.address ?? ip; } catch { /* not over a socket */ }
        const wait = failures.take(ip, ctx.now());
        if (wait > 0) throw new AuditlakeError('E_LIMIT', `too many failed sign-ins from this address; retry in ${Math.ceil(wait / 1000)} s`);
      }
      c.header('WWW-Authenticate', 'Bearer realm="auditlake"');
      throw new AuditlakeError('E_AUTH', m ? 'the bearer token is unknown, revoked or expired' : 'an Authorization: Bearer <token> header is required');
    }
    c.set('principal', principal);
    const wait = ctx.rateLimiter.take(principal.id, ctx.now());
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      throw new AuditlakeError('E_LIMIT', `rate limit of ${ctx.limits.perMinute} requests per minute reached; retry in ${Math.ceil(wait / 1000)} s`);
    }
    await next();
  };
}
