import type { ChainHeadInfo } from '../core/digest.js';

/** The line every writing command ends with: the value to keep outside the home for `verify --expect-head`. */
export function formatChainHead(h: ChainHeadInfo): string {
  return `Chain head: ${h.sha256} (checkpoint ${h.seq}, ${h.createdTime}) — keep it outside this machine; \`auditlake verify --expect-head ${h.sha256}\` then detects a cut-off or rolled-back vault`;
}
