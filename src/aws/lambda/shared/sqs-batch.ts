import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { errorMessage, hasErrorCode } from '../../../core/errors.js';
import { processObject, type Outcome } from './process-object.js';
import { createRuntime, type Runtime, type RuntimeDeps } from './runtime.js';
import type { RuntimeConfig } from './runtime-config.js';
import { objectsFromNotification, parseJson } from './s3-events.js';

/** One JSON line per outcome to CloudWatch Logs (keys and reasons only: no object content, no key material). */
export function logLine(handler: string, fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ handler, ...fields })}\n`);
}

/**
 * An SQS batch of S3 notifications (ReportBatchItemFailures): each message's objects are processed in order; a
 * message whose object failed transiently is reported back so SQS redelivers only it (and, after maxReceiveCount,
 * moves it to the DLQ). A message that is not a notification at all is poison: recorded in the sideline under
 * `messages/<id>.json` with the reason and acknowledged, so it cannot block the queue.
 */
export async function handleSqsBatch(name: string, rt: Runtime, event: SQSEvent): Promise<SQSBatchResponse & { outcomes: Outcome[] }> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const outcomes: Outcome[] = [];
  for (const rec of event.Records ?? []) {
    const where = `SQS message ${rec.messageId}`;
    let objects;
    try {
      objects = objectsFromNotification(parseJson(rec.body, where), where);
    } catch (err) {
      if (!hasErrorCode(err, 'E_PARSE')) throw err;
      const key = `messages/${rec.messageId}.json`;
      await rt.sideline.put(key, Buffer.from(JSON.stringify({ reason: errorMessage(err), body: rec.body.slice(0, 65_536), at: new Date().toISOString() }))).catch((e: unknown) => {
        if (!hasErrorCode(e, 'E_EXISTS')) throw e;
      });
      logLine(name, { messageId: rec.messageId, status: 'sidelined-message', reason: errorMessage(err) });
      continue;
    }
    try {
      for (const o of objects) {
        const out = await processObject(rt, o);
        outcomes.push(out);
        logLine(name, { messageId: rec.messageId, bucket: o.bucket, ...out });
      }
    } catch (err) {
      logLine(name, { messageId: rec.messageId, status: 'retry', error: errorMessage(err) });
      failures.push({ itemIdentifier: rec.messageId });
    }
  }
  return { batchItemFailures: failures, outcomes };
}

/**
 * The Lambda entry of an SQS-fed object handler (landing-to-vault, firehose-to-lake, cloudtrail-to-lake): the
 * runtime is built on the first invocation and reused while the execution environment lives.
 */
export function createSqsObjectHandler(
  name: string,
  readConfig: (env: Record<string, string | undefined>) => RuntimeConfig,
  deps: RuntimeDeps = {},
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  let rt: Runtime | undefined;
  return async (event) => {
    rt ??= createRuntime(readConfig(deps.env ?? process.env), deps);
    const { batchItemFailures } = await handleSqsBatch(name, rt, event);
    return { batchItemFailures };
  };
}
