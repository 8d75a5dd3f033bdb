import { urlOrigin } from '../core/mask-url.js';

export interface FleetAlert {
  type: 'drift' | 'silence' | 'resumed' | 'failed' | 'canary';
  database: string;
  message: string;
  time: string;
}

/**
 * Raises an alert: one line on stderr (always) and a JSON POST to the webhook (when configured). A webhook failure
 * is reported on stderr but never stops the watcher — the alert line is already out. The webhook is named by its
 * origin only: its path or query is often the token.
 */
export async function raiseAlert(a: FleetAlert, webhook: string | undefined, write: (s: string) => void = (s) => process.stderr.write(s)): Promise<void> {
  write(`auditlake watch: ALERT ${a.type} ${a.database}: ${a.message}\n`);
  if (!webhook) return;
  try {
    const res = await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a), signal: AbortSignal.timeout(10_000) });
    if (!res.ok) write(`auditlake watch: webhook ${urlOrigin(webhook)} answered ${res.status}\n`);
  } catch (err) {
    write(`auditlake watch: webhook ${urlOrigin(webhook)} failed: ${(err as Error).message}\n`);
  }
}
