import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AuditlakeError } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { parseTime } from '../../core/duration.js';
import { parsePublicKeys, PUBLIC_KEY_FILE, readHomePublicKeys } from '../../sinks/vault/integrity/signing-key.js';
import { intFlag } from '../int-flag.js';
import { homeFlag } from '../main.js';
import { join } from 'node:path';

interface VerifyOpts {
  from?: string;
  to?: string;
  publicKey?: string;
  store?: string;
  exportPublicKey?: boolean;
  verbose?: boolean;
  json?: boolean;
  concurrency: string;
  state: boolean;
  flush?: boolean;
  expectHead?: string;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('Verify the vault: walk the signed digest chain and re-hash every object it lists (exit 1 on any finding)')
    .option('--from <time>', 'only digests/objects from this UTC time (ISO, e.g. 2026-11-01 or 2026-11-01T13:00:00Z)')
    .option('--to <time>', 'only digests/objects up to this UTC time')
    .option('--public-key <file>', `PEM file with the digest public key(s) (default: <home>/keys/${PUBLIC_KEY_FILE})`)
    .option('--store <location>', 'another vault store (directory or s3://bucket/prefix; then <home>/state is not used); default <home>/vault')
    .option('--no-state', 'ignore the recorder state under <home>/state (verify as an auditor holding only the store and public key)')
    .option('--concurrency <n>', 'parallel object reads while hashing', '4')
    .option('--verbose', 'also print valid digests and objects')
    .option('--json', 'print the full report as JSON')
    .option('--export-public-key', 'print the digest public key (PEM) for auditors and exit')
    .option('--flush', 'first write the digests of every finished period (needs the signing key under <home>/keys)')
    .option('--expect-head <sha256>', 'a chain head you kept (printed by ingest and verify): fail unless the chain still holds it (detects a cut-off newest end or a rolled-back vault)')
    .addHelpText('after', `
Examples:
  auditlake verify                                     whole vault, exits 1 on any finding
  auditlake verify --from 2026-11-01 --to 2026-11-30   one month
  auditlake verify --flush                             close finished periods first, then verify
  auditlake verify --expect-head 3f1c…                 the head printed by the last ingest must still be there
  auditlake verify --export-public-key > auditlake-digest.pub.pem
  auditlake verify --store s3://audit-vault/prod --public-key auditlake-digest.pub.pem --no-state

Output lines are "<Digest file|Vault object>\\t<key>\\t<status>", then a summary:
  8/8 digest files valid
  21/21 vault objects valid; 0 authorised expiries; 0 pending`)
    .action(async (opts: VerifyOpts, cmd: Command) => {
      const home = resolveHome(homeFlag(cmd));
      if (opts.exportPublicKey) {
        const path = join(home.keys, PUBLIC_KEY_FILE);
        const pem = await readFile(path, 'utf8').catch((err: unknown) => {
          throw new AuditlakeError('E_NOT_FOUND', `verify: no digest public key at ${path} (no digest has been signed in this home yet)`, { cause: err });
        });
        process.stdout.write(pem);
        return;
      }
      const concurrency = intFlag('verify', '--concurrency', opts.concurrency, 1);
      // Loaded here, not at the top: every command module is imported for `auditlake --help`.
      const [{ formatVerifyReport }, { openDigestRecorder }, { verifyVault }, { openStore }] = await Promise.all([
        import('../../sinks/vault/integrity/format-verify.js'),
        import('../../sinks/vault/integrity/open-recorder.js'),
        import('../../sinks/vault/integrity/verify-vault.js'),
        import('../../stores/open-store.js'),
      ]);
      const store = openStore(opts.store ?? home.vault);
      if (opts.flush) {
        const written = await (await openDigestRecorder({ home, store })).flush();
        process.stderr.write(`verify: wrote ${written.length} digest file(s)\n`);
      }
      const publicKeys = opts.publicKey ? parsePublicKeys(await readFile(opts.publicKey, 'utf8'), opts.publicKey) : await readHomePublicKeys(home.keys);
      const report = await verifyVault({
        store,
        publicKeys,
        // The home's recorder state describes the home's vault only: not used for another --store.
        ...(opts.state && !opts.store ? { stateDir: home.state } : {}),
        ...(opts.from ? { from: parseTime(opts.from, 'verify: --from') } : {}),
        ...(opts.to ? { to: parseTime(opts.to, 'verify: --to') } : {}),
        ...(opts.expectHead ? { expectHead: expectHeadFlag(opts.expectHead) } : {}),
        concurrency,
      });
      if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(formatVerifyReport(report, { storeUrl: store.url, from: opts.from, to: opts.to, verbose: opts.verbose, ...(opts.expectHead ? { expectHead: opts.expectHead } : {}) }));
      if (report.problems > 0) throw new AuditlakeError('E_INTEGRITY', `verify: ${report.problems} finding(s) in ${store.url}`);
    });
}

function expectHeadFlag(v: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new AuditlakeError('E_USAGE', `verify: --expect-head must be the 64-hex-digit SHA-256 printed as "Chain head", not ${JSON.stringify(v)}`);
  return v.toLowerCase();
}
