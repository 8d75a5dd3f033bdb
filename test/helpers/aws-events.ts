import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { repoRoot } from './repo-root.js';

const dir = join(repoRoot, 'test/fixtures/aws-events');
const load = (name: string) => readFileSync(join(dir, name), 'utf8');

/** S3 notifications URL-encode keys like an HTML form (space → '+'). */
export const encodeS3Key = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/** The documented S3 event (v2.1) for one object, as S3 puts it in an SQS message body. */
export function s3Notification(bucket: string, key: string): string {
  return load('s3-object-created.json').replaceAll('"BUCKET"', JSON.stringify(bucket)).replaceAll('arn:aws:s3:::BUCKET', `arn:aws:s3:::${bucket}`).replace('"KEY"', JSON.stringify(encodeS3Key(key)));
}

/** An SQS event as Lambda delivers it: one message per body. */
export function sqsEvent(bodies: string[]): SQSEvent {
  const template = JSON.parse(load('sqs-message.json')) as SQSEvent;
  const rec = template.Records[0];
  return { Records: bodies.map((body, i) => ({ ...rec, messageId: `${rec.messageId.slice(0, -4)}${String(i).padStart(4, '0')}`, body })) };
}

export const s3TestEvent = () => load('s3-test-event.json');

export function eventBridgeObjectCreated(bucket: string, key: string): string {
  return load('eventbridge-object-created.json').replaceAll('"BUCKET"', JSON.stringify(bucket)).replaceAll('arn:aws:s3:::BUCKET', `arn:aws:s3:::${bucket}`).replace('"KEY"', JSON.stringify(key));
}

export const scheduledEvent = () => JSON.parse(load('scheduled-event.json'));
