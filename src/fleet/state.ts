import { appendFileSync, mkdirSync } from 'node:fs';
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

/** Workflow state (`state/fleet/state.json`, atomic rewrite) and the outcome log (`state/fleet/outcomes.jsonl`). */
export function openFleetStore(home: HomeLayout, now: () => number = Date.now): FleetStore {
  const dir = join(home.state, 'fleet');
  mkdirSync(dir, { recursive: true });
  const stateFile = join(dir, 'state.json');
  const outcomesFile = join(dir, 'outcomes.jsonl');
  const state: Record<string, DbState> = readJsonFile<Record<string, DbState>>(stateFile) ?? {};
  return {
    outcomesFile,
    get: (n) => state[n],
    set(n, s) {
      state[n] = s;
      writeFileAtomic(stateFile, JSON.stringify(state, null, 1));
    },
    record(o) {
      const full: FleetOutcome = { time: new Date(now()).toISOString(), ...o };
      appendFileSync(outcomesFile, JSON.stringify(full) + '\n');
      return full;
    },
  };
}
