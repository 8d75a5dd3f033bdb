import type { ObjectKeyInfo } from '../../core/decode.js';

/**
 * Recognises a database audit log by its first lines, for files downloaded from RDS (`aws rds
 * download-db-log-file-portion`, the console) or copied from a server, whose names say nothing reliable
 * (`postgresql.log.2026-11-22-23`, `audit/server_audit.log.1`, `export.txt`). Each pattern is anchored on the
 * record prefix the engine writes, so a text file of another kind is not mistaken for a log.
 */
export interface DetectedDbLog {
  format: 'postgres-pgaudit' | 'mariadb-server-audit';
  pgLog?: 'csvlog' | 'jsonlog' | 'stderr';
  /** YYYY-MM-DD of the first record (the partition hint a key date gives other objects). */
  date: string;
}

const TS = String.raw`(\d{4})-(\d\d)-(\d\d) \d\d:\d\d:\d\d(?:\.\d+)?`;
/** csvlog: `2026-11-22 23:11:51.141 UTC,"postgres","postgres",15535,…` (26 columns in PG 15). */
const CSVLOG = new RegExp(String.raw`^${TS} [A-Za-z0-9+:-]+,(?:"[^"]*"|),(?:"[^"]*"|),\d+,`);
/** jsonlog: `{"timestamp":"2026-11-22 23:11:51.141 UTC",…`. */
const JSONLOG = /^\{"timestamp":"(\d{4})-(\d\d)-(\d\d) \d\d:\d\d:\d\d/;
/** stderr: RDS `%t:%r:%u@%d:[%p]:` (`2026-11-22 23:11:51 UTC:127.0.0.1(5432):u@d:[123]:LOG:`) or Debian `%m [%p] `. */
const STDERR = new RegExp(String.raw`^${TS} [A-Za-z0-9+-]+(?::[^\n]*?:\[\d+\]:|\s+\[\d+\]\s)[^\n]*?\b(?:LOG|FATAL|ERROR|WARNING|DETAIL|STATEMENT|HINT|CONTEXT|PANIC|INFO|NOTICE|DEBUG\d?):  `);
/** server_audit: `20261122 23:13:42,host,user,client,connid,queryid,OPERATION,…`. */
const SERVER_AUDIT = /^(\d{4})(\d\d)(\d\d) \d\d:\d\d:\d\d,[^,]*,.*,\d+,\d+,(?:CONNECT|DISCONNECT|FAILED_CONNECT|CHANGEUSER|QUERY|READ|WRITE|CREATE|ALTER|RENAME|DROP),/;

/** Looks at the first non-empty lines of `head` (decompressed text); null when it is not a known log. */
export function detectDbLog(head: string): DetectedDbLog | null {
  const lines = head.split('\n').filter((l) => l.trim() !== '').slice(0, 5);
  for (const l of lines) {
    let m = JSONLOG.exec(l);
    if (m) return { format: 'postgres-pgaudit', pgLog: 'jsonlog', date: `${m[1]}-${m[2]}-${m[3]}` };
    m = CSVLOG.exec(l);
    if (m) return { format: 'postgres-pgaudit', pgLog: 'csvlog', date: `${m[1]}-${m[2]}-${m[3]}` };
    m = STDERR.exec(l);
    if (m) return { format: 'postgres-pgaudit', pgLog: 'stderr', date: `${m[1]}-${m[2]}-${m[3]}` };
    m = SERVER_AUDIT.exec(l);
    if (m) return { format: 'mariadb-server-audit', date: `${m[1]}-${m[2]}-${m[3]}` };
  }
  return null;
}

/** Labels for logs recognised by content: `--account/--region/--instance` of `auditlake ingest`. */
export interface DbLogLabels {
  account?: string;
  region?: string;
  /** The database instance; default: the folder holding the file (`audit/` and `error/` skipped), else `unknown`. */
  instance?: string;
}

export function dbLogKeyInfo(key: string, d: DetectedDbLog, labels: DbLogLabels): ObjectKeyInfo {
  const dirs = key.split('/').slice(0, -1).filter((s) => !/^(audit|error|log|logs)$/i.test(s));
  return {
    format: d.format,
    account: labels.account ?? '',
    region: labels.region ?? '',
    service: 'rds',
    cluster: labels.instance ?? dirs.pop() ?? 'unknown',
    keyDate: d.date,
    key,
    ...(d.pgLog ? { pgLog: d.pgLog } : {}),
  };
}
