/** Where a live-database log record came from: fills the event fields the record itself does not carry. */
export interface LiveLogContext {
  /** Database server identity (cluster name / RDS instance / host:port): part of every event id. */
  server: string;
  /** AWS account id, or '' for a database outside AWS. */
  account: string;
  region: string;
  /** Identity of the log file (inode + birth time for a tailed file, the key for a stored object). */
  fileId: string;
  /** Path or key of the file, shown as `sourceObject`. */
  sourceObject: string;
}

/** Where in the file the record starts: its byte offset (the id) and first line (for humans). */
export interface RecordPosition {
  offset: number;
  line: number;
}
