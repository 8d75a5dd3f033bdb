import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

/** The six real Redshift files (aws/redshift-test-drive) and the record counts from their README. */
export const FIXTURE_DIR = join(repoRoot, 'test/fixtures/redshift-test-drive');

export const FIXTURE_COUNTS: Record<string, number> = {
  'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T15_24.gz': 51,
  'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T16_24.gz': 18,
  'accountid_redshift_us-east-1_redshift-cluster-1_connectionlog_2020-06-10T17_24.gz': 18,
  'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T15_24.gz': 1009,
  'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T16_24.gz': 1648,
  'accountid_redshift_us-east-1_redshift-cluster-1_useractivitylog_2020-06-10T17_24.gz': 1652,
};

/** Where Redshift would have delivered them: `AWSLogs/<account>/redshift/<region>/Y/M/D/<file>`. */
export const FIXTURE_KEY_DIR = 'AWSLogs/accountid/redshift/us-east-1/2020/06/10';

/** Copies the fixtures into `dir` in the AWSLogs layout; returns the keys. */
export async function layOutFixtures(dir: string): Promise<string[]> {
  await mkdir(join(dir, FIXTURE_KEY_DIR), { recursive: true });
  const keys: string[] = [];
  for (const f of (await readdir(FIXTURE_DIR)).filter((n) => n.endsWith('.gz')).sort()) {
    await copyFile(join(FIXTURE_DIR, f), join(dir, FIXTURE_KEY_DIR, f));
    keys.push(`${FIXTURE_KEY_DIR}/${f}`);
  }
  return keys;
}
