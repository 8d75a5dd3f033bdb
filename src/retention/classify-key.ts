import type { LogType } from '../core/event.js';

/** What retention needs to know about a vault key. */
export interface VaultKeyInfo {
  account: string;
  service: string;
  region: string;
  /** `YYYY-MM-DD` from the key path (delivery date). */
  date: string;
  /** The log type, or null for files that mix several (pgaudit, server_audit). */
  logType: LogType | null;
  /** Redshift cluster from the file name, '' when none. */
  cluster: string;
}

const PATH = /^AWSLogs\/(?:o-[a-z0-9]+\/)?([^/]+)\/([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;
const REDSHIFT = /_redshift_[a-z0-9-]+_(.+)_(connectionlog|userlog|useractivitylog)_\d{4}-\d{2}-\d{2}T/;
const TYPE: Record<string, LogType> = { connectionlog: 'connection', userlog: 'user', useractivitylog: 'activity' };

/**
 * Reads account/service/date/log type from a vault key (store root) `AWSLogs/<acct>/<service>/<region>/YYYY/MM/DD/<file>[.suffix]`;
 * null for keys outside that layout (they are never deleted by retention).
 */
export function classifyVaultKey(key: string): VaultKeyInfo | null {
  const m = PATH.exec(key);
  if (!m) return null;
  const [, account, service, region, y, mo, d, file] = m;
  const rs = REDSHIFT.exec(file);
  let logType: LogType | null = null;
  let cluster = '';
  if (rs) {
    cluster = rs[1];
    logType = TYPE[rs[2]];
  } else if (/cloudtrail/i.test(service) || /_CloudTrail_/.test(file)) {
    logType = 'api';
  }
  return { account, service, region, date: `${y}-${mo}-${d}`, logType, cluster };
}
