/**
 * @module
 * Prometheus metrics (prom-client, own registry so tests can run several servers in one process). Names follow
 * the Vector component spec where one applies (`component_received_events_total`, `component_errors_total`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method'>;
  intake: Counter<'result'>;
  errors: Counter<'error_type' | 'stage'>;
  lakeEvents: Gauge;
  lakeLag: Gauge;
  auditPending: Gauge;
}

export interface MetricSources {
  /** Rows in the lake's live files (the manifest's count). */
  lakeRows(): number;
  /** ms since the lake last committed, or null when empty. */
  lakeLagMs(): number | null;
  auditPending(): number;
}

export function createServerMetrics(src: MetricSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'auditlake_' });
  return {
    registry,
    requests: new Counter({ name: 'auditlake_http_requests_total', help: 'API requests by route template, method and status', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    latency: new Histogram({ name: 'auditlake_http_request_duration_seconds', help: 'API request latency', labelNames: ['route', 'method'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    intake: new Counter({ name: 'component_received_events_total', help: 'intake events by result (accepted, duplicate, ignored, rejected)', labelNames: ['result'], registers: [registry] }),
    errors: new Counter({ name: 'component_errors_total', help: 'errors by type and stage', labelNames: ['error_type', 'stage'], registers: [registry] }),
    lakeEvents: new Gauge({ name: 'auditlake_lake_events', help: 'events in the lake (live Parquet rows)', registers: [registry], collect() { this.set(src.lakeRows()); } }),
    lakeLag: new Gauge({
      name: 'auditlake_lake_commit_age_seconds', help: 'seconds since the lake last committed new events (ingest lag upper bound)', registers: [registry],
      collect() { const ms = src.lakeLagMs(); this.set(ms === null ? -1 : ms / 1000); },
    }),
    auditPending: new Gauge({ name: 'auditlake_self_audit_pending_records', help: 'API audit records journaled but not yet in the vault and lake', registers: [registry], collect() { this.set(src.auditPending()); } }),
  };
}
