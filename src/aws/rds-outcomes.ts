import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One database's last auto-enable outcome, as the state machine recorded it. */
export interface Outcome {
  /** `<account>/<region>/<db id>` */
  database: string;
  status: string;
  engine: string;
  detail: string;
  execution: string;
  updatedAt: string;
}

/** Every outcome in the table (paged Scan; the table has one item per database). Sorted by database. */
export async function listOutcomes(db: DynamoDBClient, table: string): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const it of page.Items ?? []) {
      const s = (k: string) => it[k]?.S ?? '';
      out.push({ database: s('database'), status: s('status'), engine: s('engine'), detail: s('detail'), execution: s('execution'), updatedAt: s('updatedAt') });
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return out.sort((a, b) => a.database.localeCompare(b.database));
}

export function formatOutcomes(o: Outcome[]): string {
  if (o.length === 0) return 'no database has been handled yet';
  return o.map((x) => `${x.database}\t${x.status}\t${x.engine}\t${x.updatedAt}\t${x.detail}`).join('\n');
}
