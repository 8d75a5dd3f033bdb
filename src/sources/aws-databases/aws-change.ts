/** One change auditlake made (or would make) to an AWS resource, with how and when it takes effect. */
export interface AwsChange {
  resource: string;
  setting: string;
  from: string;
  to: string;
  /** `immediate`, or `pending-reboot` when the engine only reads it at start (shared_preload_libraries, static params). */
  applyMethod: 'immediate' | 'pending-reboot';
  applied: boolean;
}

export interface AwsEnableResult {
  resource: string;
  engine: string;
  dryRun: boolean;
  changes: AwsChange[];
  /** What AWS reports after the change, verbatim (e.g. `ParameterApplyStatus: pending-reboot`). */
  status: string[];
  /** Steps auditlake cannot do through the AWS API (SQL inside the database, a reboot). */
  nextSteps: string[];
}

export function formatAwsResult(r: AwsEnableResult): string {
  const lines = [`${r.engine} ${r.resource}${r.dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const c of r.changes) lines.push(`  ${r.dryRun ? 'would set' : 'set'} ${c.setting}: ${c.from || "''"} -> ${c.to} (${c.applyMethod})`);
  if (r.changes.length === 0) lines.push('  nothing to change');
  for (const s of r.status) lines.push(`  status: ${s}`);
  for (const s of r.nextSteps) lines.push(`  next: ${s}`);
  return lines.join('\n');
}
