/**
 * The one event model every source is mapped into (see docs/reference/event-model.md).
 *
 * PCI DSS v4.0 10.2.2 asks each audit record to carry: user identification (`user`),
 * type of event (`logType` + `action`), date and time (`time`), success or failure
 * (`success`), origination (`remoteHost`/`remotePort`) and the identity or name of the
 * affected data, component or resource (`object`).
 */
export const LOG_TYPES = ['connection', 'user', 'activity', 'api'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** Where an event came from, as a short stable name; also the name of its parser. */
export type SourceFormat =
  | 'redshift-connectionlog'
  | 'redshift-userlog'
  | 'redshift-useractivitylog'
  | 'cloudtrail'
  | 'postgres-pgaudit'
  | 'mariadb-server-audit';

export interface AuditEvent {
  /** Stable id: the same record always gets the same id, so re-ingest de-duplicates. */
  eventId: string;
  /** Event time, UTC, milliseconds since the epoch. */
  time: number;
  logType: LogType;
  sourceFormat: SourceFormat;
  /** AWS account id (or the literal found in the key, e.g. `accountid`); '' when unknown. */
  account: string;
  region: string;
  /** `redshift`, `cloudtrail`, `postgres`, `mariadb`, `rds` … */
  service: string;
  /** Redshift cluster, RDS instance or database server name. */
  cluster: string;
  database: string | null;
  /** Who: the database user or the API principal. */
  user: string | null;
  /** Session id / backend pid, as text (ids can exceed 2^53). */
  session: string | null;
  remoteHost: string | null;
  remotePort: string | null;
  /** What happened: connection event, user action, statement verb or API eventName. */
  action: string;
  /** SQL text (secrets redacted) or null. */
  statement: string | null;
  /** true = succeeded, false = failed, null = the source does not say. */
  success: boolean | null;
  errorCode: string | null;
  /** The affected object: the user changed, the table touched, the API resource. */
  object: string | null;
  /** Format-specific fields that have no column of their own (JSON-serialisable). */
  details: Record<string, unknown>;
  /** The original record text (secrets redacted). */
  raw: string;
  /** The object (file or key) the record came from, and its 1-based first line. */
  sourceObject: string;
  sourceLine: number;
}
