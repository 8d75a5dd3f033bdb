import { AuditlakeError } from '../../../core/errors.js';
import { COMMON_ENV, requireEnv, type EnvVarDoc } from '../shared/env-doc.js';
import { readRuntimeConfig, type RuntimeConfig } from '../shared/runtime-config.js';

/** Handler name: source `src/aws/lambda/sweep/handler.ts` (export `handler`), bundle `dist/lambda/sweep/index.mjs`. */
export const NAME = 'sweep';

/**
 * Scheduled catch-up: lists what landed since the last sweep under AUDITLAKE_SWEEP_SOURCES and processes every
 * object the S3 events missed (they are best-effort), reporting how many it caught up. Run it with reserved
 * concurrency 1 (the cursor is one object, updated with If-Match).
 */
export const TRIGGER = 'EventBridge schedule, e.g. rate(15 minutes); reserved concurrency 1';

const SWEEP_ENV = [
  { name: 'AUDITLAKE_SWEEP_SOURCES', required: true, description: 'Comma-separated s3:// prefixes to sweep (landing, Firehose and CloudTrail buckets).', example: 's3://acme-redshift-landing/AWSLogs/,s3://acme-cloudtrail/AWSLogs/' },
  { name: 'AUDITLAKE_SWEEP_LOOKBACK_HOURS', required: false, description: 'Re-examine objects modified this long before the previous sweep started (default 24): S3 listings are eventually consistent for late writers.', example: '24' },
  { name: 'AUDITLAKE_SWEEP_MAX_OBJECTS', required: false, description: 'Process at most this many missed objects per run (default 500), so one run stays inside the Lambda time limit; the rest is caught up next run.', example: '500' },
] as const satisfies readonly EnvVarDoc[];

/** Environment variables this handler reads (the CDK app sets them). */
export const ENV: readonly EnvVarDoc[] = [...COMMON_ENV, ...SWEEP_ENV];

export interface Config extends RuntimeConfig {
  sources: string[];
  lookbackHours: number;
  maxObjects: number;
}

function num(env: Record<string, string | undefined>, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AuditlakeError('E_USAGE', `lambda config: ${name}=${JSON.stringify(v)} must be a whole number ≥ 1`);
  return n;
}

export function readConfig(env: Record<string, string | undefined>): Config {
  const sources = requireEnv(env, SWEEP_ENV[0]).split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of sources) if (!s.startsWith('s3://')) throw new AuditlakeError('E_USAGE', `lambda config: AUDITLAKE_SWEEP_SOURCES entry ${s} must be an s3:// prefix`);
  return { ...readRuntimeConfig(env), sources, lookbackHours: num(env, 'AUDITLAKE_SWEEP_LOOKBACK_HOURS', 24), maxObjects: num(env, 'AUDITLAKE_SWEEP_MAX_OBJECTS', 500) };
}
