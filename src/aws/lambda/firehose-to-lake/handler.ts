import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { RuntimeDeps } from '../shared/runtime.js';
import { createSqsObjectHandler } from '../shared/sqs-batch.js';
import { NAME, readConfig } from './config.js';

/**
 * CloudWatch Logs → Firehose objects of RDS audit logs (seed 004): vault + lake. The pipeline recognises them by
 * their Firehose key layout and splits the concatenated CloudWatch Logs envelopes.
 * Idempotent and poison-safe: src/aws/lambda/shared/process-object.ts.
 */
export function createHandler(deps: RuntimeDeps = {}): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return createSqsObjectHandler(NAME, readConfig, deps);
}

export const handler = createHandler();
