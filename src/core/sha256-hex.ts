import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256, the form every digest (ours and CloudTrail's) records. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
