import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { RuntimeDeps } from '../shared/runtime.js';
import { createSqsObjectHandler } from '../shared/sqs-batch.js';
import { NAME, readConfig } from './config.js';

/**
 * CloudTrail log files (organization trails too, AWSLogs/o-…/<account>/…): vault + lake; digest files are recorded
 * as ignored (they hold no events).
 * Idempotent and poison-safe: src/aws/lambda/shared/process-object.ts.
 */
export function createHandler(deps: RuntimeDeps = {}): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return createSqsObjectHandler(NAME, readConfig, deps);
}

export const handler = createHandler();
