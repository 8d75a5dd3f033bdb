/**
 * @module
 * The API's one schema: every request is validated against these and the OpenAPI 3.1 document at
 * /api/openapi.json is generated from them (@hono/zod-openapi), so the reference cannot drift from the code.
 */
import { z } from '@hono/zod-openapi';
import { LOG_TYPES } from '../core/event.js';

export const AccountId = z.string().regex(/^\d{12}$/).openapi({ description: '12-digit AWS account id', example: '111122223333' });
const IsoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time').openapi({ example: '2026-10-01T00:00:00Z' });

export const ErrorBody = z.object({
  error: z.object({ code: z.string().openapi({ example: 'E_AUTH' }), message: z.string() }),
}).openapi('Error');

export const SearchQuery = z.object({
  from: IsoTime.optional().openapi({ description: 'events at or after this time (UTC)' }),
  to: IsoTime.optional().openapi({ description: 'events before this time (UTC)' }),
  account: AccountId.optional(),
  database: z.string().max(200).optional().openapi({ description: 'database or cluster name' }),
  user: z.string().max(200).optional(),
  logType: z.enum(LOG_TYPES).optional(),
  action: z.string().max(200).optional(),
  success: z.enum(['true', 'false']).optional(),
  q: z.string().max(500).optional().openapi({ description: 'text contained in the statement, object or original record (case-insensitive)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export const EventSummary = z.object({
  eventId: z.string(), time: z.string(), logType: z.string(), account: z.string(), region: z.string(), service: z.string(),
  cluster: z.string(), database: z.string().nullable(), user: z.string().nullable(), action: z.string(),
  object: z.string().nullable(), success: z.boolean().nullable(), errorCode: z.string().nullable(),
  remoteHost: z.string().nullable(), statement: z.string().nullable(),
}).openapi('EventSummary');

export const SearchResult = z.object({
  events: z.array(EventSummary),
  nextCursor: z.string().nullable(),
}).openapi('SearchResult');

export const EventDetail = EventSummary.extend({
  sourceFormat: z.string(), session: z.string().nullable(), remotePort: z.string().nullable(),
  details: z.unknown(), raw: z.string(), sourceObject: z.string(), sourceLine: z.number().nullable(),
}).openapi('EventDetail');

export const QueryBody = z.object({
  sql: z.string().min(1).max(20_000).openapi({ example: 'select account, count(*) n from events group by 1' }),
  maxRows: z.number().int().min(1).max(10_000).optional(),
}).openapi('QueryRequest');

export const QueryResponse = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean(),
  ms: z.number(),
}).openapi('QueryResult');

export const MonthParam = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).openapi({ param: { name: 'month', in: 'path' }, example: '2026-10' }) });
export const ReportQuery = z.object({
  format: z.enum(['json', 'html', 'pdf']).default('json'),
  account: AccountId.optional(),
  framework: z.enum(['pci-dss', 'soc2', 'hipaa', 'gxp', 'none']).default('pci-dss'),
});

export const DatabaseStatus = z.object({
  account: z.string(), region: z.string(), service: z.string(), name: z.string(),
  events: z.number(), lastRecordAt: z.string().nullable(), silentMinutes: z.number().nullable(), silent: z.boolean(),
  workflow: z.object({ step: z.string(), lastError: z.string().nullable(), enabledAt: z.string().nullable(), lastDriftCheckAt: z.string().nullable(), drift: z.boolean() }).nullable(),
}).openapi('DatabaseStatus');

export const VerifyStatus = z.object({
  state: z.enum(['never', 'running', 'done', 'failed']),
  startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
  ok: z.boolean().nullable(), summary: z.string().nullable(),
  digests: z.object({ valid: z.number(), total: z.number() }).nullable(),
  objects: z.object({ valid: z.number(), total: z.number() }).nullable(),
  problems: z.number().nullable(),
}).openapi('VerifyStatus');

export const IntakeAccepted = z.object({
  accepted: z.boolean().openapi({ description: 'false when this event id was accepted before (nothing new started)' }),
  eventId: z.string(),
  workflowId: z.string().nullable(),
  ignored: z.string().nullable().openapi({ description: 'why no workflow was started (not a create event)' }),
}).openapi('IntakeAccepted');

export const WorkflowParam = z.object({ id: z.string().regex(/^wf_[a-f0-9]{24}$/).openapi({ param: { name: 'id', in: 'path' } }) });
export const Workflow = z.object({
  id: z.string(), account: z.string(), region: z.string(), kind: z.enum(['rds', 'redshift']), resource: z.string(),
  database: z.string(), step: z.string(), createdAt: z.string(), eventIds: z.array(z.string()),
  history: z.array(z.object({ time: z.string(), event: z.string(), ok: z.boolean(), message: z.string() })),
}).openapi('Workflow');
