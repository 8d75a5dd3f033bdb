import type { AccountManifest, CloudTrailCounts, GeneratedLogType, ObjectCounts } from './types.js';

export const emptyCounts = (): ObjectCounts => ({ objects: 0, records: 0, bytes: 0, compressedBytes: 0 });

export function emptyAccount(account: string, region: string, clusters: string[]): AccountManifest {
  const ct: CloudTrailCounts = { ...emptyCounts(), uniqueEvents: 0, duplicates: 0, errors: 0, auditLoggingCalls: 0, consoleLoginFailures: 0, byEventName: {} };
  return {
    account,
    region,
    clusters,
    connectionlog: emptyCounts(),
    userlog: emptyCounts(),
    useractivitylog: emptyCounts(),
    cloudtrail: ct,
    sessions: 0,
    afterHoursSessions: 0,
    failedLogins: 0,
    failedLoginsByUser: {},
    userChanges: 0,
    userChangesByAction: {},
    statementsByUser: {},
    secretStatements: 0,
    multiLineStatements: 0,
  };
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/** Sorts a count map by key so the manifest's bytes do not depend on insertion order. */
export function sortedCounts(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function sumTotals(accounts: AccountManifest[]): Record<GeneratedLogType, ObjectCounts> {
  const types: GeneratedLogType[] = ['connectionlog', 'userlog', 'useractivitylog', 'cloudtrail'];
  const totals = Object.fromEntries(types.map((t) => [t, emptyCounts()])) as Record<GeneratedLogType, ObjectCounts>;
  for (const a of accounts) {
    for (const t of types) {
      const c = a[t];
      totals[t].objects += c.objects;
      totals[t].records += c.records;
      totals[t].bytes += c.bytes;
      totals[t].compressedBytes += c.compressedBytes;
    }
  }
  return totals;
}
