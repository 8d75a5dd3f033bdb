/**
 * @module
 * One sandboxed DuckDB per account scope (plus one for unscoped callers). A scoped engine is built over that
 * account's files only and DuckDB itself may open nothing else (src/query/engine.ts), so confinement holds for any
 * SQL a caller sends. Engines are kept (least recently used first out) because opening one costs a DuckDB instance.
 */
import { LOG_TYPES } from '../core/event.js';
import { createQueryEngine, type QueryEngine } from '../sinks/lake/reader/engine.js';

export interface ScopedEngines {
  /** The engine for `account` (null = every account). */
  get(account: string | null): QueryEngine;
  close(): Promise<void>;
}

export interface ScopedEnginesOptions {
  root: string;
  masterKey: Buffer | null;
  tmpDir: string;
  /** Engines kept open at most (default 8). */
  max?: number;
  memoryLimit?: string;
}

export function createScopedEngines(o: ScopedEnginesOptions): ScopedEngines {
  const engines = new Map<string, QueryEngine>();
  const max = o.max ?? 8;
  return {
    get(account) {
      const key = account ?? '*';
      let e = engines.get(key);
      if (e) {
        engines.delete(key);
        engines.set(key, e); // most recently used last
        return e;
      }
      e = createQueryEngine(o.root, o.masterKey, 1, o.memoryLimit ?? '256MB', o.tmpDir, account ? { account, logTypes: LOG_TYPES } : {});
      engines.set(key, e);
      if (engines.size > max) {
        const [oldKey, old] = engines.entries().next().value as [string, QueryEngine];
        engines.delete(oldKey);
        void old.close();
      }
      return e;
    },
    async close() {
      await Promise.all([...engines.values()].map((e) => e.close()));
      engines.clear();
    },
  };
}
