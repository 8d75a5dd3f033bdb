import { join } from 'node:path';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { homeFlag } from '../main.js';

export function register(program: Command): void {
  program
    .command('reencrypt')
    .description('Move every vault object to another customer key, resumably, and prove count and plaintext SHA-256 unchanged')
    .requiredOption('--to <key>', 'target key id or alias, e.g. alias/RedshiftAuditKey2026')
    .option('--from <key>', 'only objects now under this key (default: every object not already under --to)')
    .option('--rewrap-only', 'only re-wrap each data key (fast; frames unchanged) instead of re-encrypting with a fresh data key')
    .option('--store <location>', 'the vault store (directory or s3://bucket/prefix); default <home>/vault')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', `
Re-running after a crash (or kill -9) resumes from <home>/state/reencrypt.journal.jsonl. Old copies are deleted
only after the new copy has been decrypted and matched; any difference makes the run refuse (exit 1).
Pause ingest while it runs: objects that appear mid-run are reported as ADDED and fail the proof.

Examples:
  auditlake keys create --alias alias/RedshiftAuditKey2026
  auditlake reencrypt --to alias/RedshiftAuditKey2026
  auditlake reencrypt --to alias/RedshiftAuditKey2026 --from alias/RedshiftAuditKey --rewrap-only
  auditlake keys disable alias/RedshiftAuditKey        once the report says VERIFIED`)
    .action(async (o: { to: string; from?: string; rewrapOnly?: boolean; store?: string; json?: boolean }, cmd: Command) => {
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ openDigestRecorder }, { openKeyring }, { openStore }, { formatReencryptReport }, { rewrapHomeLakeKey }, { reencryptVault }] = await Promise.all([
        import('../../sinks/vault/integrity/open-recorder.js'),
        import('../../keyring/open-keyring.js'),
        import('../../stores/open-store.js'),
        import('../../sinks/vault/format-reencrypt.js'),
        import('../../keyring/lake-key.js'),
        import('../../sinks/vault/reencrypt.js'),
      ]);
      const home = resolveHome(homeFlag(cmd));
      // No ingest may write new objects under the old key while the vault moves to the new one.
      const { lockHome } = await import('../../buffer/home-lock.js');
      const unlock = await lockHome(home.root, { command: 'reencrypt' });
      try {
        await reencryptHome();
      } finally {
        await unlock();
      }
      async function reencryptHome(): Promise<void> {
      const store = openStore(o.store ?? home.vault);
      const keyring = openKeyring(home);
      const digest = await openDigestRecorder({ home, store });
      const tty = process.stderr.isTTY;
      const report = await reencryptVault({
        store, keyring, digest, toKey: o.to, rewrapOnly: !!o.rewrapOnly, journalPath: join(home.state, 'reencrypt.journal.jsonl'),
        ...(o.from ? { fromKey: o.from } : {}),
        onProgress: (phase, n) => { if (tty) process.stderr.write(`\r${phase}: ${n} objects`); },
      });
      if (tty) process.stderr.write('\r\x1b[K');
      await digest.flush();
      // Everything the run recorded is signed before it reports (verify --no-state is clean right away too).
      await digest.checkpoint();
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + '\n' : formatReencryptReport(report));
      if (report.ok && !o.store && (await rewrapHomeLakeKey(home, keyring, o.to))) {
        process.stdout.write(`lake key: re-wrapped under ${o.to}\n`);
      }
      const def = await keyring.defaultKey();
      if (report.ok && def && !(await keyring.describe(def)).aliases.concat(def).some((n) => n === o.to || n === report.toKeyId)) {
        process.stdout.write(`note: new objects are still wrapped by the default key ${def}; switch with: auditlake keys default ${o.to}\n`);
      }
      if (!report.ok) {
        throw new AuditlakeError('E_INTEGRITY', `reencrypt: refused — ${report.objects.filter((x) => x.status !== 'match').length} object(s) differ or could not be read; old copies kept (journal ${report.journal})`);
      }
      }
    });
}
