import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AuditlakeError, errorMessage } from '../../core/errors.js';
import { resolveHome } from '../../core/home.js';
import { ingest } from '../../pipeline/ingest.js';
import { createProgressReporter } from '../../pipeline/progress-reporter.js';
import { lockHome } from '../../buffer/home-lock.js';
import type { HomeLayout } from '../../core/home.js';
import { DEFAULT_EXPANSION_LIMITS, type ExpansionLimits } from '../../transforms/decode/decompress.js';
import type { ObjectStore } from '../../core/object-store.js';
import { formatSummary, refusedObjects } from '../../pipeline/summary.js';
import { EXIT_COMPLETED_WITH_REFUSED } from '../exit-codes.js';
import type { Lake } from '../../core/lake.js';
import { openStore } from '../../stores/open-store.js';
import { openHomeVault } from '../../sinks/vault/open-home-vault.js';
import { formatChainHead } from '../chain-head.js';
import { homeFlag } from '../main.js';
import { openHomeLake } from '../open-home-lake.js';

interface IngestFlags {
  verbose?: boolean;
  format: string;
  progress: boolean;
  vault: string;
  prefix?: string;
  workers?: string;
  batchObjects?: string;
  batchMb?: string;
  compact: boolean;
  followSymlinks?: boolean;
  maxObjectMb?: string;
  maxExpansionRatio?: string;
  wait?: boolean;
  account?: string;
  region?: string;
  instance?: string;
}

function positiveInt(flag: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new AuditlakeError('E_USAGE', `ingest: ${flag} "${v}" must be a whole number ≥ ${min}`);
  return Number(v);
}

export function register(program: Command): void {
  program
    .command('ingest')
    .argument('<location>', 'a directory, file:// URL or s3://bucket/prefix holding Redshift audit logs and/or CloudTrail files')
    .description('Ingest new audit log objects into the lake (incremental: objects already ingested are skipped)')
    .option('--verbose', 'list unknown keys in the summary')
    .option('--format <format>', 'summary as text or json', 'text')
    .option('--no-progress', 'no progress bar / progress lines')
    .option('--vault <mode>', 'keep an encrypted evidence copy of every object: auto (when a keyring exists), on, off', 'auto')
    .option('--prefix <prefix>', 'only keys under this prefix (relative to the location)')
    .option('--workers <n>', 'decode worker threads that gunzip, parse and encode rows for the lake; n ≥ 2 also decodes n-1 objects ahead (default 0: decode on the main thread while DuckDB writes Parquet on its own thread — as fast here, and less memory)')
    .option('--batch-objects <n>', 'commit to the lake every n objects (default 1000; also every 256 MB and 30 s)')
    .option('--batch-mb <n>', 'commit once a batch holds n MB of uncompressed log (default 256)')
    .option('--no-compact', 'skip merging small Parquet files after the run')
    .option('--wait', 'if another run holds the home, wait for it to finish instead of stopping')
    .option('--account <id>', 'account id for database logs recognised by content (downloaded postgresql.log.* / server_audit.log* files)')
    .option('--region <region>', 'region for database logs recognised by content')
    .option('--instance <name>', 'database instance for database logs recognised by content (default: the folder holding each file)')
    .option('--follow-symlinks', 'follow symbolic links in a source folder, only to files and folders inside it (default: links are not read)')
    .option('--max-object-mb <n>', `refuse an object that expands past n MB uncompressed (default ${DEFAULT_EXPANSION_LIMITS.maxBytes / 1e6})`)
    .option('--max-expansion-ratio <n>', `refuse an object that expands more than n× (checked past ${DEFAULT_EXPANSION_LIMITS.ratioAfterBytes / 1e6} MB; default ${DEFAULT_EXPANSION_LIMITS.maxRatio})`)
    .addHelpText('after', `
S3: credentials come from the AWS SDK's default chain (env, profile, instance role); a custom endpoint
(MinIO, s3rver) from AUDITLAKE_S3_ENDPOINT or AWS_ENDPOINT_URL_S3, region from AWS_REGION.

Examples:
  auditlake ingest ./logs                                  a folder laid out as AWSLogs/<account>/redshift/…
  auditlake ingest ./rds-downloads --account 111122223333 --region eu-west-1 --instance orders-db
                                                           downloaded postgresql.log.* / server_audit.log* files, by content
  auditlake ingest s3://audit-logs/prod/AWSLogs/           a bucket (only new objects on re-runs)
  auditlake ingest ./logs --verbose --format json          machine-readable summary, unknown keys listed
  auditlake quarantine list                                records that did not parse, with file and line

Exit status: 0 done; ${EXIT_COMPLETED_WITH_REFUSED} done, but some objects were refused (invalid key, not gzip, corrupt,
past the expansion limit: reasons in \`auditlake quarantine list\`) or could not be read (retried next run).`)
    .action(async (location: string, flags: IngestFlags, cmd: Command) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw new AuditlakeError('E_USAGE', `ingest: --format must be text or json, not "${flags.format}"`);
      if (!['auto', 'on', 'off'].includes(flags.vault)) throw new AuditlakeError('E_USAGE', `ingest: --vault must be auto, on or off, not "${flags.vault}"`);
      const workers = positiveInt('--workers', flags.workers, 0);
      const maxObjects = positiveInt('--batch-objects', flags.batchObjects);
      const batchMb = positiveInt('--batch-mb', flags.batchMb);
      const maxObjectMb = positiveInt('--max-object-mb', flags.maxObjectMb);
      const maxRatio = positiveInt('--max-expansion-ratio', flags.maxExpansionRatio);
      const limits = {
        ...DEFAULT_EXPANSION_LIMITS,
        ...(maxObjectMb ? { maxBytes: maxObjectMb * 1e6 } : {}),
        ...(maxRatio ? { maxRatio } : {}),
      };
      const home = resolveHome(homeFlag(cmd));
      const notRegular: { key: string; reason: string }[] = [];
      const store = openStore(location, {
        ...(flags.followSymlinks ? { followSymlinks: true } : {}),
        onNotRegular: (key, reason) => void notRegular.push({ key, reason }),
      });
      if (store.url.startsWith('file:')) {
        // A typo must not look like "nothing new to ingest".
        const dir = fileURLToPath(store.url);
        const st = await stat(dir).catch(() => null);
        if (!st?.isDirectory()) throw new AuditlakeError('E_NOT_FOUND', `ingest: ${dir} ${st ? 'is not a directory' : 'does not exist'}`);
      }
      const unlock = await lockHome(home.root, {
        command: 'ingest',
        wait: !!flags.wait,
        onWait: (h) => process.stderr.write(`auditlake: ingest: waiting for pid ${h.pid} on ${h.host} (${h.command} started ${h.startedAt}) to release ${home.root}\n`),
      });
      try {
        await run(home, store, flags, { workers, maxObjects, batchMb, limits, notRegular });
      } finally {
        await unlock();
      }
    });
}

