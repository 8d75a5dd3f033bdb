/** Options of generate() (see `auditlake generate --help`). */
export interface GenerateOptions {
  /** Output directory; objects go to `<out>/AWSLogs/...`, the manifest to `<out>/manifest.json`. */
  out: string;
  /** Number of AWS accounts (1–9). */
  accounts: number;
  /** Number of days from `start`. */
  days: number;
  seed: number;
  /** First day, `YYYY-MM-DD` (UTC). Default 2026-10-01. */
  start?: string;
  /**
   * Target size of all user activity logs together, in MB (10^6 bytes, uncompressed). The organic
   * traffic (health checks, ETL, people) comes first; BI sessions fill the rest. Default: 0.5 MB per
   * account-day.
   */
  activityMb?: number;
  /** At most this many Redshift clusters per account (the roster has 1–2). Default: all. */
  maxClustersPerAccount?: number;
  /** Which log families to write. Default all four. */
  only?: ReadonlyArray<GeneratedLogType>;
  /** gzip level of the written objects (1–9). Default 6. */
  gzipLevel?: number;
  /** Called after each object is written (for a progress display). */
  onObject?: (key: string, bytes: number) => void;
}

export type RedshiftLogFamily = 'connectionlog' | 'userlog' | 'useractivitylog';
export type GeneratedLogType = RedshiftLogFamily | 'cloudtrail';

/** Objects and records written for one log type. */
export interface ObjectCounts {
  objects: number;
  /** Records (not physical lines) written. */
  records: number;
  /** Uncompressed bytes. */
  bytes: number;
  compressedBytes: number;
}

export interface CloudTrailCounts extends ObjectCounts {
  /** Records after removing duplicates by eventID (CloudTrail delivers an occasional duplicate). */
  uniqueEvents: number;
  duplicates: number;
  /** Records with an errorCode. */
  errors: number;
  /** API calls that change audit logging (Enable/DisableLogging, StopLogging, DeleteTrail, parameter/option groups). */
  auditLoggingCalls: number;
  /** ConsoleLogin records whose responseElements say Failure. */
  consoleLoginFailures: number;
  byEventName: Record<string, number>;
}

/** What was generated for one account: the numbers the parsers and the lake must read back exactly. */
export interface AccountManifest {
  account: string;
  region: string;
  clusters: string[];
  connectionlog: ObjectCounts;
  userlog: ObjectCounts;
  useractivitylog: ObjectCounts;
  cloudtrail: CloudTrailCounts;
  /** `initiating session` records. */
  sessions: number;
  /** `initiating session` records of people (not SERVICE_USERS) before 07:00 or from 19:00 UTC, or on a weekend. */
  afterHoursSessions: number;
  /** `authentication failure` records, total and per user name. */
  failedLogins: number;
  failedLoginsByUser: Record<string, number>;
  /** User-log records, total and per action (create/alter/drop/rename). */
  userChanges: number;
  userChangesByAction: Record<string, number>;
  /** Activity-log records per user. */
  statementsByUser: Record<string, number>;
  /** Activity-log records that carry a secret (password, secret key, session token) in clear. */
  secretStatements: number;
  /** Activity-log records whose SQL spans more than one line. */
  multiLineStatements: number;
}

export interface GenerateManifest {
  generator: 'auditlake-generate/1';
  seed: number;
  start: string;
  days: number;
  activityMb: number;
  /** Set when the run was limited with `maxClustersPerAccount`. */
  maxClustersPerAccount?: number;
  accounts: AccountManifest[];
  totals: Record<GeneratedLogType, ObjectCounts>;
}

export interface GenerateResult {
  manifest: GenerateManifest;
  /** Object keys written, relative to `out`, in write order. */
  keys: string[];
  /**
   * Every secret value planted in the generated statements (passwords, md5 hashes, secret keys, session
   * tokens). Returned to the caller only — never written to the manifest — so tests can prove none of
   * them reaches the lake.
   */
  secrets: string[];
}
