import { createHash } from 'node:crypto';
import type { SourceObjectRef } from '../../core/lake.js';

/**
 * One file per source object version, named after a hash of (store, key, etag): a redo after a
 * crash produces the same name and so replaces the file instead of adding a second copy.
 */
export function quarantineFileName(ref: SourceObjectRef): string {
  return `${createHash('sha256').update([ref.store, ref.key, ref.etag].join('\u001f')).digest('hex').slice(0, 32)}.jsonl`;
}
