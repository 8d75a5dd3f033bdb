import type { FieldKind, Verbatim } from '../pipe-fields.js';

/**
 * One line of the Redshift user log (`userlog`), columns as in STL_USERLOG, in file order
 * (research/formats.md A.5). All integers stay strings: `valuntil` is `9223372036854775807` (int64 max) for
 * "never expires", beyond Number.MAX_SAFE_INTEGER.
 *
 * Note: the user log records *which* user was changed, never who made the change.
 */
export interface UserLogRecord {
  /** Id of the user affected. */
  userid: string;
  /** Name of the user affected (for a rename: the new name). */
  username: string;
  /** For a rename, the original name; otherwise ''. */
  oldusername?: string;
  /** `create`, `alter`, `drop`, `rename` (lower case in data). */
  action: string;
  /** '1' = may create databases. Default '0'. */
  usecreatedb?: string;
  /** '1' = superuser. Default '0'. */
  usesuper?: string;
  /** '1' = may update system catalogs. Default '0'. */
  usecatupd?: string;
  /** Password expiry; default `9223372036854775807` (no expiry). */
  valuntil?: string;
  pid: string;
  xid: string;
  /** Event time, UTC epoch ms. */
  recordtime: number;
  /** Fields beyond the 11 known ones, right-trimmed. */
  extra?: string[];
  /** Exact bytes of fields that deviate from the canonical encoding (filled by the parser). */
  verbatim?: Verbatim;
}

export const USER_LOG_COLUMNS: ReadonlyArray<{ name: string; kind: FieldKind }> = [
  { name: 'userid', kind: 'bare' },
  { name: 'username', kind: 'char' },
  { name: 'oldusername', kind: 'char' },
  { name: 'action', kind: 'char' },
  { name: 'usecreatedb', kind: 'bare' },
  { name: 'usesuper', kind: 'bare' },
  { name: 'usecatupd', kind: 'bare' },
  { name: 'valuntil', kind: 'bare' },
  { name: 'pid', kind: 'bare' },
  { name: 'xid', kind: 'bare' },
  { name: 'recordtime', kind: 'bare' },
];

/** Redshift's "password never expires" value. */
export const VALUNTIL_NEVER = '9223372036854775807';
