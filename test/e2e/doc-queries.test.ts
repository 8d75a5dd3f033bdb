import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveHome } from '../../src/core/home.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { openLake } from '../../src/sinks/lake/index.js';
import { viewsReferencedBy } from '../../src/sinks/lake/views.js';
import { createFsStore } from '../../src/stores/drivers/fs.js';
import { layOutFixtures } from '../helpers/redshift-fixtures.js';
import { repoRoot } from '../helpers/repo-root.js';

/** Queries the docs show failing on purpose (the error message is what they document). */
const MEANT_TO_FAIL = new Set(['select usr from connections']);

/** The argument of every `auditlake query '…'` / `"…"` in a text, shell-unquoted. */
export function cliQueries(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/auditlake query (['"])/g)) {
    const q = m[1];
    let i = m.index + m[0].length;
    let s = '';
    for (; i < md.length && md[i] !== q; i++) {
      if (q === '"' && md[i] === '\\' && i + 1 < md.length) i++;
      s += md[i];
    }
    out.push(s);
  }
  return out;
}

/** Every statement of every ```sql block (comment lines dropped, split at `;` ending a line). */
export function sqlBlockQueries(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/```sql\n([\s\S]*?)```/g)) {
    const body = m[1].split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
    out.push(...body.split(/;\s*\n/).map((s) => s.trim().replace(/;$/, '')).filter(Boolean));
  }
  return out;
}

async function docFiles(): Promise<string[]> {
  const guide = (await readdir(join(repoRoot, 'docs/guide'))).filter((f) => f.endsWith('.md')).map((f) => join(repoRoot, 'docs/guide', f));
  const reference = (await readdir(join(repoRoot, 'docs/reference'))).filter((f) => f.endsWith('.md')).map((f) => join(repoRoot, 'docs/reference', f));
  return [join(repoRoot, 'README.md'), ...guide, ...reference];
}

test('extraction: shell quoting and sql blocks', () => {
  assert.deepEqual(cliQueries(`$ auditlake query "select \\"user\\" from x" --format json\n$ auditlake query 'select 1'`), ['select "user" from x', 'select 1']);
  assert.deepEqual(sqlBlockQueries('```sql\n-- c\nselect 1;\nselect\n 2;\n```'), ['select 1', 'select\n 2']);
});

test('every lake query in README.md, docs/guide and docs/reference runs on a lake of the real fixtures', async () => {
  const work = await mkdtemp(join(tmpdir(), 'auditlake-docq-'));
  try {
    const logs = join(work, 'logs');
    await layOutFixtures(logs);
    const ct = 'AWSLogs/111122223333/CloudTrail/us-east-1/2021/08/03';
    await mkdir(join(logs, ct), { recursive: true });
    const ctFile = '111122223333_CloudTrail_us-east-1_20210803T1505Z_Ab12Cd34Ef56Gh78.json.gz';
    await copyFile(join(repoRoot, 'test/fixtures/cloudtrail', ctFile), join(logs, ct, ctFile));
    const home = resolveHome(join(work, 'home'));
    const lake = await openLake({ root: home.lake, tmpDir: home.tmp });
    try {
      await ingest({ store: createFsStore({ root: logs }), lake, home });
      const failures: string[] = [];
      let ran = 0;
      for (const file of await docFiles()) {
        const md = await readFile(file, 'utf8');
        for (const sql of [...cliQueries(md), ...sqlBlockQueries(md)]) {
          if (viewsReferencedBy(sql).length === 0) continue; // not a lake query (OCSF export, Athena DDL…)
          ran++;
          const err = await lake.query(sql).then(() => null, (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e)));
          if (MEANT_TO_FAIL.has(sql) !== (err !== null)) failures.push(`${file.slice(repoRoot.length + 1)}: ${sql.replace(/\s+/g, ' ').slice(0, 120)} → ${err ?? 'ran, but the docs show it failing'}`);
        }
      }
      assert.deepEqual(failures, []);
      assert.ok(ran >= 15, `only ${ran} queries found: the extraction is broken`);
    } finally {
      await lake.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
