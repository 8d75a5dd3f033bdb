import type { ScheduledEvent } from 'aws-lambda';
import { createRuntime, type Runtime, type RuntimeDeps } from '../shared/runtime.js';
import { readConfig, type Config } from './config.js';
import { sweep, type SweepReport } from './sweep.js';

/**
 * Scheduled (EventBridge) catch-up for best-effort S3/EventBridge delivery: processes what the events missed and
 * adopts the handlers' lake fragments into the manifest. Answers with the report (how many it caught up).
 */
export function createHandler(deps: RuntimeDeps & { now?: () => Date } = {}): (event: ScheduledEvent) => Promise<SweepReport> {
  let rt: Runtime | undefined;
  let cfg: Config | undefined;
  return async (event) => {
    cfg ??= readConfig(deps.env ?? process.env);
    rt ??= createRuntime(cfg, deps);
    const now = deps.now?.() ?? (event?.time ? new Date(event.time) : new Date());
    return sweep(rt, { sources: cfg.sources, lookbackHours: cfg.lookbackHours, maxObjects: cfg.maxObjects, now });
  };
}

export const handler = createHandler();
