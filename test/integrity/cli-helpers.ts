import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/repo-root.js';
import { buildVault, HOUR } from './vault-fixture.js';

/** Runs the built CLI (`npm test` builds first) with a clean environment apart from PATH. */
export function cli(home: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/auditlake.js'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', AUDITLAKE_DIGEST_PERIOD: '1h' },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A vault whose 8 hourly periods ended just before now, signed with the home's key. */
export const recent = () => buildVault({ homeKeys: true, t0: Math.floor(Date.now() / HOUR) * HOUR - 9 * HOUR });

