/**
 * One record of the Redshift user activity log (`useractivitylog`), research/formats.md A.6:
 * `'2020-06-10T14:27:03Z UTC [ db=dev user=rdsdb pid=15826 userid=1 xid=1129 ]' LOG: <sql…>`.
 * The SQL is kept byte-exact, including its raw newlines (a record can span many physical lines).
 */
export interface ActivityLogRecord {
  /** UTC epoch ms, second precision. */
  time: number;
  db: string;
  user: string;
  pid: string;
  userid: string;
  xid: string;
  /** Statement text verbatim; continuation lines joined with `\n`. */
  sql: string;
}
