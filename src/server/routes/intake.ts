/**
 * @module
 * POST /api/v1/events (intake for EventBridge API destinations and any HTTP sender) and GET /api/v1/workflows/{id}.
 * An accepted event is fsynced to the intake journal before the 202; a repeated event id is answered
 * `accepted: false` and starts nothing.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AuditlakeError } from '../../core/errors.js';
import { need, signedIn } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { parseIntakeEvent } from '../intake/parse-create-event.js';
import { ErrorBody, IntakeAccepted, Workflow, WorkflowParam } from '../schemas.js';
import { errors, json, secured } from './route-helpers.js';

const EventBridgeEvent = z.object({
  id: z.string().optional(), 'detail-type': z.string().optional(), source: z.string().optional(),
  account: z.string().optional(), region: z.string().optional(), time: z.string().optional(),
  detail: z.object({ eventName: z.string(), eventSource: z.string().optional() }).passthrough(),
}).passthrough().openapi('EventBridgeEvent', { description: 'an EventBridge event wrapping a CloudTrail record ("AWS API Call via CloudTrail")' });

const intake = createRoute({
  method: 'post', path: '/api/v1/events', tags: ['intake'], summary: 'Send database-created events (EventBridge API destination)', security: secured,
  description: 'One event or an array of up to 100. RDS CreateDBInstance/CreateDBCluster (and restores) and Redshift CreateCluster start the enable → verify → collect workflow of that database. The answer comes after the events are on disk.',
  request: { body: { content: { 'application/json': { schema: z.union([EventBridgeEvent, z.array(EventBridgeEvent).min(1).max(100)]) } }, required: true } },
  responses: { 202: json(z.object({ results: z.array(IntakeAccepted) }), 'accepted (durably)'), ...errors },
});

const getWorkflow = createRoute({
  method: 'get', path: '/api/v1/workflows/{id}', tags: ['intake'], summary: 'A workflow: state and history', security: secured,
  request: { params: WorkflowParam },
  responses: { 200: json(Workflow, 'the workflow'), 404: json(ErrorBody, 'no such workflow visible to this token'), ...errors },
});

const listWorkflows = createRoute({
  method: 'get', path: '/api/v1/workflows', tags: ['intake'], summary: 'All workflows visible to this token', security: secured,
  responses: { 200: json(z.object({ workflows: z.array(Workflow) }), 'workflows'), ...errors },
});

export function registerIntakeRoutes(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  app.openapi(intake, (c) => {
    const p = need(c, 'intake');
    const body = c.req.valid('json');
    const list = Array.isArray(body) ? body : [body];
    c.set('auditEventName', 'PutEvents');
    const events = list.map((e, i) => parseIntakeEvent(e, i));
    c.set('auditParams', { events: events.map((e) => ({ id: e.id, account: e.account, eventName: e.eventName })) });
    const results = ctx.intake.accept(events, p);
    for (const r of results) ctx.metrics.intake.inc({ result: !r.accepted ? 'duplicate' : r.ignored ? 'ignored' : 'accepted' });
    return c.json({ results }, 202);
  });
  const visible = (id: string, account: string | null) => {
    const wf = ctx.intake.workflow(id);
    // a workflow of another account is reported as absent, not as forbidden (ids must not be probeable)
    if (!wf || (account !== null && wf.account !== account)) throw new AuditlakeError('E_NOT_FOUND', 'no workflow with that id is visible to this token');
    return wf;
  };
  app.openapi(getWorkflow, (c) => {
    const p = signedIn(c); // every role: an ingest sender follows the workflows it started
    c.set('auditEventName', 'GetWorkflow');
    const { id } = c.req.valid('param');
    c.set('auditParams', { id });
    return c.json(visible(id, p.account), 200);
  });
  app.openapi(listWorkflows, (c) => {
    const p = signedIn(c);
    c.set('auditEventName', 'ListWorkflows');
    return c.json({ workflows: ctx.intake.list(p.account) }, 200);
  });
}
