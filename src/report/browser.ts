import { existsSync } from 'node:fs';
import { AuditlakeError } from '../core/errors.js';

/**
 * Debian's Chromium (apt-get install chromium); playwright-core never downloads a browser. `configured` is the
 * path the caller was given (the CLI passes AUDITLAKE_CHROMIUM), tried first.
 */
export function chromiumPath(configured?: string): string {
  const candidates = [configured, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new AuditlakeError('E_IO', `report: no Chromium found (tried ${candidates.join(', ')}); install Debian's package: apt-get install -y chromium, or set AUDITLAKE_CHROMIUM`);
  }
  return found;
}

/** Flags that keep headless Chromium off the network and quiet on a locked-down machine. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
