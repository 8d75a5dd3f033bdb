/**
 * @module
 * GET /api/v1/whoami: the caller's role and account scope (the console's sign-in check; like STS GetCallerIdentity).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { signedIn } from '../auth/guard.js';
import type { ServerEnv } from '../context.js';
import { errors, json, secured } from './route-helpers.js';

const route = createRoute({
  method: 'get', path: '/api/v1/whoami', tags: ['auth'], summary: 'The calling token: id, role, account scope', security: secured,
  responses: { 200: json(z.object({ id: z.string(), kind: z.enum(['token', 'oidc']), role: z.enum(['reader', 'ingest', 'admin']), account: z.string().nullable() }).openapi('Caller'), 'the caller'), ...errors },
});

export function registerWhoamiRoute(app: OpenAPIHono<ServerEnv>): void {
  app.openapi(route, (c) => {
    const p = signedIn(c);
    c.set('auditEventName', 'GetCallerIdentity');
    return c.json({ id: p.id, kind: p.kind, role: p.role, account: p.account }, 200);
  });
}
