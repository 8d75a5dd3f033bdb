/**
 * @module
 * GET /api/v1/verify (last result, any reader) and POST /api/v1/verify (start a run, admin only).
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { need } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { VerifyStatus } from '../schemas.js';
import { errors, json, secured } from './route-helpers.js';

const get = createRoute({
  method: 'get', path: '/api/v1/verify', tags: ['integrity'], summary: 'Last vault verification', security: secured,
  responses: { 200: json(VerifyStatus, 'state of the last (or running) verification'), ...errors },
});
const start = createRoute({
  method: 'post', path: '/api/v1/verify', tags: ['integrity'], summary: 'Start a vault verification (admin)', security: secured,
  responses: { 202: json(VerifyStatus, 'started (or already running); poll GET /api/v1/verify'), ...errors },
});

export function registerVerifyRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  app.openapi(get, (c) => {
    need(c, 'read');
    c.set('auditEventName', 'GetVerifyStatus');
    return c.json(ctx.verify.status(), 200);
  });
  app.openapi(start, (c) => {
    need(c, 'admin');
    c.set('auditEventName', 'StartVerify');
    void ctx.verify.start();
    return c.json(ctx.verify.status(), 202);
  });
}
