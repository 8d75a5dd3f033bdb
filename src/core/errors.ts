/**
 * Every error auditlake raises carries a stable code and, where there is one, the cause.
 * Messages start with the component and name the file/line/field they are about.
 * The CLI (src/cli/exit-codes.ts) and the HTTP layer map codes in one place each.
 */
export type ErrorCode =
  | 'E_USAGE' // bad arguments or configuration
  | 'E_PARSE' // a record or file that does not follow its format
  | 'E_UNKNOWN_KEY' // an object key that matches no known layout
  | 'E_IO' // filesystem / network failure
  | 'E_NOT_FOUND'
  | 'E_EXISTS' // a write that would overwrite an existing object
  | 'E_CONFLICT' // a conditional write lost a race (the object changed since it was read: If-Match / 412)
  | 'E_QUERY' // bad SQL
  | 'E_KEY' // key management: missing, disabled, wrong passphrase
  | 'E_INTEGRITY' // verification failed
  | 'E_POLICY' // refused by retention / framework / legal hold rules
  | 'E_DB' // a live database refused or failed
  | 'E_TIMEOUT'
  | 'E_AUTH' // no or bad credentials (HTTP 401)
  | 'E_FORBIDDEN' // authenticated, but the role or account scope does not allow it (HTTP 403)
  | 'E_LIMIT' // a rate or size limit was hit (HTTP 429 / 413)
  | 'E_LOCKED' // another run holds the home (src/core/home-lock.ts)
  | 'E_INTERNAL';

export class AuditlakeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AuditlakeError';
    this.code = code;
  }
}

/** True when `err` (or anything on its `cause` chain) is an AuditlakeError with `code`. */
export function hasErrorCode(err: unknown, code: ErrorCode): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 10; depth++) {
    if (e instanceof AuditlakeError && e.code === code) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
