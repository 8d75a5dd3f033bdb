import { accountActivity } from './activities.js';
import { baseEvent, compact, unmappedOf, type MapContext } from './base.js';
import { ACCOUNT_CHANGE } from './classes.js';
import { networkEndpoint } from './endpoint.js';
import type { ExportRow, OcsfEvent } from './types.js';

/**
 * Account changes → 3001. The Redshift user log names only the changed user: the actor (and the statement that
 * tells a password change from another ALTER) come from the activity-log statement of the same pid and
 * transaction (`row.by`), the origin from the connection log (`row.conn`). pgaudit/server_audit records name the
 * actor themselves. The statement is never copied here: a password change carries no secret, not even redacted.
 */
export function mapAccount(row: ExportRow, ctx: MapContext): OcsfEvent {
  const statement = row.statement ?? row.by?.statement ?? null;
  const [activityId, label] = accountActivity(row.action, statement);
  const ev = baseEvent(row, ACCOUNT_CHANGE, activityId, row.success === false ? 3 : 2, ctx, label);
  const d = row.details;
  const isRename = row.action.toLowerCase() === 'rename' || label === 'Rename';
  const oldName = typeof d.oldusername === 'string' && d.oldusername ? d.oldusername : undefined;
  const changed = row.object ?? 'unknown';
  const actorName = row.user ?? row.by?.user;
  const xid = typeof d.xid === 'string' ? d.xid : undefined;
  if (xid) (ev.metadata as Record<string, unknown>).correlation_uid = xid;
  const user = compact({
    name: isRename && oldName ? oldName : changed,
    uid: typeof d.userid === 'string' ? d.userid : undefined,
    // Redshift's usesuper flag: a superuser is an Admin in OCSF's user type.
    type_id: d.usesuper === '1' ? 2 : d.usesuper === '0' ? 1 : undefined,
    type: d.usesuper === '1' ? 'Admin' : d.usesuper === '0' ? 'User' : undefined,
  });
  const unmapped = unmappedOf(row, ['xid', 'userid', 'oldusername']);
  if (statement) unmapped.statement_verb = statement.trim().split(/\s+/).slice(0, 2).join(' ').toUpperCase();
  return Object.assign(ev, compact({
    user,
    user_result: isRename && oldName ? { name: changed } : undefined,
    actor: actorName ? compact({ user: { name: actorName }, session: row.session ? { uid: row.session } : undefined }) : undefined,
    src_endpoint: networkEndpoint(row.remoteHost, row.remotePort) ?? networkEndpoint(row.conn?.host, row.conn?.port) ?? undefined,
    unmapped,
  }));
}
