import type { OcsfClassInfo } from './types.js';

/** The OCSF version auditlake writes: the newest Amazon Security Lake accepts from custom sources. */
export const OCSF_VERSION = '1.3.0';

const OTHER = { 0: 'Unknown', 99: 'Other' };

export const ACCOUNT_CHANGE: OcsfClassInfo = {
  uid: 3001, name: 'Account Change', categoryUid: 3, categoryName: 'Identity & Access Management', sourceName: 'auditlake-account-change',
  activities: { ...OTHER, 1: 'Create', 2: 'Enable', 3: 'Password Change', 4: 'Password Reset', 5: 'Disable', 6: 'Delete', 7: 'Attach Policy', 8: 'Detach Policy', 9: 'Lock', 10: 'MFA Factor Enable', 11: 'MFA Factor Disable' },
};
export const AUTHENTICATION: OcsfClassInfo = {
  uid: 3002, name: 'Authentication', categoryUid: 3, categoryName: 'Identity & Access Management', sourceName: 'auditlake-authentication',
  activities: { ...OTHER, 1: 'Logon', 2: 'Logoff', 3: 'Authentication Ticket', 4: 'Service Ticket Request', 5: 'Service Ticket Renew', 6: 'Preauth' },
};
export const API_ACTIVITY: OcsfClassInfo = {
  uid: 6003, name: 'API Activity', categoryUid: 6, categoryName: 'Application Activity', sourceName: 'auditlake-api-activity',
  activities: { ...OTHER, 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete' },
};
export const DATASTORE_ACTIVITY: OcsfClassInfo = {
  uid: 6005, name: 'Datastore Activity', categoryUid: 6, categoryName: 'Application Activity', sourceName: 'auditlake-datastore-activity',
  activities: { ...OTHER, 1: 'Read', 2: 'Update', 3: 'Connect', 4: 'Query', 5: 'Write', 6: 'Create', 7: 'Delete', 8: 'List', 9: 'Encrypt', 10: 'Decrypt' },
};

export const OCSF_CLASSES: readonly OcsfClassInfo[] = [ACCOUNT_CHANGE, AUTHENTICATION, API_ACTIVITY, DATASTORE_ACTIVITY];

export function classByUid(uid: number): OcsfClassInfo | undefined {
  return OCSF_CLASSES.find((c) => c.uid === uid);
}
