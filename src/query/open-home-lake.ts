import type { HomeLayout } from '../core/home.js';
import { openLake } from '../sinks/lake/index.js';
import type { Lake } from '../sinks/lake/types.js';

/**
 * The lake under a home directory, opened the way every command does: through the shared opener
 * `src/cli/open-home-lake` (which supplies the Parquet key when the home has one) when it exists,
 * else without a key.
 */
export async function openLakeOfHome(home: HomeLayout): Promise<Lake> {
  // A variable specifier: the shared opener is written in parallel and may not exist in every build.
  const spec = '../cli/open-home-lake.js';
  try {
    const mod = (await import(spec)) as { openHomeLake?: (h: HomeLayout) => Promise<Lake> };
    if (mod.openHomeLake) return await mod.openHomeLake(home);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  return openLake({ root: home.lake, tmpDir: home.tmp });
}
