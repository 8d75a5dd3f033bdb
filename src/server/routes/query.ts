/**
 * @module
 * POST /api/v1/query: one read-only SQL statement over the caller's views, with a row and a time limit. A scoped
 * token runs it in an engine that holds only its account's files (no string checks of the SQL).
 */
import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { redactSecrets } from '../../transforms/redact/index.js';
import { need } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { QueryBody, QueryResponse } from '../schemas.js';
import { errors, json, secured } from './route-helpers.js';

const route = createRoute({
  method: 'post', path: '/api/v1/query', tags: ['query'], summary: 'Run read-only SQL', security: secured,
  description: 'Views: events, connections, user_changes, activity, api_calls (columns as in `auditlake query --help`). One SELECT/WITH/DESCRIBE/EXPLAIN statement; results are cut at maxRows (default and ceiling set by the server) and stopped at the time limit (408).',
  request: { body: { content: { 'application/json': { schema: QueryBody } }, required: true } },
  responses: { 200: json(QueryResponse, 'the result'), ...errors },
});

const jsonSafe = (v: unknown): unknown => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);

export function registerQueryRoute(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  app.openapi(route, async (c) => {
    const p = need(c, 'read');
    const body = c.req.valid('json');
    c.set('auditEventName', 'RunQuery');
    c.set('auditParams', { sql: redactSecrets(body.sql), maxRows: body.maxRows });
    const started = performance.now();
    const maxRows = Math.min(body.maxRows ?? ctx.limits.queryRows, ctx.limits.queryRows);
    const res = await ctx.engines.get(p.account).query(body.sql, { maxRows, timeoutMs: ctx.limits.queryMs });
    return c.json({ columns: res.columns, rows: res.rows.map((r) => r.map(jsonSafe)), truncated: !!res.truncated, ms: Math.round(performance.now() - started) }, 200);
  });
}
