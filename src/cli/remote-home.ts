import type { Command } from 'commander';
import { AuditlakeError } from '../core/errors.js';
import { isRemoteHome } from '../core/home.js';
import type { OpenedS3Home } from '../aws/s3-home/open-s3-home.js';

/**
 * Commands that only read the home: they neither take the home's lease nor push anything (their working copy is
 * discarded). Every other command writes.
 */
const READ_ONLY = new Set([
  'query', 'report', 'verify', 'quarantine list', 'keys list', 'hold list', 'retention list', 'retention plan', 'retention export-lifecycle',
  'aws athena-ddl', 'aws policy', 'verify-cloudtrail', 'generate', 'help',
]);

let opened: OpenedS3Home | null = null;

function fullName(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x && x.parent; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}

function homeOf(c: Command): string | undefined {
  for (let x: Command | null = c; x; x = x.parent) {
    const v = x.opts().home as string | undefined;
    if (v) return v;
  }
  return process.env.AUDITLAKE_HOME;
}

/**
 * `--home s3://bucket/prefix` (or AUDITLAKE_HOME=s3://…) for every command: before the action the S3 home is
 * opened (src/aws/s3-home), after a successful action a writing command pushes its changes; whatever happens,
 * closeRemoteHome() removes the working copy and releases the lease. SSE-KMS for what the CLI writes to the home:
 * AUDITLAKE_S3_SSE_KMS_KEY; how long to wait for another writer: AUDITLAKE_S3_LOCK_WAIT (seconds, default 120).
 */
export function installRemoteHome(program: Command): void {
  program.hook('preAction', async (_root, action) => {
    const loc = homeOf(action);
    if (!isRemoteHome(loc)) return;
    const name = fullName(action);
    const wait = process.env.AUDITLAKE_S3_LOCK_WAIT;
    if (wait !== undefined && !/^\d+$/.test(wait)) throw new AuditlakeError('E_USAGE', `AUDITLAKE_S3_LOCK_WAIT=${JSON.stringify(wait)} must be a whole number of seconds`);
    const kms = process.env.AUDITLAKE_S3_SSE_KMS_KEY;
    const { openS3Home } = await import('../aws/s3-home/open-s3-home.js');
    opened = await openS3Home(loc, {
      command: `auditlake ${name}`,
      write: !READ_ONLY.has(name),
      // Athena reads the lake in S3 itself: downloading it would defeat the point
      skipLake: ((action.opts() as { engine?: string }).engine ?? process.env.AUDITLAKE_QUERY_ENGINE) === 'athena' || (name === 'aws athena-ddl'),
      ...(kms ? { sse: { mode: 'sse-kms' as const, keyId: kms } } : {}),
      ...(wait !== undefined ? { lease: { waitMs: Number(wait) * 1000 } } : {}),
    });
  });
  program.hook('postAction', async () => {
    await closeRemoteHome(true);
  });
}

/** Pushes (after success) or discards (after a failure) the S3 home's working copy. Safe to call twice. */
export async function closeRemoteHome(push: boolean): Promise<void> {
  const o = opened;
  opened = null;
  if (o) await o.close({ push });
}
