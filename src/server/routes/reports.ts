/**
 * @module
 * GET /api/v1/reports/{month}: the monthly compliance report as JSON, HTML or PDF, built live over the caller's
 * engine (a scoped token gets its account's report only).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { buildReport, DEFAULT_REPORT_OPTIONS } from '../../report/build-report.js';
import type { VaultStatus } from '../../report/frameworks.js';
import { renderReportHtml } from '../../report/render-html.js';
import { renderReportPdf } from '../../report/render-pdf.js';
import { confine, need } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { MonthParam, ReportQuery } from '../schemas.js';
import { errors, secured } from './route-helpers.js';

const route = createRoute({
  method: 'get', path: '/api/v1/reports/{month}', tags: ['reports'], summary: 'Monthly compliance report', security: secured,
  request: { params: MonthParam, query: ReportQuery },
  responses: {
    200: {
      description: 'the report (report.json shape, report.html, or report.pdf)',
      content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/html': { schema: z.string() }, 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errors,
  },
});

export function registerReportRoute(app: OpenAPIHono<ServerEnv>, ctx: ServerContext): void {
  app.openapi(route, async (c) => {
    const p = need(c, 'read');
    const { month } = c.req.valid('param');
    const q = c.req.valid('query');
    const account = confine(p, q.account);
    c.set('auditEventName', 'GetReport');
    c.set('auditParams', { month, ...q });
    const engine = ctx.engines.get(p.account);
    const vault: VaultStatus = ctx.verify.vaultStatus();
    const data = await buildReport((sql) => engine.query(sql), { ...DEFAULT_REPORT_OPTIONS, month, account, framework: q.framework }, vault);
    const name = `auditlake-report-${month}${account ? `-${account}` : ''}`;
    if (q.format === 'json') return c.json(data as unknown as Record<string, never>, 200);
    const html = renderReportHtml(data);
    if (q.format === 'html') {
      c.header('Content-Disposition', `inline; filename="${name}.html"`);
      return c.html(html, 200);
    }
    const dir = await mkdtemp(join(ctx.home.tmp, 'report-'));
    try {
      await writeFile(join(dir, 'report.html'), html);
      await renderReportPdf(join(dir, 'report.html'), join(dir, 'report.pdf'), ctx.chromium);
      const pdf = await readFile(join(dir, 'report.pdf'));
      return c.body(pdf, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${name}.pdf"` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
