import type { ExportRow } from './types.js';

const CT_TIME = /"eventTime"\s*:\s*"([^"]+)"/;
const ACTIVITY_TIME = /^'(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z UTC)/;
const JSON_TS = /"timestamp"\s*:\s*"([^"]+)"/;
const LEADING_TS = /^"?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?: [A-Z]{2,5}|Z)?)/;

/**
 * `metadata.original_time`: the time exactly as the source wrote it (Redshift's `Wed, 3 Jun 2020 16:39:42:756`,
 * MariaDB's local `20261122 23:11:51`), read back from the raw record; the ISO time when it cannot be found.
 */
export function originalTime(row: ExportRow): string {
  const raw = row.raw;
  let m: RegExpExecArray | null = null;
  let found: string | undefined;
  switch (row.sourceFormat) {
    case 'cloudtrail': m = CT_TIME.exec(raw); break;
    case 'redshift-useractivitylog': m = ACTIVITY_TIME.exec(raw); break;
    case 'redshift-connectionlog': found = raw.split('|')[1]?.trim(); break;
    case 'redshift-userlog': found = raw.split('|')[10]?.trim(); break;
    case 'postgres-pgaudit': m = JSON_TS.exec(raw) ?? LEADING_TS.exec(raw); break;
    case 'mariadb-server-audit': found = raw.split(',')[0]?.trim(); break;
  }
  found ??= m?.[1];
  return found ? found : new Date(row.time).toISOString();
}
