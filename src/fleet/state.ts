import { appendFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeLayout } from '../core/home.js';
import { readJsonFile, writeFileAtomic } from '../buffer/atomic-file.js';

/** Where one database is in the enable → verify → collect workflow. Persisted, so a restarted watcher resumes. */
export interface DbState {
  step: 'pending' | 'enabled' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  enabledAt?: number;
  lastDriftCheckAt?: number;
  silenceAlertedAt?: number;
  lastError?: string;
}

export interface FleetOutcome {
  time: string;
  database: string;
  /** discovered | enable | drift | silence | retry | failed | collect */
  event: string;
  ok: boolean;
  attempt?: number;
  message: string;
  changes?: string[];
  verifiedMs?: number;
  retryInMs?: number;
}

export interface FleetStore {
  get(name: string): DbState | undefined;
  set(name: string, s: DbState): void;
  record(o: Omit<FleetOutcome, 'time'>): FleetOutcome;
  readonly outcomesFile: string;
}

const PREFIX = 'db-';

/** A database name as a file name: anything but [A-Za-z0-9._-] is %-encoded, so names never collide or escape. */
function fileOf(dir: string, name: string): string {
  return join(dir, `${PREFIX}${name.replace(/[^A-Za-z0-9._-]/g, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`))}.json`);
}

/**
 * Workflow state, one file per database (`state/fleet/dbs/db-<name>.json`, atomic rewrite), and the outcome log
 * (`state/fleet/outcomes.jsonl`, appends). `serve` and `watch` may run on the same home at once: a single shared
 * state file rewritten from each process's memory lost the other's updates, so each database has its own file and
 * every read goes to disk (a few hundred bytes) — the other process's progress is seen at once. A home written by
 * an earlier version (`state/fleet/state.json`) is split on open.
 */
export function openFleetStore(home: HomeLayout, now: () => number = Date.now): FleetStore {
  const dir = join(home.state, 'fleet');
  const dbs = join(dir, 'dbs');
  mkdirSync(dbs, { recursive: true });
  migrateSingleFile(join(dir, 'state.json'), dbs);
  const outcomesFile = join(dir, 'outcomes.jsonl');
  return {
    outcomesFile,
    get: (n) => readJsonFile<{ name: string; state: DbState }>(fileOf(dbs, n))?.state,
    set(n, s) {
      writeFileAtomic(fileOf(dbs, n), JSON.stringify({ name: n, state: s }, null, 1));
    },
    record(o) {
      const full: FleetOutcome = { time: new Date(now()).toISOString(), ...o };
      // one write(2) with O_APPEND per line: lines of two processes never interleave
      appendFileSync(outcomesFile, JSON.stringify(full) + '\n');
      return full;
    },
  };
}

function migrateSingleFile(old: string, dbs: string): void {
  const legacy = readJsonFile<Record<string, DbState>>(old);
  if (!legacy) return;
  for (const [name, s] of Object.entries(legacy)) {
    const f = fileOf(dbs, name);
    if (readJsonFile(f) === undefined) writeFileAtomic(f, JSON.stringify({ name, state: s }, null, 1));
  }
  try {
    renameSync(old, `${old}.migrated`);
  } catch (err) {
    // another process migrated it at the same moment
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
