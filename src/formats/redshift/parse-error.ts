import { AuditlakeError } from '../../core/errors.js';

const MAX_QUOTED = 80;

/** Quotes a field value for an error message, shortened so a huge field cannot flood the quarantine. */
export function quoteValue(value: string): string {
  const v = value.length > MAX_QUOTED ? value.slice(0, MAX_QUOTED) + '…' : value;
  return JSON.stringify(v);
}

/** `<log> line <n>: field <i> (<name>) "<value>" <problem>` as an E_PARSE error. */
export function fieldError(log: string, line: number, index: number, name: string, value: string, problem: string): AuditlakeError {
  return new AuditlakeError('E_PARSE', `${log} line ${line}: field ${index + 1} (${name}) ${quoteValue(value)} ${problem}`);
}

export function lineError(log: string, line: number, problem: string): AuditlakeError {
  return new AuditlakeError('E_PARSE', `${log} line ${line}: ${problem}`);
}
