/**
 * @module
 * The one place error codes become HTTP statuses and JSON error bodies. Internal errors never echo their message
 * (it may name files or keys); the client gets the request id to quote.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AuditlakeError, type ErrorCode } from '../core/errors.js';

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  E_USAGE: 400, E_QUERY: 400, E_PARSE: 400, E_CONFLICT: 409, E_AUTH: 401, E_FORBIDDEN: 403, E_NOT_FOUND: 404, E_EXISTS: 409,
  E_TIMEOUT: 408, E_LIMIT: 429, E_POLICY: 403, E_INTEGRITY: 409,
};

export function statusFor(err: unknown): ContentfulStatusCode {
  return err instanceof AuditlakeError ? (STATUS[err.code] ?? 500) : 500;
}

export function errorResponse(c: Context, err: unknown, requestId: string): Response {
  const status = statusFor(err);
  const code = err instanceof AuditlakeError ? err.code : 'E_INTERNAL';
  const message = status < 500 && err instanceof AuditlakeError ? err.message : `internal error (request ${requestId})`;
  return c.json({ error: { code, message } }, status);
}
