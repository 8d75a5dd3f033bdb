import { AuditlakeError } from '../core/errors.js';

/** `2026-10` → the half-open UTC range [2026-10-01, 2026-11-01). */
export function monthRange(month: string): { from: string; to: string; days: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new AuditlakeError('E_USAGE', `report: --month "${month}" is not YYYY-MM (e.g. 2026-10)`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const from = new Date(Date.UTC(y, mo - 1, 1));
  const to = new Date(Date.UTC(y, mo, 1));
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  return { from: from.toISOString(), to: to.toISOString(), days };
}
