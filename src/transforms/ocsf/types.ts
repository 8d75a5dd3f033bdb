import type { AuditEvent } from '../../core/event.js';

/** An OCSF event as plain JSON (validated against the schema by src/formats/ocsf/schema in the tests). */
export type OcsfEvent = Record<string, unknown>;

/**
 * A lake event plus what the export joins onto it (src/export/ocsf/select-sql.ts): the Redshift connection-log
 * record of the same cluster and pid at or before the event (origin of a statement), and for a Redshift user-log
 * record the activity-log statement of the same pid and transaction (who made the change).
 */
export interface ExportRow extends Omit<AuditEvent, 'raw'> {
  raw: string;
  conn?: { host: string; port: string | null; time: number; sessionId: string | null } | null;
  by?: { user: string; statement: string | null; time: number } | null;
}

/** The OCSF classes auditlake emits (one Security Lake custom source each). */
export interface OcsfClassInfo {
  uid: number;
  name: string;
  categoryUid: number;
  categoryName: string;
  /** Security Lake custom source name suffix and folder under `ext/`. */
  sourceName: string;
  activities: Record<number, string>;
}
