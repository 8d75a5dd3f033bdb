import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { RuntimeDeps } from '../shared/runtime.js';
import { createSqsObjectHandler } from '../shared/sqs-batch.js';
import { NAME, readConfig } from './config.js';

/**
 * Redshift audit logs landed in the SSE-S3 landing bucket (seed 000): re-encrypted under the CMK into the vault
 * (envelope + SSE-KMS + Object Lock), then ingested into the lake.
 * Idempotent and poison-safe: src/aws/lambda/shared/process-object.ts.
 */
export function createHandler(deps: RuntimeDeps = {}): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return createSqsObjectHandler(NAME, readConfig, deps);
}

export const handler = createHandler();
