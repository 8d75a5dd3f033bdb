/**
 * @module
 * Shared OpenAPI fragments: JSON responses, the error responses every secured route has, the bearer requirement.
 */
import type { z } from '@hono/zod-openapi';
import { ErrorBody } from '../schemas.js';

export const secured = [{ bearer: [] as string[] }];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const errors = {
  400: json(ErrorBody, 'invalid request (names the field)'),
  401: json(ErrorBody, 'no, unknown, revoked or expired token'),
  403: json(ErrorBody, 'the role or account scope does not allow this'),
  429: json(ErrorBody, 'rate limit reached (Retry-After says when to retry)'),
};
