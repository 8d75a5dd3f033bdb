/**
 * @module
 * Builds the server's context (engines, tokens, intake, fleet watcher, self-audit, metrics), starts the Node
 * listener (HTTPS with --tls-cert/--tls-key, plain HTTP on loopback only) and the background loops: the fleet
 * watcher that runs intake workflows and the self-audit flusher.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { errorMessage } from '../core/errors.js';
import type { HomeLayout } from '../core/home.js';
import { parseFleetConfig, type FleetConfig, type FleetDatabase } from '../config/fleet.js';
import type { EnableResult } from '../sources/postgres/enable-result.js';
import { createWatcher, type Watcher } from '../fleet/watcher.js';
import type { OpenedLake } from '../sinks/lake/index.js';
import type { Vault } from '../sinks/vault/vault.js';
import { createApp } from './app.js';
import { createApiAuditLog } from './audit/api-audit.js';
import { createOidcVerifier, type OidcOptions } from './auth/oidc.js';
import { createRateLimiter } from './auth/rate-limit.js';
import { openTokenStore } from './auth/token-store.js';
import type { ServerContext, ServerLimits } from './context.js';
import { createIntakeService, type ResolveTarget } from './intake/intake-service.js';
import { createAwsResolver, type AwsResolveOptions } from './intake/resolve-aws.js';
import { checkPlainHttpAllowed, type ListenAddress } from './listen-address.js';
import { createServerMetrics } from './metrics.js';
import { createVerifyService } from './routes/verify-service.js';
import { createScopedEngines } from './scoped-engines.js';

export const DEFAULT_LIMITS: ServerLimits = { bodyBytes: 1024 * 1024, queryRows: 5000, queryMs: 30_000, perMinute: 1200 };

export interface StartServerOptions {
  home: HomeLayout;
  lake: OpenedLake;
  /** The lake's Parquet master key (null = plaintext lake). */
  masterKey: Buffer | null;
  /** Where self-audit records are sealed (null = no keyring: lake only). */
  vault: Vault | null;
  listen: ListenAddress;
  tls?: { cert: string | Buffer; key: string | Buffer };
  oidc?: OidcOptions;
  limits?: Partial<ServerLimits>;
  /** Fleet settings for intake workflows (retry, drift, silence, webhook); default the fleet defaults. */
  fleet?: () => FleetConfig;
  aws?: AwsResolveOptions;
  /** Bundled console directory (absent: API only). */
  consoleDir?: string;
  /** Chromium binary for PDF reports (default Debian's /usr/bin/chromium). */
  chromium?: string;
  /** Self-audit flush interval, ms (default 5000). */
  flushMs?: number;
  /** Seams for tests: how a workflow's database is reached (default RDS/Redshift APIs), and how it is enabled. */
  resolve?: ResolveTarget;
  enable?: (db: FleetDatabase, url: string) => Promise<EnableResult>;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  watcher: Watcher;
  close(): Promise<void>;
}

export async function startServer(o: StartServerOptions): Promise<RunningServer> {
  checkPlainHttpAllowed(o.listen, !!o.tls);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const fleetConfig = o.fleet ?? (() => ({ ...parseFleetConfig(''), pollSeconds: 5 }));
  const watcher = createWatcher({ home: o.home, loadConfig: fleetConfig, lake: o.lake, discover: () => intake.discover(), enable: o.enable, onOutcome: (x) => log(`serve: workflow ${x.database} ${x.event} ${x.ok ? 'ok' : 'FAIL'} ${x.message}`) });
  const intake = createIntakeService({ stateDir: o.home.state, fleet: watcher.store, resolve: o.resolve ?? createAwsResolver(o.aws ?? {}) });
  const audit = createApiAuditLog({ stateDir: o.home.state, lake: o.lake, vault: o.vault });
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const ctx: ServerContext = {
    home: o.home, lake: o.lake, tokens: openTokenStore(o.home), audit, intake, limits,
    engines: createScopedEngines({ root: o.lake.root, masterKey: o.masterKey, tmpDir: o.home.tmp }),
    ...(o.oidc ? { oidc: createOidcVerifier(o.oidc) } : {}),
    rateLimiter: createRateLimiter(limits.perMinute),
    metrics: createServerMetrics({
      lakeRows: () => o.lake.manifest().files.reduce((s, f) => s + f.rows, 0),
      lakeLagMs: () => { const m = o.lake.manifest(); return m.generation ? Date.now() - Date.parse(m.updatedAt) : null; },
      auditPending: () => audit.pending(),
    }),
    verify: createVerifyService(o.home),
    consoleDir: o.consoleDir,
    ...(o.chromium ? { chromium: o.chromium } : {}),
    now: Date.now,
  };
  const app = createApp(ctx, watcher.store);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({
      fetch: app.fetch, hostname: o.listen.host, port: o.listen.port,
      ...(o.tls ? { createServer: createHttpsServer, serverOptions: { cert: o.tls.cert, key: o.tls.key } } : {}),
    }, () => resolve(s));
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${o.tls ? 'https' : 'http'}://${host}:${addr.port}`;

  const watching = watcher.run();
  const flushMs = o.flushMs ?? 5000;
  const flushLoop = setInterval(() => {
    audit.flush().then((n) => (n > 0 ? o.lake.maybeCompact({ minSmallFiles: 32 }) : null)).catch((err: unknown) => {
      ctx.metrics.errors.inc({ error_type: 'flush', stage: 'self-audit' });
      log(`serve: self-audit flush failed (records stay journaled and are retried): ${errorMessage(err)}`);
    });
  }, flushMs);
  flushLoop.unref();

  return {
    url, ctx, watcher,
    async close() {
      clearInterval(flushLoop);
      const closed = new Promise<void>((r) => server.close(() => r()));
      // keep-alive sockets (browsers, the bench's clients) would hold close() open
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await watcher.stop();
      await watching;
      await audit.flush().catch((err: unknown) => log(`serve: final self-audit flush failed: ${errorMessage(err)}`));
      intake.close();
      await ctx.engines.close();
    },
  };
}
