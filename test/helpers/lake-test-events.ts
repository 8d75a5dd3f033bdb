import { eventIdFor } from '../../src/core/event-id.js';
import type { AuditEvent, LogType } from '../../src/core/event.js';

/**
 * Deterministic synthetic events for lake tests and the write benchmark (not a log generator: the
 * values only need realistic sizes and a spread over partitions).
 */
export function* syntheticEvents(n: number, o: { seed?: number; start?: number; stepMs?: number; accounts?: string[]; logTypes?: LogType[]; source?: string } = {}): Generator<AuditEvent> {
  let s = (0x9e3779b9 + (o.seed ?? 1)) >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const users = ['analyst', 'etl_loader', 'rdsdb', 'bi_tableau', 'dbt_runner', 'admin', 'looker_svc', 'data_sci_01'];
  const tables = ['sales.orders', 'sales.customers', 'finance.invoices', 'events.page_views', 'public.refunds'];
  const accounts = o.accounts ?? ['111122223333'];
  const logTypes = o.logTypes ?? ['activity', 'activity', 'activity', 'connection', 'user'];
  const source = o.source ?? 'AWSLogs/111122223333/redshift/us-east-1/2026/10/01/111122223333_redshift_us-east-1_prod_useractivitylog_2026-10-01T00:00.gz';
  let t = o.start ?? Date.UTC(2026, 9, 1);
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * (o.stepMs ?? 400));
    const logType = pick(logTypes);
    const user = pick(users);
    const pid = String(1000 + Math.floor(rnd() * 1e9));
    const stmt = `select t.id, t.amount from ${pick(tables)} t where t.id in (${Math.floor(rnd() * 99999)}, ${Math.floor(rnd() * 99999)}) order by 1 desc limit 100;`;
    yield {
      eventId: eventIdFor(['synthetic', String(o.seed ?? 1), source, String(i)]),
      time: t, logType, sourceFormat: 'redshift-useractivitylog', account: pick(accounts), region: 'us-east-1', service: 'redshift',
      cluster: 'prod', database: 'dev', user, session: pid,
      remoteHost: logType === 'connection' ? `10.0.${i % 255}.${(i >> 8) % 255}` : null, remotePort: logType === 'connection' ? '5439' : null,
      action: logType === 'activity' ? 'SELECT' : 'authenticated', statement: logType === 'activity' ? stmt : null,
      success: logType === 'connection' ? rnd() < 0.9 : null, errorCode: null, object: logType === 'activity' ? pick(tables) : null,
      details: { userid: 100 + (i % 50), xid: String(12345 + i) },
      raw: `'2026-10-01T00:00:00Z UTC [ db=dev user=${user} pid=${pid} userid=100 xid=12345 ]' LOG: ${stmt}`,
      sourceObject: source, sourceLine: i + 1,
    };
  }
}
