import { isAccountStatement } from './activities.js';
import type { MapContext } from './base.js';
import { mapAccount } from './map-account.js';
import { mapApi } from './map-api.js';
import { mapConnection } from './map-connection.js';
import { mapStatement } from './map-statement.js';
import type { ExportRow, OcsfEvent } from './types.js';

/**
 * One lake event → one OCSF 1.3.0 event (docs/reference/ocsf-mapping.md). Pure: what must be joined from other
 * records (the origin of a Redshift statement, the author of a Redshift user change) arrives on the row.
 */
export function mapToOcsf(row: ExportRow, ctx: MapContext): OcsfEvent {
  switch (row.logType) {
    case 'connection': return mapConnection(row, ctx);
    case 'api': return mapApi(row, ctx);
    case 'user':
      // The Redshift user log is all account changes; pgaudit ROLE and server_audit DCL also carry GRANT/REVOKE.
      return row.sourceFormat === 'redshift-userlog' || isAccountStatement(row.action) ? mapAccount(row, ctx) : mapStatement(row, ctx);
    case 'activity': return mapStatement(row, ctx);
  }
}
