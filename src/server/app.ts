/**
 * @module
 * The HTTP application: a Web-standard `fetch` handler (Hono) that start-server.ts hands to the Node adapter.
 * Order: request id + metrics + self-audit around everything under /api; body limit; bearer auth (everything
 * except /healthz and the console's static sign-in files); routes; one onError mapping error codes to statuses.
 */
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { AuditlakeError } from '../core/errors.js';
import type { FleetStore } from '../fleet/state.js';
import type { ApiCall } from './audit/api-call.js';
import { authenticate } from './auth/authenticate.js';
import { consoleRoutes } from './console-assets.js';
import type { ServerContext, ServerEnv } from './context.js';
import { errorResponse, statusFor } from './http-errors.js';
import { registerDatabaseRoute } from './routes/databases.js';
import { registerEventRoutes } from './routes/events.js';
import { registerIntakeRoutes } from './routes/intake.js';
import { registerQueryRoute } from './routes/query.js';
import { registerReportRoute } from './routes/reports.js';
import { registerVerifyRoutes } from './routes/verify.js';
import { registerWhoamiRoute } from './routes/whoami.js';

export const API_VERSION = '1.0.0';

/** Audit event names per route, so a refused call (401/403/429) is named like a successful one. */
const EVENT_NAMES: Record<string, string> = {
  'GET /api/v1/events': 'SearchEvents', 'GET /api/v1/events/:id': 'GetEvent', 'POST /api/v1/events': 'PutEvents',
  'POST /api/v1/query': 'RunQuery', 'GET /api/v1/reports/:month': 'GetReport', 'GET /api/v1/databases': 'ListDatabases',
  'GET /api/v1/verify': 'GetVerifyStatus', 'POST /api/v1/verify': 'StartVerify', 'GET /api/v1/workflows/:id': 'GetWorkflow',
  'GET /api/v1/workflows': 'ListWorkflows', 'GET /api/v1/whoami': 'GetCallerIdentity',
};

function actorOf(c: { get(k: 'principal'): ServerEnv['Variables']['principal'] }): ApiCall['actor'] {
  const p = c.get('principal');
  if (!p) return { type: 'Anonymous', id: 'anonymous', account: null };
  return { type: p.kind === 'oidc' ? 'OIDC' : 'AuditlakeToken', id: p.id, account: p.account };
}

/** The document's header; scripts/gen-reference.mjs renders docs/reference/api.md from the same document. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'auditlake Audit Log API', version: API_VERSION, description: 'Search, query and report on database audit logs; intake for database-created events. Every call is itself audited.' },
  security: [{ bearer: [] }],
};

export function createApp(ctx: ServerContext, fleet: FleetStore): OpenAPIHono<ServerEnv> {
  const app = new OpenAPIHono<ServerEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new AuditlakeError('E_USAGE', `invalid request: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'does not match the schema'}`);
      }
    },
  });

  app.use('*', async function requestContext(c, next) {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    c.set('principal', null);
    c.set('auditParams', {});
    c.set('auditEventName', '');
    c.set('error', null);
    c.header('X-Request-Id', requestId);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    const started = performance.now();
    try {
      await next();
    } finally {
      const error = c.get('error');
      const route = routePath(c, -1) || 'unmatched';
      const status = error ? statusFor(error) : c.res.status;
      ctx.metrics.requests.inc({ route, method: c.req.method, status: String(status) });
      ctx.metrics.latency.observe({ route, method: c.req.method }, (performance.now() - started) / 1000);
      if (status >= 500) ctx.metrics.errors.inc({ error_type: error instanceof AuditlakeError ? error.code : 'E_INTERNAL', stage: 'api' });
      if (c.req.path.startsWith('/api/v1/')) {
        let ip = '';
        try { ip = getConnInfo(c).remote.address ?? ''; } catch { /* not over a socket (tests calling app.request) */ }
        const params = { ...c.get('auditParams'), method: c.req.method, path: c.req.path };
        ctx.audit.record({
          time: ctx.now(), eventName: c.get('auditEventName') || EVENT_NAMES[`${c.req.method} ${route}`] || `${c.req.method} ${route}`, actor: actorOf(c), sourceIPAddress: ip || '127.0.0.1',
          userAgent: c.req.header('user-agent') ?? '', requestParameters: params, requestId, readOnly: c.req.method === 'GET' || c.req.path === '/api/v1/query',
          errorCode: status >= 400 ? (error instanceof AuditlakeError ? error.code : `HTTP${status}`) : null,
          errorMessage: error instanceof AuditlakeError ? error.message : undefined, status,
        });
      }
    }
  });

  app.onError((err, c) => {
    c.set('error', err);
    const res = errorResponse(c, err, c.get('requestId') ?? '');
    if (err instanceof AuditlakeError && err.code === 'E_AUTH') res.headers.set('WWW-Authenticate', 'Bearer realm="auditlake"');
    return res;
  });
  app.notFound((c) => c.json({ error: { code: 'E_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.use('/api/*', bodyLimit({
    maxSize: ctx.limits.bodyBytes,
    onError: () => { throw new AuditlakeError('E_LIMIT', `request body larger than ${ctx.limits.bodyBytes} bytes`); },
  }));
  app.use('/api/*', authenticate(ctx));
  app.use('/metrics', authenticate(ctx));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'auditlake API token (`auditlake tokens create`) or an OIDC JWT' });
  registerEventRoutes(app, ctx);
  registerQueryRoute(app, ctx);
  registerReportRoute(app, ctx);
  registerDatabaseRoute(app, ctx, fleet);
  registerVerifyRoutes(app, ctx);
  registerIntakeRoutes(app, ctx);
  registerWhoamiRoute(app);
  app.doc31('/api/openapi.json', OPENAPI_INFO);
  app.get('/metrics', async (c) => {
    c.header('Content-Type', ctx.metrics.registry.contentType);
    return c.body(await ctx.metrics.registry.metrics());
  });
  if (ctx.consoleDir) consoleRoutes(app, ctx.consoleDir);
  return app;
}
