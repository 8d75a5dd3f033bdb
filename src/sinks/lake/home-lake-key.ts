import { join } from 'node:path';
import { AuditlakeError } from '../../core/errors.js';
import type { HomeLayout } from '../../core/home.js';
import { LAKE_KEY_FILE, openHomeLakeKey } from '../../keyring/lake-key.js';

/**
 * The Parquet key to open the home's lake with, or null for a plaintext lake:
 * - the lake is encrypted → unwrap `<home>/keys/lake-key.json` (fails with E_KEY without key access);
 * - the lake already holds plaintext files → null (it stays plaintext; encrypting needs a new lake);
 * - the lake is empty → a lake key when a keyring is set up (created on first use), else null (demo, no keys).
 */
export async function homeLakeKey(home: HomeLayout, env: NodeJS.ProcessEnv = process.env): Promise<Buffer | null> {
  const { readManifest } = await import('./manifest.js');
  const m = await readManifest(home.lake);
  if (m.encryption) {
    const key = await openHomeLakeKey(home, { env });
    if (!key) throw new AuditlakeError('E_KEY', `lake: ${home.lake} is encrypted but its wrapped key ${join(home.keys, LAKE_KEY_FILE)} is missing`);
    return key;
  }
  if (m.files.length > 0) return null;
  return openHomeLakeKey(home, { create: true, env });
}
