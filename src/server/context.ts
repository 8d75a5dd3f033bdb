/**
 * @module
 * Everything a route needs, built once by startServer (src/server/start-server.ts) and passed down; routes never
 * read configuration or the environment themselves.
 */
import type { HomeLayout } from '../core/home.js';
import type { OpenedLake } from '../sinks/lake/index.js';
import type { ApiAuditLog } from './audit/api-audit.js';
import type { OidcVerifier } from './auth/oidc.js';
import type { Principal } from './auth/principal.js';
import type { RateLimiter } from './auth/rate-limit.js';
import type { TokenStore } from './auth/token-store.js';
import type { IntakeService } from './intake/intake-service.js';
import type { ServerMetrics } from './metrics.js';
import type { ScopedEngines } from './scoped-engines.js';
import type { VerifyService } from './routes/verify-service.js';

export interface ServerLimits {
  /** Largest request body accepted, bytes. */
  bodyBytes: number;
  /** Rows a /query answer holds at most. */
  queryRows: number;
  /** Wall time a /query may run, ms. */
  queryMs: number;
  /** Requests per minute per principal. */
  perMinute: number;
}

export interface ServerContext {
  home: HomeLayout;
  lake: OpenedLake;
  engines: ScopedEngines;
  tokens: TokenStore;
  oidc?: OidcVerifier;
  rateLimiter: RateLimiter;
  metrics: ServerMetrics;
  audit: ApiAuditLog;
  intake: IntakeService;
  verify: VerifyService;
  limits: ServerLimits;
  /** Directory of the bundled console (index.html, app.js, app.css); absent = API only. */
  consoleDir?: string;
  /** Chromium binary for PDF reports (the CLI passes AUDITLAKE_CHROMIUM); absent = Debian's /usr/bin/chromium. */
  chromium?: string;
  now: () => number;
}

/** Hono variables set by the middleware. */
export interface ServerEnv {
  Variables: {
    principal: Principal | null;
    requestId: string;
    /** Request parameters for the self-audit record (secrets already removed). */
    auditParams: Record<string, unknown>;
    auditEventName: string;
    /** The error onError answered with (the audit record's errorCode). */
    error: unknown;
  };
}
