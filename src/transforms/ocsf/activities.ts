/**
 * Activity ids from what the sources say. Each function returns [activity_id, label]; the label is what OCSF
 * calls `activity_name` when the id is 99 (Other): the source's own word, not a guess.
 */

/** 6005 Datastore Activity by SQL verb (the lake's `action`: `SELECT`, `CREATE USER`, server_audit `READ` …). */
export function datastoreActivity(action: string): [number, string] {
  const verb = action.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  switch (verb) {
    case 'SELECT': case 'WITH': case 'SHOW': case 'EXPLAIN': case 'DESCRIBE': case 'DESC': case 'FETCH': return [4, 'Query'];
    case 'READ': case 'UNLOAD': return [1, 'Read']; // server_audit table read; UNLOAD reads a table out to S3
    case 'INSERT': case 'COPY': case 'WRITE': case 'LOAD': case 'REPLACE': return [5, 'Write'];
    case 'UPDATE': case 'MERGE': case 'ALTER': case 'RENAME': return [2, 'Update'];
    case 'DELETE': case 'TRUNCATE': case 'DROP': return [7, 'Delete'];
    case 'CREATE': return [6, 'Create'];
  }
  return [99, titleCase(action)];
}

/**
 * 3001 Account Change from a user-log action (`create`, `alter`, `drop`, `rename`) or an account statement
 * (`CREATE ROLE`, `ALTER USER … PASSWORD`, `SET PASSWORD`). An ALTER is a Password Change only when the statement
 * says PASSWORD (the Redshift user log itself does not say what was altered); LOGIN/NOLOGIN and ACCOUNT LOCK map to
 * Enable/Disable/Lock; any other ALTER or a rename stays 99 with its own label.
 */
export function accountActivity(action: string, statement: string | null): [number, string] {
  const verb = action.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  const sql = statement ?? '';
  if (verb === 'CREATE') return [1, 'Create'];
  if (verb === 'DROP') return [6, 'Delete'];
  if (verb === 'SET' && /\bPASSWORD\b/i.test(sql)) return [3, 'Password Change'];
  if (verb === 'ALTER') {
    if (/\bPASSWORD\b|\bIDENTIFIED\b/i.test(sql)) return [3, 'Password Change'];
    if (/\bACCOUNT\s+LOCK\b/i.test(sql)) return [9, 'Lock'];
    if (/\bNOLOGIN\b|\bVALID\s+UNTIL\b/i.test(sql)) return [5, 'Disable'];
    if (/\bLOGIN\b|\bACCOUNT\s+UNLOCK\b/i.test(sql)) return [2, 'Enable'];
    if (/\bRENAME\s+TO\b/i.test(sql)) return [99, 'Rename'];
    return [99, 'Alter'];
  }
  return [99, titleCase(action)];
}

/** Is this user-change statement about an account (3001), rather than a privilege (GRANT/REVOKE → 6005)? */
export function isAccountStatement(action: string): boolean {
  return /^(CREATE|ALTER|DROP|RENAME|SET)\b/i.test(action.trim()) && !/^(CREATE|ALTER|DROP)\s+(SCHEMA|TABLE|DATABASE|VIEW)\b/i.test(action.trim());
}

/**
 * 6003 API Activity from a CloudTrail eventName, by its verb prefix (the rule Security Lake applies to CloudTrail):
 * Create/Put/Add… → Create, Get/Describe/List… → Read, Update/Modify/Enable… → Update, Delete/Remove… → Delete;
 * otherwise `readOnly` decides Read, else 99 with the eventName.
 */
export function apiActivity(eventName: string, readOnly: unknown): [number, string] {
  if (/^(Create|Add|Put|Register|Run|Import|Allocate|Issue|Request|Copy|Upload|Generate|Invoke|Start|Restore|Assume|Associate|Attach|Authorize|Enable)/.test(eventName)) {
    if (/^(Start|Enable|Associate|Attach|Authorize)/.test(eventName)) return [3, 'Update'];
    return [1, 'Create'];
  }
  if (/^(Get|Describe|List|Lookup|Head|Search|Query|Select|Scan|Batch(Get|Describe)|Check|Verify|Decrypt|Download|View)/.test(eventName)) return [2, 'Read'];
  if (/^(Update|Modify|Set|Change|Reset|Reboot|Resize|Rotate|Tag|Untag|Replace|Stop|Disable|Disassociate|Detach|Revoke|Cancel|Pause|Resume|Apply|Enter|Exit|Rename)/.test(eventName)) return [3, 'Update'];
  if (/^(Delete|Remove|Deregister|Terminate|Purge|Release|Destroy)/.test(eventName)) return [4, 'Delete'];
  if (readOnly === true) return [2, 'Read'];
  return [99, eventName || 'Other'];
}

function titleCase(s: string): string {
  return s.trim().toLowerCase().replace(/(^|\s)\S/g, (c) => c.toUpperCase()) || 'Other';
}
