import type { HomeLayout } from '../core/home.js';
import type { Lake } from '../core/lake.js';
import { createCollector, type CollectStats } from './collector.js';
import type { CollectConfig } from '../config/collect.js';

export interface RunCollectOptions {
  /** Poll once, deliver everything, return (cron / tests). */
  once?: boolean;
  /** Called with recovery notes after the buffers are opened. */
  onRecovery?: (notes: string[]) => void;
  /** Called once the buffers are open and the collector is about to start reading. */
  onReady?: () => void;
  /** Resolves when the collector should stop (the CLI wires SIGTERM/SIGINT to it). */
  stopSignal?: Promise<void>;
}

/** Runs the collector until `stopSignal` (or one round with `once`), flushing everything before returning. */
export async function runCollect(cfg: CollectConfig, home: HomeLayout, lake: Lake, o: RunCollectOptions = {}): Promise<CollectStats> {
  const c = await createCollector(cfg, home, lake);
  if (c.recovery.length) o.onRecovery?.(c.recovery);
  o.onReady?.();
  if (o.once) {
    await c.stop();
    return c.stats();
  }
  const loop = c.run();
  await Promise.race([o.stopSignal ?? new Promise<void>(() => {}), loop]);
  await c.stop();
  return c.stats();
}
