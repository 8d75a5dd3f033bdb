import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRuntime, type Runtime, type RuntimeDeps } from '../shared/runtime.js';
import { handleSqsBatch } from '../shared/sqs-batch.js';
import { NAME, readConfig } from './config.js';

/**
 * CloudTrail log files (organization trails too, AWSLogs/o-…/<account>/…): vault + lake; digest files are recorded
 * as ignored (they hold no events).
 * Idempotent and poison-safe: src/aws/lambda/shared/process-object.ts.
 */
export function createHandler(deps: RuntimeDeps = {}): (event: SQSEvent) => Promise<SQSBatchResponse> {
  let rt: Runtime | undefined;
  return async (event) => {
    rt ??= createRuntime(readConfig(deps.env ?? process.env), deps);
    const { batchItemFailures } = await handleSqsBatch(NAME, rt, event);
    return { batchItemFailures };
  };
}

export const handler = createHandler();
