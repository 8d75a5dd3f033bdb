import { runBinSync } from '../helpers/cli.js';
import { buildVault, HOUR } from './vault-fixture.js';

/** Runs the built CLI (`npm test` builds first) with a clean environment apart from PATH. */
export function cli(home: string, ...args: string[]): { code: number; out: string; err: string } {
  return runBinSync(home, args, { env: { AUDITLAKE_DIGEST_PERIOD: '1h' } });
}

/** A vault whose 8 hourly periods ended just before now, signed with the home's key. */
export const recent = () => buildVault({ homeKeys: true, t0: Math.floor(Date.now() / HOUR) * HOUR - 9 * HOUR });

