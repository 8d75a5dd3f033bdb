import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../../buffer/process-alive.js';

/** Temp entries named after the pid of the process that made them (batch spills, DuckDB spill directories). */
const OWNED = /^(?:batch|duckdb|duckdb-query|duckdb-export)-(\d+)(?:[-.]|$)/;

/**
 * Removes what a killed run left in the home's temp space (kill -9 mid-ingest or mid-collect): spill files and
 * DuckDB temp files of processes that no longer exist. They are ciphertext when keys are on, but no one can read
 * them any more (their keys died with the process), so they are only disk to give back. Returns how many went.
 */
export async function removeStaleTempDirs(tmpDir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
    const m = OWNED.exec(name);
    if (!m || Number(m[1]) === process.pid || isProcessAlive(Number(m[1]))) continue;
    await rm(join(tmpDir, name), { recursive: true, force: true }).catch(() => undefined);
    n++;
  }
  return n;
}
