/**
 * @module
 * The server's vault verification: the last result (kept in `<home>/state/server-verify.json`, so it survives a
 * restart) and one background run at a time, started by an admin through POST /api/v1/verify.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../buffer/atomic-file.js';
import { errorMessage } from '../../core/errors.js';
import type { HomeLayout } from '../../core/home.js';
import { PUBLIC_KEY_FILE, readHomePublicKeys } from '../../sinks/vault/integrity/signing-key.js';
import { verifyVault } from '../../sinks/vault/integrity/verify-vault.js';
import type { VaultStatus } from '../../report/frameworks.js';
import { openStore } from '../../stores/open-store.js';

export interface VerifyState {
  state: 'never' | 'running' | 'done' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  ok: boolean | null;
  summary: string | null;
  digests: { valid: number; total: number } | null;
  objects: { valid: number; total: number } | null;
  problems: number | null;
}

export interface VerifyService {
  status(): VerifyState;
  /** Starts a run unless one is running; resolves when it has finished (the route does not wait). */
  start(): Promise<VerifyState>;
  /** What the report's integrity checks read: the last finished run. */
  vaultStatus(): VaultStatus;
}

const NEVER: VerifyState = { state: 'never', startedAt: null, finishedAt: null, ok: null, summary: null, digests: null, objects: null, problems: null };

export function createVerifyService(home: HomeLayout, now: () => number = Date.now): VerifyService {
  const file = join(home.state, 'server-verify.json');
  let current: VerifyState = readJsonFile<VerifyState>(file) ?? NEVER;
  if (current.state === 'running') current = { ...current, state: 'failed', summary: 'interrupted (the server stopped during the run)' };
  let running: Promise<VerifyState> | null = null;
  const save = (s: VerifyState) => {
    current = s;
    writeFileAtomic(file, JSON.stringify(s));
    return s;
  };

  async function run(): Promise<VerifyState> {
    const startedAt = new Date(now()).toISOString();
    save({ ...NEVER, state: 'running', startedAt });
    try {
      if (!existsSync(join(home.keys, PUBLIC_KEY_FILE)) || !existsSync(home.vault)) {
        return save({ ...NEVER, state: 'done', startedAt, finishedAt: new Date(now()).toISOString(), ok: null, summary: 'no vault with signed digests in this home (set up keys and ingest with a keyring)' });
      }
      const r = await verifyVault({ store: openStore(home.vault), publicKeys: await readHomePublicKeys(home.keys), stateDir: home.state });
      return save({
        state: 'done', startedAt, finishedAt: new Date(now()).toISOString(), ok: r.problems === 0, problems: r.problems,
        digests: { valid: r.digests.valid, total: r.digests.total }, objects: { valid: r.objects.valid, total: r.objects.total },
        summary: `${r.digests.valid}/${r.digests.total} digest files valid, ${r.objects.valid}/${r.objects.total} objects unaltered; ${r.problems} finding(s)`,
      });
    } catch (err) {
      return save({ ...NEVER, state: 'failed', startedAt, finishedAt: new Date(now()).toISOString(), ok: false, summary: errorMessage(err) });
    }
  }

  return {
    status: () => current,
    start() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    vaultStatus() {
      if (current.state !== 'done' || current.ok === null) return {};
      return { verify: { ok: current.ok, verified: current.objects?.valid ?? 0, summary: `auditlake verify at ${current.finishedAt}: ${current.summary}.` } };
    },
  };
}
