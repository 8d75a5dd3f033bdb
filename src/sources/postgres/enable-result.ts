/** What `auditlake enable` found, changed and verified on one database (both engines use this shape). */
export interface SettingChange {
  setting: string;
  from: string;
  to: string;
  /** false in --dry-run, or when the change needs a restart that enable does not perform. */
  applied: boolean;
  /** e.g. `needs restart`, `not persistent across restarts`. */
  note?: string;
}

export interface EnableResult {
  engine: 'postgres' | 'mariadb';
  /** The target with the password masked. */
  target: string;
  dryRun: boolean;
  changes: SettingChange[];
  /** Settings already as required. */
  unchanged: string[];
  notes: string[];
  /** Set when verification by effect ran: the canary text and how long it took to appear in the audit log. */
  verified?: { canary: string; ms: number; logFile: string };
}

export { maskUrl } from '../../core/mask-url.js';

/** Human-readable report: one line per change, then the verification. */
export function formatEnableResult(r: EnableResult): string {
  const lines: string[] = [`${r.engine} ${r.target}${r.dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const c of r.changes) {
    const verb = r.dryRun ? 'would set' : c.applied ? 'set' : 'NOT set';
    lines.push(`  ${verb} ${c.setting}: ${c.from === '' ? "''" : c.from} -> ${c.to}${c.note ? `  (${c.note})` : ''}`);
  }
  if (r.changes.length === 0) lines.push('  nothing to change');
  if (r.unchanged.length) lines.push(`  already set: ${r.unchanged.join(', ')}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  if (r.verified) lines.push(`  verified: canary ${r.verified.canary} appeared in ${r.verified.logFile} after ${r.verified.ms} ms`);
  return lines.join('\n');
}
