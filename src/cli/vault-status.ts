import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeLayout } from '../core/home.js';
import { PUBLIC_KEY_FILE, readHomePublicKeys } from '../sinks/vault/integrity/signing-key.js';
import { verifyVault } from '../sinks/vault/integrity/verify-vault.js';
import type { VaultStatus } from '../report/frameworks.js';
import { CONFIG_FILE, loadConfig, retentionStatus } from '../retention/index.js';
import { openStore } from '../stores/open-store.js';

/**
 * What the home's vault can evidence for the report: the digest-chain verification (only when a vault with
 * signed digests exists) and the retention rules (only when retention was configured). Absent parts make
 * the report's checks say "not-evidenced" instead of guessing.
 */
export async function homeVaultStatus(home: HomeLayout, opts: { verify: boolean; onStep?: (s: string) => void }): Promise<VaultStatus> {
  const status: VaultStatus = {};
  if (existsSync(join(home.root, CONFIG_FILE))) status.retention = retentionStatus(await loadConfig(home.root));
  if (opts.verify && existsSync(join(home.keys, PUBLIC_KEY_FILE)) && (home.remote !== undefined || existsSync(home.vault))) {
    opts.onStep?.('verifying the vault digest chain');
    const report = await verifyVault({ store: openStore(home.vault), publicKeys: await readHomePublicKeys(home.keys), stateDir: home.state });
    status.verify = {
      ok: report.problems === 0,
      verified: report.objects.valid,
      summary: `auditlake verify at ${new Date().toISOString()}: ${report.digests.valid}/${report.digests.total} digest files valid, ${report.objects.valid}/${report.objects.total} objects in a signed digest and unaltered` +
        `${report.objects.expired ? `, ${report.objects.expired} authorised expiries` : ''}${report.objects.pending ? `, ${report.objects.pending} not yet in a digest` : ''}; ${report.problems} finding(s).`,
    };
  }
  return status;
}
