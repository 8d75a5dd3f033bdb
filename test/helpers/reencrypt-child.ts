/**
 * Child process for the kill -9 test: runs a re-encryption over a vault under AUDITLAKE_TEST_DIR and is killed
 * by the parent part-way. Uses only the library, as the CLI does.
 */
import { join } from 'node:path';
import { createLocalKeyring } from '../../src/keyring/drivers/local.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { reencryptVault } from '../../src/vault/reencrypt.js';

const dir = process.env.AUDITLAKE_TEST_DIR!;
const report = await reencryptVault({
  store: createFsStore({ root: join(dir, 'vault') }),
  keyring: createLocalKeyring({ dir: join(dir, 'keys'), passphrase: async () => 'pw' }),
  toKey: 'alias/New',
  rewrapOnly: process.env.AUDITLAKE_TEST_REWRAP === '1',
  journalPath: join(dir, 'state', 'reencrypt.journal.jsonl'),
});
process.stdout.write(JSON.stringify({ ok: report.ok }) + '\n');
