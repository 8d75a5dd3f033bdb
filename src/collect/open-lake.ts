import type { HomeLayout } from '../core/home.js';
import type { Lake } from '../sinks/lake/types.js';
import { openHomeLake } from '../cli/open-home-lake.js';

/**
 * Opens the lake under the home directory the way every command does (the shared opener supplies the Parquet key
 * when the home has a keyring), so collected events land in the same, possibly encrypted, lake as ingested ones.
 */
export function openHomeLakeForCollect(home: HomeLayout): Promise<Lake> {
  return openHomeLake(home);
}