interface RunSettings {
  workers: number | undefined;
  maxObjects: number | undefined;
  batchMb: number | undefined;
  limits: ExpansionLimits;
  notRegular: { key: string; reason: string }[];
}

/** The ingest itself, under the home lock. */
async function run(home: HomeLayout, store: ObjectStore, flags: IngestFlags, o: RunSettings): Promise<void> {
  const { workers, maxObjects, batchMb, limits, notRegular } = o;
  const vault = await openHomeVault(home, { mode: flags.vault as 'auto' | 'on' | 'off' });
  const lake = await openHomeLake(home);
  const reporter = flags.progress ? createProgressReporter() : undefined;
  try {
    const summary = await ingest({
      store,
      lake,
      home,
      ...(vault ? { evidence: vault } : {}),
      ...(reporter ? { onProgress: (p) => reporter.onProgress(p) } : {}),
      ...(flags.prefix ? { prefix: flags.prefix } : {}),
      ...(workers !== undefined ? { workers } : {}),
      limits,
      notRegular,
      dbLogs: { ...(flags.account ? { account: flags.account } : {}), ...(flags.region ? { region: flags.region } : {}), ...(flags.instance ? { instance: flags.instance } : {}) },
      batch: { ...(maxObjects ? { maxObjects } : {}), ...(batchMb ? { maxBytes: batchMb * 1e6 } : {}) },
    });
    reporter?.stop();
    // The head of the signed chain after this run (a no-op checkpoint when the last commit already wrote it).
    const head = vault ? await vault.commit() : null;
    process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ ...summary, ...(head ? { chainHead: head } : {}) }, null, 2)}\n` : `${formatSummary(summary, { verbose: flags.verbose })}\n${head ? `${formatChainHead(head)}\n` : ''}`);
    const refused = refusedObjects(summary);
    if (refused > 0) {
      process.stderr.write(`auditlake: ingest completed with ${refused} refused object${refused === 1 ? '' : 's'} (${summary.objects.failed} to retry on the next run); reasons: auditlake quarantine list\n`);
      process.exitCode = EXIT_COMPLETED_WITH_REFUSED;
    }
    if (flags.compact && summary.objects.ingested > 0) {
      const maybe = (lake as Lake & { maybeCompact?: () => Promise<unknown> }).maybeCompact;
      // The events are committed already; merging small files is housekeeping that the next run
      // retries, so a failure here is a warning, not a failed ingest.
      if (maybe) {
        await maybe.call(lake).catch((err: unknown) => {
          process.stderr.write(`auditlake: warning: ingest is complete, but merging small Parquet files failed (retried after the next ingest): ${errorMessage(err)}\n`);
        });
      }
    }
  } finally {
    reporter?.stop();
    await lake.close();
  }
}
