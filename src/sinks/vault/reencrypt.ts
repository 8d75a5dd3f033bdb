import { writeFile } from 'node:fs/promises';
import { AuditlakeError } from '../../core/errors.js';
import { openJournal, type Journal, type JournalEntry } from './reencrypt-journal.js';
import { refusedReport, takeInventory } from './reencrypt-inventory.js';
import { prove } from './reencrypt-prove.js';
import { rewriteAll } from './reencrypt-rewrite.js';
import type { ReencryptOptions, ReencryptReport, RunContext } from './reencrypt-types.js';

export type { ObjectStatus, ReencryptObjectReport, ReencryptOptions, ReencryptReport } from './reencrypt-types.js';

/**
 * Re-encrypts (or re-wraps) every vault object under `toKey`, resumable and proven:
 *  1. inventory — decrypt and verify every object, journal its plaintext SHA-256 (refuse if any is unreadable);
 *  2. rewrite — per object: write a staging copy, verify it decrypts to the same SHA-256, only then replace the
 *     old copy (delete, copy staging, verify again), then drop the staging copy; each step journalled;
 *  3. prove — decrypt every object again and compare count and every SHA-256 with step 1.
 * Refuses (ok=false, old copies kept) on any difference. A crash at any point resumes from the journal.
 */
export async function reencryptVault(opts: ReencryptOptions): Promise<ReencryptReport> {
  const journal = await openJournal(opts.journalPath);
  const { ctx, resumed } = await startRun(opts, journal);
  const inv = await takeInventory(ctx);
  if (inv.unreadable.size > 0) {
    // Nothing was changed yet: refuse, keep every copy, and let the next run start afresh.
    const moved = await journal.close(`refused-${stamp()}`);
    return finish(refusedReport(ctx, inv, resumed, moved));
  }
  const failures = await rewriteAll(ctx, inv.before);
  const report = await prove(ctx, inv.before, failures, resumed);
  // On success the journal is moved aside; on failure it stays so a rerun retries the failed objects.
  if (report.ok) report.journal = await journal.close(`done-${stamp()}`);
  return finish(report);
}

/** Checks the options against an unfinished run in the journal and the target key; journals the start. */
async function startRun(opts: ReencryptOptions, journal: Journal): Promise<{ ctx: RunContext; resumed: boolean }> {
  const { store, keyring } = opts;
  const mode = opts.rewrapOnly ? 'rewrap' : 'reencrypt';
  const started = journal.entries.find((e): e is Extract<JournalEntry, { t: 'start' }> => e.t === 'start');
  if (started && (started.store !== store.url || started.to !== opts.toKey || started.mode !== mode || started.from !== (opts.fromKey ?? null))) {
    throw new AuditlakeError('E_USAGE', `reencrypt: an unfinished run on ${started.store} to ${started.to} (${started.mode}${started.from ? `, from ${started.from}` : ''}) is recorded in ${journal.path}; finish it first with the same options`);
  }
  const target = await keyring.describe(opts.toKey);
  if (!target.enabled) throw new AuditlakeError('E_KEY', `reencrypt: target key ${opts.toKey} (${target.keyId}) is disabled`);
  const fromKeyId = opts.fromKey ? (await keyring.describe(opts.fromKey)).keyId : null;
  if (!started) await journal.append({ t: 'start', store: store.url, to: opts.toKey, toKeyId: target.keyId, from: opts.fromKey ?? null, mode, at: new Date().toISOString() });
  return { ctx: { opts, store, keyring, digest: opts.digest, mode, journal, target, fromKeyId }, resumed: !!started };
}

async function finish(report: ReencryptReport): Promise<ReencryptReport> {
  await writeFile(`${report.journal}.report.json`, JSON.stringify(report, null, 2) + '\n');
  return report;
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}
