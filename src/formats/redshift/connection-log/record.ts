import type { FieldKind, Verbatim } from '../pipe-fields.js';

/**
 * One line of the Redshift connection log (`connectionlog`), columns as in STL_CONNECTION_LOG, in file order
 * (research/formats.md A.4). Ids and integers stay strings (pid can exceed 2^30; never do arithmetic on them).
 * Fields 16–21 exist only in newer files (2020: 16 fields, Dec 2020: 19, 2022+: 21), so they are optional.
 */
export interface ConnectionLogRecord {
  /** `authenticated`, `authentication failure`, `initiating session`, `disconnecting session`, `set application_name`, … */
  event: string;
  /** Event time, UTC epoch ms. */
  recordtime: number;
  /** `[local]`, `::ffff:10.0.0.1`, `::1`, a bare IPv4; '' when absent. */
  remotehost?: string;
  remoteport?: string;
  pid: string;
  dbname: string;
  username: string;
  /** `password`, `Ident`, `IAM AssumeUser`, … */
  authmethod?: string;
  /** Microseconds since connect; '0' on authenticated / initiating session. Default '0'. */
  duration?: string;
  sslversion?: string;
  sslcipher?: string;
  /** Default '0'. */
  mtu?: string;
  sslcompression?: string;
  sslexpansion?: string;
  iamauthguid?: string;
  application_name?: string;
  os_version?: string;
  driver_version?: string;
  plugin_name?: string;
  /** Default '0' when the line has 20+ fields. */
  protocol_version?: string;
  sessionid?: string;
  /** Fields beyond the 21 known ones, right-trimmed, kept in order. */
  extra?: string[];
  /**
   * Number of `|`-separated fields on the line (15, 16, 19, 21, …). Default: 21 when any of os_version …
   * sessionid is set, else 16; never fewer than 21 + extra.length when extra fields are present.
   */
  fieldCount?: number;
  /** Exact bytes of fields that deviate from the canonical encoding (filled by the parser). */
  verbatim?: Verbatim;
}

/** Column names in file order, with how each is written. `sessionid` is written unpadded in every sample seen. */
export const CONNECTION_LOG_COLUMNS: ReadonlyArray<{ name: string; kind: FieldKind }> = [
  { name: 'event', kind: 'char' },
  { name: 'recordtime', kind: 'bare' },
  { name: 'remotehost', kind: 'char' },
  { name: 'remoteport', kind: 'char' },
  { name: 'pid', kind: 'bare' },
  { name: 'dbname', kind: 'char' },
  { name: 'username', kind: 'char' },
  { name: 'authmethod', kind: 'char' },
  { name: 'duration', kind: 'bare' },
  { name: 'sslversion', kind: 'char' },
  { name: 'sslcipher', kind: 'char' },
  { name: 'mtu', kind: 'bare' },
  { name: 'sslcompression', kind: 'char' },
  { name: 'sslexpansion', kind: 'char' },
  { name: 'iamauthguid', kind: 'char' },
  { name: 'application_name', kind: 'char' },
  { name: 'os_version', kind: 'char' },
  { name: 'driver_version', kind: 'char' },
  { name: 'plugin_name', kind: 'char' },
  { name: 'protocol_version', kind: 'bare' },
  { name: 'sessionid', kind: 'bare' },
];

/** The fewest fields a connection-log line has ever had (2018 files end after iamauthguid). */
export const CONNECTION_LOG_MIN_FIELDS = 15;
