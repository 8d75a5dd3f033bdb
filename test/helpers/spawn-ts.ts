import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Spawns a sibling test helper script as a Node child process, from src (through tsx) or from dist (compiled),
 * whichever this file is running as. `name` is the helper's file name without extension.
 */
export function spawnHelper(name: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const script = fileURLToPath(new URL(`./${name}${ts ? '.ts' : '.js'}`, import.meta.url));
  return spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}
