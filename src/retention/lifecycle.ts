import { digestPrefix } from '../sinks/vault/integrity/digest-format.js';
import { parseDuration } from '../core/duration.js';
import { ruleFor } from './rules.js';
import type { RetentionConfig } from './types.js';

const DAY = 86_400_000;

export interface LifecycleExport {
  /** The S3 PutBucketLifecycleConfiguration body. */
  configuration: { Rules: Record<string, unknown>[] };
  /** What could not be expressed and was left out (to stderr). */
  notes: string[];
}

/**
 * The S3 lifecycle configuration equivalent to the vault rules. S3 filters by key prefix only, so:
 * Redshift's three log types share `AWSLogs/<acct>/redshift/` and get the longest of their rules; account `*` rules
 * become `AWSLogs/` rules only when no account-specific rule exists (lifecycle rules cannot exclude prefixes);
 * anything a legal hold covers gets no expiration (use S3 Object Lock legal holds there); the digest chain never
 * expires. Days are rounded up.
 */
export function exportLifecycle(config: RetentionConfig, opts: { accounts?: string[]; services?: string[] } = {}): LifecycleExport {
  const notes: string[] = [];
  const rules: Record<string, unknown>[] = [];
  if (config.framework === 'gxp') {
    notes.push('framework gxp: records are kept for their lifetime, no expiration rules exported');
    return { configuration: { Rules: [] }, notes };
  }
  const accounts = new Set(opts.accounts ?? []);
  for (const r of config.rules) if (r.account !== '*') accounts.add(r.account);
  const services: { service: string; logTypes: ('connection' | 'user' | 'activity' | 'api')[] }[] = [
    { service: 'redshift', logTypes: ['connection', 'user', 'activity'] },
    { service: 'cloudtrail', logTypes: ['api'] },
  ];
  const days = (keep: string) => Math.ceil(parseDuration(keep, 'retention') / DAY);
  const emit = (id: string, prefix: string, keepDays: number) => {
    // A hold blocks a prefix when every criterion it names could match objects under that prefix.
    const held = config.holds.filter(
      (h) =>
        (h.account === undefined || prefix === 'AWSLogs/' || prefix.startsWith(`AWSLogs/${h.account}/`)) &&
        (h.prefix === undefined || h.prefix.startsWith(prefix) || prefix.startsWith(h.prefix)) &&
        (h.cluster === undefined || !prefix.includes('/cloudtrail/')),
    );
    if (held.length > 0) {
      notes.push(`${prefix}: not exported, legal hold(s) ${held.map((h) => h.id).join(', ')} cover it (S3 lifecycle cannot exclude held objects; use Object Lock legal holds)`);
      return;
    }
    rules.push({ ID: id, Status: 'Enabled', Filter: { Prefix: prefix }, Expiration: { Days: keepDays } });
  };
  for (const acct of [...accounts].sort()) {
    for (const s of services) {
      const matching = s.logTypes.map((t) => ruleFor(config.rules, acct, t, 'keep'));
      if (matching.some((m) => !m)) {
        if (matching.some((m) => m)) notes.push(`AWSLogs/${acct}/${s.service}/: some log types have no rule (kept forever), so the shared prefix gets no expiration`);
        continue;
      }
      const keepDays = Math.max(...matching.map((m) => days(m!.keep)));
      emit(`auditlake-${acct}-${s.service.toLowerCase()}-${keepDays}d`, `AWSLogs/${acct}/${s.service}/`, keepDays);
    }
  }
  const wildcard = ruleFor(config.rules.filter((r) => r.account === '*'), '*', null, 'keep');
  if (wildcard) {
    if (accounts.size > 0) notes.push(`rule */${wildcard.logType} ${wildcard.keep}: exported per account only (an AWSLogs/ rule would also expire the accounts with longer rules); pass --account for other accounts`);
    else emit(`auditlake-all-${days(wildcard.keep)}d`, 'AWSLogs/', days(wildcard.keep));
  }
  if (rules.some((r) => (r.Filter as { Prefix: string }).Prefix === 'AWSLogs/')) {
    notes.push(`the digest chain under ${digestPrefix({ account: 'auditlake', region: 'global' })} would also expire under an AWSLogs/ rule: keep digests in another bucket or narrow the rule`);
  }
  return { configuration: { Rules: rules }, notes };
}
