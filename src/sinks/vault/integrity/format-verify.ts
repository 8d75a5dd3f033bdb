import { isProblem, type Finding, type FindingKind } from './findings.js';
import type { VerifyVaultReport } from './verify-vault.js';

/** Status text per kind, in the AWS CLI's `INVALID: …` style plus our classification in brackets. */
const LABEL: Record<FindingKind, string> = {
  valid: 'valid',
  pending: 'valid (pending)',
  'authorised-expiry': 'expired (authorised)',
  modified: 'INVALID: hash value doesn\'t match [modified]',
  missing: 'INVALID: not found [missing]',
  moved: 'INVALID: moved',
  inserted: 'INVALID: not in any digest [inserted]',
  'digest-valid': 'valid',
  'digest-missing': 'INVALID: not found [digest missing]',
  'digest-modified': 'INVALID: hash value doesn\'t match the next digest [digest modified]',
  'digest-signature-invalid': 'INVALID: signature verification failed',
  'digest-invalid-format': 'INVALID: invalid format',
  'digest-moved': 'INVALID: has been moved from its original location',
  'digest-inserted': 'INVALID: not linked from the chain [digest inserted]',
  'chain-broken': 'INVALID: chain broken',
  'head-not-found': 'INVALID: the chain head you kept is not in this vault [cut off or rolled back]',
};

export function findingLine(f: Finding): string {
  const what = f.subject === 'digest' ? 'Digest file' : f.subject === 'checkpoint' ? 'Checkpoint' : 'Vault object';
  const label = f.subject === 'checkpoint' ? LABEL[f.kind].replace(/digest/g, 'checkpoint') : LABEL[f.kind];
  const detail = f.detail && f.detail !== 'valid' && f.detail !== 'not found' && !label.includes(f.detail) ? ` (${f.detail})` : '';
  return `${what}\t${f.key}\t${label}${detail}`;
}

/**
 * Text report: one line per finding (valid lines only with `verbose`), then the AWS-CLI-style summary.
 * Authorised expiries are always shown: an auditor should see every deletion and the rule that allowed it.
 */
export function formatVerifyReport(r: VerifyVaultReport, opts: { storeUrl: string; from?: string; to?: string; verbose?: boolean; expectHead?: string }): string {
  const out: string[] = [];
  out.push(`Validating vault ${opts.storeUrl} between ${opts.from ?? 'the chain start'} and ${opts.to ?? 'now'}`, '');
  const shown = r.findings.filter((f) => opts.verbose || isProblem(f) || f.kind === 'authorised-expiry');
  for (const f of shown) out.push(findingLine(f));
  if (shown.length > 0) out.push('');
  out.push(`Results requested for ${opts.from ?? 'the chain start'} to ${opts.to ?? 'now'}`);
  out.push(r.found ? `Results found for ${r.found.from} to ${r.found.to}:` : r.digests.total === 0 ? 'No digests found' : 'No valid digests found in range', '');
  const dInvalid = r.digests.total - r.digests.valid;
  out.push(`${r.digests.valid}/${r.digests.total} digest files valid${dInvalid ? `, ${dInvalid}/${r.digests.total} digest files INVALID` : ''}`);
  const cInvalid = r.checkpoints.total - r.checkpoints.valid;
  if (r.checkpoints.total > 0) out.push(`${r.checkpoints.valid}/${r.checkpoints.total} checkpoints valid${cInvalid ? `, ${cInvalid}/${r.checkpoints.total} checkpoints INVALID` : ''}`);
  const objProblems = r.findings.filter((f) => f.subject === 'object' && isProblem(f));
  const byKind = new Map<string, number>();
  for (const f of objProblems) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  const ok = r.objects.valid + r.objects.pending;
  out.push(`${ok}/${r.objects.total} vault objects valid${r.objects.pending ? ` (${r.objects.pending} not yet in a digest)` : ''}${objProblems.length ? `, ${objProblems.length}/${r.objects.total} INVALID (${kinds})` : ''}; ${r.objects.expired} authorised deletions`);
  const gbps = r.hash.ms > 0 ? r.hash.bytes / 1e9 / (r.hash.ms / 1000) : 0;
  const headMissing = r.findings.find((f) => f.kind === 'head-not-found');
  if (headMissing) out.push(`Expected head ${headMissing.key} NOT FOUND: the newest records were cut off or the vault was rolled back`);
  else if (opts.expectHead) out.push(`Expected head ${opts.expectHead} found in the chain`);
  if (r.head) out.push(`Chain head: ${r.head.sha256} (checkpoint ${r.head.seq}, ${r.head.createdTime}); keep it and check later with --expect-head`);
  out.push(`Hashed ${r.hash.objects} objects, ${(r.hash.bytes / 1e6).toFixed(1)} MB in ${(r.hash.ms / 1000).toFixed(2)} s (${gbps.toFixed(2)} GB/s)`);
  return out.join('\n') + '\n';
}
