import { COMMON_ENV, type EnvVarDoc } from '../shared/env-doc.js';
import { readRuntimeConfig, type RuntimeConfig } from '../shared/runtime-config.js';

/** Handler name: source `src/aws/lambda/firehose-to-lake/handler.ts` (export `handler`), bundle `dist/lambda/firehose-to-lake/index.mjs`. */
export const NAME = 'firehose-to-lake';

/** S3 ObjectCreated events (through SQS) on the bucket Firehose delivers CloudWatch Logs → RDS audit logs to: vault + lake. */
export const TRIGGER = 'SQS queue subscribed to s3:ObjectCreated:* of the Firehose destination bucket (ReportBatchItemFailures on)';

/** Environment variables this handler reads (the CDK app sets them). */
export const ENV: readonly EnvVarDoc[] = [...COMMON_ENV];

export type Config = RuntimeConfig;

export function readConfig(env: Record<string, string | undefined>): Config {
  return readRuntimeConfig(env);
}
