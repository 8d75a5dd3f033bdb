import { AuditlakeError, type ErrorCode } from '../core/errors.js';

/** The one place error codes become process exit codes. 1 = findings (e.g. verify), 2 = usage. */
const EXIT: Record<ErrorCode, number> = {
  E_USAGE: 2,
  E_PARSE: 3,
  E_UNKNOWN_KEY: 3,
  E_IO: 4,
  E_NOT_FOUND: 4,
  E_EXISTS: 4,
  E_CONFLICT: 4,
  E_QUERY: 5,
  E_KEY: 6,
  E_INTEGRITY: 1,
  E_POLICY: 7,
  E_DB: 8,
  E_TIMEOUT: 9,
  E_AUTH: 10,
  E_FORBIDDEN: 10,
  E_LIMIT: 11,
  E_LOCKED: 13,
  E_INTERNAL: 70,
};

export function exitCodeFor(err: unknown): number {
  return err instanceof AuditlakeError ? EXIT[err.code] : 70;
}

/**
 * `ingest` completed, but refused some objects (each with its reason in the quarantine) or could not read
 * some (retried next run): distinct from success (0), usage (2) and a crash (70), so a scheduler can alert.
 */
export const EXIT_COMPLETED_WITH_REFUSED = 12;
