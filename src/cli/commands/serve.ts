import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { intFlag } from '../int-flag.js';
import { homeFlag } from '../main.js';

interface ServeOpts {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  fleet?: string;
  oidcIssuer?: string;
  oidcAudience?: string;
  oidcJwks?: string;
  rateLimit: string;
  maxBody: string;
  queryRows: string;
  queryTimeout: string;
  rdsUrlTemplate?: string;
  rdsPasswordEnv?: string;
  redshiftBucket?: string;
}

/** dist/console when compiled (dist/src/cli/commands → dist/console), also found when run from src through tsx. */
function consoleDir(): string | undefined {
  for (const rel of ['../../../console/', '../../../dist/console/']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${p}index.html`)) return p;
  }
  return undefined;
}

export function register(program: Command): void {
  program.command('serve')
    .description('Run the Audit Log API and the web console (search, SQL, reports, database status, intake of database-created events)')
    .option('--listen <host:port>', 'address to listen on (plain HTTP only on loopback)', '127.0.0.1:8443')
    .option('--tls-cert <file>', 'PEM certificate (with --tls-key: HTTPS)')
    .option('--tls-key <file>', 'PEM private key')
    .option('--fleet <file>', 'fleet file: retry/drift/silence/webhook settings for intake workflows (and databases to watch)')
    .option('--oidc-issuer <url>', 'also accept OIDC JWTs from this issuer (with --oidc-audience and --oidc-jwks)')
    .option('--oidc-audience <aud>', 'expected JWT audience')
    .option('--oidc-jwks <url>', 'JWKS URL of the issuer')
    .option('--rate-limit <n>', 'requests per minute per token', '1200')
    .option('--max-body <bytes>', 'largest request body', String(1024 * 1024))
    .option('--query-rows <n>', 'rows a /query answer holds at most', '5000')
    .option('--query-timeout <ms>', 'time limit of one query', '30000')
    .option('--rds-url-template <tpl>', 'URL of intake-announced RDS instances: {engine} {endpoint} {port} {id} {user}')
    .option('--rds-password-env <var>', 'environment variable with the RDS master password')
    .option('--redshift-bucket <bucket>', 'S3 bucket for Redshift audit logging of intake-announced clusters')
    .addHelpText('after', `
Sign in to the console at the printed URL with a token from \`auditlake tokens create\`.
API reference: <url>/api/openapi.json (OpenAPI 3.1). Health: <url>/healthz. Metrics: <url>/metrics (token needed).

Examples:
  auditlake tokens create --scope all --role admin
  auditlake serve --home ./demo-home
  auditlake serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --fleet fleet.yaml`)
    .action(async (opts: ServeOpts, cmd: Command) => {
      if (!!opts.tlsCert !== !!opts.tlsKey) throw new AuditlakeError('E_USAGE', 'serve: --tls-cert and --tls-key go together');
      const oidcSet = [opts.oidcIssuer, opts.oidcAudience, opts.oidcJwks].filter(Boolean).length;
      if (oidcSet !== 0 && oidcSet !== 3) throw new AuditlakeError('E_USAGE', 'serve: --oidc-issuer, --oidc-audience and --oidc-jwks go together');
      const limits = {
        perMinute: intFlag('serve', '--rate-limit', opts.rateLimit, 1), bodyBytes: intFlag('serve', '--max-body', opts.maxBody, 1024),
        queryRows: intFlag('serve', '--query-rows', opts.queryRows, 1), queryMs: intFlag('serve', '--query-timeout', opts.queryTimeout, 100),
      };
      const [{ parseListen }, { startServer }, { openHomeLake }, { homeLakeKey }, { openHomeVault }, { loadFleetConfig }] = await Promise.all([
        import('../../server/listen-address.js'), import('../../server/start-server.js'), import('../open-home-lake.js'),
        import('../../sinks/lake/home-lake-key.js'), import('../../sinks/vault/open-home-vault.js'), import('../../config/fleet.js'),
      ]);
      const listen = parseListen(opts.listen);
      const home = resolveHome(homeFlag(cmd));
      const tls = opts.tlsCert && opts.tlsKey ? { cert: await readFile(opts.tlsCert), key: await readFile(opts.tlsKey) } : undefined;
      if (opts.fleet) loadFleetConfig(opts.fleet); // fail early on a bad fleet file
      const lake = await openHomeLake(home);
      const server = await startServer({
        home, lake, masterKey: await homeLakeKey(home), vault: await openHomeVault(home), listen, limits, consoleDir: consoleDir(),
        ...(process.env.AUDITLAKE_CHROMIUM ? { chromium: process.env.AUDITLAKE_CHROMIUM } : {}),
        ...(tls ? { tls } : {}),
        ...(opts.fleet ? { fleet: () => loadFleetConfig(opts.fleet!) } : {}),
        ...(oidcSet === 3 ? { oidc: { issuer: opts.oidcIssuer!, audience: opts.oidcAudience!, jwksUrl: opts.oidcJwks! } } : {}),
        aws: { urlTemplate: opts.rdsUrlTemplate, passwordEnv: opts.rdsPasswordEnv, redshiftBucket: opts.redshiftBucket },
      });
      process.stdout.write(`auditlake serve: listening on ${server.url} (console ${server.ctx.consoleDir ? server.url + '/' : 'not built'}; API ${server.url}/api/v1; OpenAPI ${server.url}/api/openapi.json)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', () => resolve());
        process.once('SIGINT', () => resolve());
      });
      process.stderr.write('auditlake serve: stopping…\n');
      try {
        await server.close();
      } finally {
        await lake.close();
      }
    });
}
