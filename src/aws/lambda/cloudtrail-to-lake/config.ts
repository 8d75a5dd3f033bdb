import { COMMON_ENV, type EnvVarDoc } from '../shared/env-doc.js';
import { readRuntimeConfig, type RuntimeConfig } from '../shared/runtime-config.js';

/** Handler name: source `src/aws/lambda/cloudtrail-to-lake/handler.ts` (export `handler`), bundle `dist/lambda/cloudtrail-to-lake/index.mjs`. */
export const NAME = 'cloudtrail-to-lake';

/** S3 ObjectCreated events (through SQS) on the CloudTrail bucket (organization trails included): vault + lake; digest files are skipped. */
export const TRIGGER = 'SQS queue subscribed to s3:ObjectCreated:* of the CloudTrail bucket, prefix AWSLogs/ (ReportBatchItemFailures on)';

/** Environment variables this handler reads (the CDK app sets them). */
export const ENV: readonly EnvVarDoc[] = [...COMMON_ENV];

export type Config = RuntimeConfig;

export function readConfig(env: Record<string, string | undefined>): Config {
  return readRuntimeConfig(env);
}
