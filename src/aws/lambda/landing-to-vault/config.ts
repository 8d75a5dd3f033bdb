import { COMMON_ENV, type EnvVarDoc } from '../shared/env-doc.js';
import { readRuntimeConfig, type RuntimeConfig } from '../shared/runtime-config.js';

/** Handler name: source `src/aws/lambda/landing-to-vault/handler.ts` (export `handler`), bundle `dist/lambda/landing-to-vault/index.mjs`. */
export const NAME = 'landing-to-vault';

/** S3 ObjectCreated events (through SQS) on the SSE-S3 landing bucket Redshift writes to: re-encrypt each object into the vault with the CMK, then ingest it into the lake. */
export const TRIGGER = 'SQS queue subscribed to s3:ObjectCreated:* of the landing bucket (ReportBatchItemFailures on)';

/** Environment variables this handler reads (the CDK app sets them). */
export const ENV: readonly EnvVarDoc[] = [...COMMON_ENV];

export type Config = RuntimeConfig;

export function readConfig(env: Record<string, string | undefined>): Config {
  return readRuntimeConfig(env);
}
