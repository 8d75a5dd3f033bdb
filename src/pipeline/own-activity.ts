import type { AuditEvent } from '../core/event.js';

/**
 * Recognises auditlake's own traffic in a database's audit log: the drift check's admin connection and its canary
 * probe (connect, statements, disconnect). Those records are still delivered to the lake — they are evidence that
 * the check ran — but they must not reset the silence clock: with a drift check every 5 min and a silence threshold
 * of 60 min, a database whose only records are our canaries would otherwise never be reported silent.
 *
 * Three signals, any one suffices:
 *  - the session id is one that `enable` reported as its own (admin + probe connection; the only signal MariaDB's
 *    server_audit offers for CONNECT/DISCONNECT rows, which carry no program name);
 *  - PostgreSQL's application_name starts with `auditlake-` (set on every connection auditlake opens);
 *  - the statement carries the canary tag.
 * A registered session is forgotten at its disconnect record (a reused pid or connection id is a new session), or
 * after `ttlMs` when the disconnect is never read.
 */
export interface OwnActivity {
  /** Sessions (as the audit log names them: pgaudit session id or pid, MariaDB connection id) auditlake opened. */
  addSessions(source: string, sessions: readonly string[]): void;
  /** True for a record of auditlake's own traffic; marks it (`details.auditlakeOwn`) so the lake can tell too. */
  classify(source: string, ev: AuditEvent): boolean;
}

export const OWN_DETAIL = 'auditlakeOwn';
const CANARY = /auditlake[-_]canary/;
const DISCONNECT = 'disconnecting session';

export function createOwnActivity(o: { ttlMs?: number; now?: () => number } = {}): OwnActivity {
  const ttl = o.ttlMs ?? 3_600_000;
  const now = o.now ?? Date.now;
  const sessions = new Map<string, number>(); // `${source}\0${session}` → registered at

  const own = (source: string, ev: AuditEvent): boolean => {
    if (ev.session !== null) {
      const key = `${source}\0${ev.session}`;
      const at = sessions.get(key);
      if (at !== undefined && now() - at > ttl) sessions.delete(key);
      else if (at !== undefined) {
        if (ev.action === DISCONNECT) sessions.delete(key);
        return true;
      }
    }
    const app = ev.details?.applicationName;
    if (typeof app === 'string' && app.startsWith('auditlake-')) return true;
    return ev.statement !== null && CANARY.test(ev.statement);
  };

  return {
    addSessions(source, list) {
      for (const s of list) sessions.set(`${source}\0${s}`, now());
    },
    classify(source, ev) {
      if (!own(source, ev)) return false;
      ev.details = { ...ev.details, [OWN_DETAIL]: true };
      return true;
    },
  };
}
