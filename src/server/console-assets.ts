/**
 * @module
 * The web console's static files (bundled at build time by scripts/build-console.mjs into dist/console/), read once
 * into memory and served with a strict Content-Security-Policy. They hold no audit data: the page signs in with a
 * token and then calls the API, so they are the one thing served without authentication besides /healthz.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ServerEnv } from './context.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function consoleRoutes(app: OpenAPIHono<ServerEnv>, dir: string): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const f of readdirSync(dir)) {
    const type = TYPES[extname(f)];
    if (type) files.set(f, { body: readFileSync(join(dir, f)), type });
  }
  const send = (name: string) => (c: Context<ServerEnv>) => {
    const f = files.get(name);
    if (!f) return c.notFound();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', name === 'index.html' ? 'no-cache' : 'public, max-age=300');
    return c.body(new Uint8Array(f.body), 200, { 'Content-Type': f.type });
  };
  app.get('/', send('index.html'));
  app.get('/console/:file', (c) => send(c.req.param('file'))(c));
}
