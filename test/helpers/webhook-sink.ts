import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP endpoint that records every JSON body POSTed to it (the watcher's alert webhook in tests). */
export interface WebhookSink {
  /** `http://127.0.0.1:<port>` + `path`. */
  url: string;
  /** Parsed bodies, in arrival order. */
  hooks: Array<Record<string, string>>;
  close(): Promise<void>;
}

/** Starts the sink on a free port; it answers every request with `status` (default 200). */
export async function startWebhookSink(opts: { path?: string; status?: number } = {}): Promise<WebhookSink> {
  const hooks: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      hooks.push(JSON.parse(body) as Record<string, string>);
      res.writeHead(opts.status ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${opts.path ?? '/'}`,
    hooks,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
