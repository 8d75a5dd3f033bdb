/**
 * @module
 * GET /api/v1/events (search with cursor paging) and GET /api/v1/events/{id} (one event with its original record).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AuditlakeError } from '../../core/errors.js';
import { confine, need } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { ErrorBody, EventDetail, SearchQuery, SearchResult } from '../schemas.js';
import { DETAIL_COLUMNS, detailSql, encodeCursor, rowsToObjects, searchSql, SUMMARY_COLUMNS } from '../search/search-sql.js';
import { errors, json, secured } from './route-helpers.js';

const search = createRoute({
  method: 'get', path: '/api/v1/events', tags: ['events'], summary: 'Search audit events', security: secured,
  description: 'Newest first. Filters combine with AND. A token scoped to an account sees only that account.',
  request: { query: SearchQuery },
  responses: { 200: json(SearchResult, 'one page of events'), ...errors },
});

const detail = createRoute({
  method: 'get', path: '/api/v1/events/{id}', tags: ['events'], summary: 'One event, with its original record', security: secured,
  request: { params: z.object({ id: z.string().min(1).max(200).openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: json(EventDetail, 'the event'), 404: json(ErrorBody, 'no such event (or not visible to this token)'), ...errors },
});

export function registerEventRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  app.openapi(search, async (c) => {
    const p = need(c, 'read');
    const q = c.req.valid('query');
    const account = confine(p, q.account);
    c.set('auditEventName', 'SearchEvents');
    c.set('auditParams', { ...q });
    const res = await ctx.engines.get(p.account).query(searchSql({ ...q, account }), { timeoutMs: ctx.limits.queryMs });
    const rows = rowsToObjects(SUMMARY_COLUMNS, res.rows);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor(String(last.time), String(last.eventId)) : null;
    return c.json({ events: page as z.infer<typeof SearchResult>['events'], nextCursor }, 200);
  });
  app.openapi(detail, async (c) => {
    const p = need(c, 'read');
    const { id } = c.req.valid('param');
    c.set('auditEventName', 'GetEvent');
    c.set('auditParams', { eventId: id });
    const res = await ctx.engines.get(p.account).query(detailSql(id), { timeoutMs: ctx.limits.queryMs });
    const [row] = rowsToObjects(DETAIL_COLUMNS, res.rows);
    if (!row) throw new AuditlakeError('E_NOT_FOUND', 'no event with that id is visible to this token');
    return c.json(row as z.infer<typeof EventDetail>, 200);
  });
}
