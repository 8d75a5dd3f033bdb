import type { HomeLayout } from '../core/home.js';
import { openLake } from '../sinks/lake/index.js';
import type { Lake } from '../sinks/lake/types.js';

/**
 * Opens the lake under the home directory the way every command does: through the shared home opener
 * (`src/cli/open-home-lake`, which supplies the Parquet key when the home has one) when it exists, else directly.
 */
export async function openHomeLakeForCollect(home: HomeLayout): Promise<Lake> {
  // variable specifier: the shared opener is written in parallel by another engineer and may not exist yet
  const spec = '../cli/open-home-lake.js';
  try {
    const mod = (await import(spec)) as { openHomeLake?: (h: HomeLayout) => Promise<Lake> };
    if (mod.openHomeLake) return await mod.openHomeLake(home);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  return openLake({ root: home.lake, tmpDir: home.tmp });
}
