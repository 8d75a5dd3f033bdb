/**
 * @module
 * GET /api/v1/databases: every database seen in the lake (records, last record, silence) joined with its fleet
 * workflow state (enabled, drift re-enforced, last error), for the caller's accounts only.
 */
import { readFileSync } from 'node:fs';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { FleetOutcome, FleetStore } from '../../fleet/state.js';
import { need } from '../auth/guard.js';
import type { ServerContext, ServerEnv } from '../context.js';
import { DatabaseStatus } from '../schemas.js';
import { errors, json, secured } from './route-helpers.js';

const route = createRoute({
  method: 'get', path: '/api/v1/databases', tags: ['databases'], summary: 'Audit status of every database', security: secured,
  request: { query: z.object({ silenceMinutes: z.coerce.number().int().min(1).max(525_600).default(60) }) },
  responses: { 200: json(z.object({ databases: z.array(DatabaseStatus) }), 'databases'), ...errors },
});

/**
 * A database's own audit records (connection, user, activity logs) say whether its auditing works; CloudTrail API
 * calls (log type api: STS, sign-in, control-plane calls, auditlake's own trail) are no database and never count.
 * Silence follows the watcher's rule: auditlake's own canary/drift records (marked `details.auditlakeOwn` by the
 * collector, see pipeline/own-activity.ts) are counted as records but do not make a database look active.
 */
const SQL = `SELECT account, region, service, coalesce(nullif(cluster, ''), database, '?') AS name, count(*) AS n,
  max(time) FILTER (WHERE coalesce(json_extract_string(details, '$.auditlakeOwn'), '') <> 'true') AS last
FROM events WHERE log_type <> 'api' GROUP BY ALL ORDER BY account, name`;

/** Drift = the last drift check of that database had to re-enforce something. */
function lastDrift(fleet: FleetStore): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let text = '';
  try { text = readFileSync(fleet.outcomesFile, 'utf8'); } catch { return out; }
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const o = JSON.parse(line) as FleetOutcome;
      if (o.event === 'drift') out.set(o.database, !o.ok);
    } catch { /* a torn last line */ }
  }
  return out;
}

export function registerDatabaseRoute(app: OpenAPIHono<ServerEnv>, ctx: ServerContext, fleet: FleetStore): void {
  app.openapi(route, async (c) => {
    const p = need(c, 'read');
    const { silenceMinutes } = c.req.valid('query');
    c.set('auditEventName', 'ListDatabases');
    const res = await ctx.engines.get(p.account).query(SQL, { timeoutMs: ctx.limits.queryMs });
    const drift = lastDrift(fleet);
    const iso = (t?: number) => (t ? new Date(t).toISOString() : null);
    const wfOf = (name: string): { step: string; lastError: string | null; enabledAt: string | null; lastDriftCheckAt: string | null; drift: boolean } | null => {
      const st = fleet.get(name) ?? fleet.get(`rds-${name}`);
      if (!st) return null;
      return { step: st.step, lastError: st.lastError ?? null, enabledAt: iso(st.enabledAt), lastDriftCheckAt: iso(st.lastDriftCheckAt), drift: drift.get(name) ?? drift.get(`rds-${name}`) ?? false };
    };
    const databases = res.rows.map(([account, region, service, name, n, last]) => {
      const lastMs = last ? Date.parse(String(last)) : null;
      const silent = lastMs === null ? null : Math.floor((ctx.now() - lastMs) / 60_000);
      return {
        account: String(account), region: String(region), service: String(service), name: String(name), events: Number(n),
        lastRecordAt: last ? String(last) : null, silentMinutes: silent, silent: silent !== null && silent > silenceMinutes, workflow: wfOf(String(name)),
      };
    });
    // databases started by intake that have no record yet
    for (const wf of ctx.intake.list(p.account)) {
      if (!databases.some((d) => d.name === wf.resource && d.account === wf.account)) {
        databases.push({ account: wf.account, region: wf.region, service: wf.kind, name: wf.resource, events: 0, lastRecordAt: null, silentMinutes: null, silent: false, workflow: wfOf(wf.database) ?? { step: wf.step, lastError: null, enabledAt: null, lastDriftCheckAt: null, drift: false } });
      }
    }
    return c.json({ databases }, 200);
  });
}
